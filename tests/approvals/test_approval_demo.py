"""The demo data shows the three policies: the policies are loaded before the demo
orders, so the orders take their municipality's route, and every account (including
the users the policies add) is printed on the first run and on a re-run."""
from __future__ import annotations

from sqlalchemy import func, select

from webshop.approvals.models import ApprovalPolicy, ApprovalStep
from webshop.orders.models import AuditEvent, Order
from webshop.orgs.models import Organisation, User


def test_approval_demo_orders_follow_the_three_policies(app, store, seeded_demo):
    first_output = seeded_demo  # what the first `flask seed demo` printed (tests/conftest.py)
    again = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert again.exit_code == 0, again.output
    for user in store.scalars(select(User)):
        assert user.email in first_output and user.email in again.output
    assert "Gunnhild Sektor" in again.output
    assert store.scalar(select(func.count()).select_from(ApprovalPolicy)) == 3

    def orders_of(key):
        return list(store.scalars(select(Order).join(Organisation).where(Organisation.key == key)))

    two_step = [o for o in orders_of("storvika") if len(o.approval_steps) == 2]
    assert two_step, "a Storvika order above 50 000 kr takes the two-step route"
    big = two_step[0]
    assert big.total > 50000 and big.status == "pending_approval"
    director = store.scalar(select(User).where(User.name == "Gunnhild Sektor"))
    steps = list(store.scalars(select(ApprovalStep).where(ApprovalStep.order_id == big.id)
                               .order_by(ApprovalStep.number)))
    assert steps[0].decided_at is not None and steps[1].decided_at is None
    assert steps[1].approver_ids == {director.id}
    auto = [o for o in orders_of("havbrekke") if "auto_approved" in store.scalars(
        select(AuditEvent.action).where(AuditEvent.order_id == o.id)).all()]
    assert auto and all(o.total < 2000 and o.status in ("approved", "sent") for o in auto)
    fjellbygd = orders_of("fjellbygd")
    assert fjellbygd and not any(store.scalars(select(AuditEvent.action).where(
        AuditEvent.order_id.in_([o.id for o in fjellbygd]), AuditEvent.action == "auto_approved")).all())
