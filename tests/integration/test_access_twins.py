"""Each predicate and its list query agree, for every demo user and every demo order (unit).

``can_view_order`` (the order page) against ``visible_orders`` (the order list), and
``can_approve`` (the decision) against ``approvable_orders`` (the approval inbox): a user
may open exactly the orders their list shows, and decide exactly the orders their inbox
shows. Checked on the demo data as seeded, and again while an approver is away and a
deputy decides in their place. Likewise ``can_manage_unit`` against ``manageable_units``
(the admin overview) for every demo user and every unit.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Select, select

from webshop.approvals.models import ApprovalStep, ApprovalStepApprover, ApprovalSubstitute
from webshop.approvals.services import add_substitute
from webshop.catalogue.services import today_in_norway
from webshop.extensions import db
from webshop.orders.models import Order
from webshop.orgs.models import Role, Unit, User
from webshop.permissions import (
    approvable_orders,
    can_approve,
    can_manage_unit,
    can_view_order,
    manageable_units,
    visible_orders,
)

TWINS: list[tuple[str, Callable[[User, Order], bool], Callable[[User], Select[tuple[Order]]]]] = [
    ("view", can_view_order, visible_orders),
    ("approve", can_approve, approvable_orders),
]


@pytest.fixture
def demo(app, seeded_demo):
    with app.app_context():
        yield


def disagreements(users: list[User], orders: list[Order]) -> list[tuple[str, str, str, bool]]:
    """(twin, user, order, what the predicate said) wherever predicate and query differ."""
    found = []
    for user in users:
        for name, predicate, query in TWINS:
            listed = set(db.session.scalars(query(user).with_only_columns(Order.id)))
            for order in orders:
                allowed = predicate(user, order)
                if allowed != (order.id in listed):
                    found.append((name, user.email, order.number, allowed))
    return found


def everyone() -> tuple[list[User], list[Order]]:
    return list(db.session.scalars(select(User).order_by(User.id))), list(db.session.scalars(select(Order)))


def test_every_demo_user_sees_and_decides_exactly_what_their_lists_show(demo):
    users, orders = everyone()
    assert len(users) >= 15 and len(orders) >= 10
    assert disagreements(users, orders) == []
    # The grid is not vacuous: both answers occur for both twins.
    for name, predicate, _query in TWINS:
        answers = {predicate(u, o) for u in users for o in orders}
        assert answers == {True, False}, name


def test_every_demo_user_manages_exactly_the_units_the_admin_overview_lists(demo):
    users, _orders = everyone()
    units = list(db.session.scalars(select(Unit)))
    differ = []
    for user in users:
        listed = set(db.session.scalars(manageable_units(user).with_only_columns(Unit.id)))
        differ += [(user.email, u.key) for u in units if can_manage_unit(user, u) != (u.id in listed)]
    assert differ == []
    answers = {can_manage_unit(u, unit) for u in users for unit in units}
    assert answers == {True, False}


def outsiders(users: list[User], order: Order) -> list[User]:
    """Colleagues with no tie to ``order``: not its orderer, not responsible for its unit, not the coordinator."""
    return [u for u in users if u.organisation_id == order.organisation_id and u.id != order.orderer_id
            and not u.has_role(Role.COORDINATOR) and (u.unit_ids(Role.APPROVER) or u.unit_ids(Role.UNIT_MANAGER))
            and order.unit_id not in u.unit_ids(Role.APPROVER) | u.unit_ids(Role.UNIT_MANAGER)]


def test_predicates_and_lists_agree_for_a_deputy_and_an_escalation(demo):
    users, orders = everyone()
    # The approver of the first pending order's current step goes away today; a colleague who may deputise
    # covers. A second colleague is added to the step by an escalation.
    step = db.session.scalars(select(ApprovalStep).join(Order).where(
        Order.status == "pending_approval", ApprovalStep.decided_at.is_(None)).order_by(ApprovalStep.id)).first()
    assert step is not None
    approver = db.session.get(User, sorted(step.approver_ids)[0])
    deputy, escalated_to = [u for u in outsiders(users, step.order) if u.id not in step.approver_ids][:2]
    assert not can_view_order(deputy, step.order) and not can_view_order(escalated_to, step.order)
    today = today_in_norway()
    add_substitute(approver, deputy_id=deputy.id, starts_on=today, ends_on=today)
    db.session.commit()
    assert db.session.scalar(select(ApprovalSubstitute.deputy_id)) == deputy.id
    db.session.add(ApprovalStepApprover(step_id=step.id, user_id=escalated_to.id, via="escalation"))
    db.session.commit()
    db.session.expire_all()

    assert can_approve(deputy, step.order) and can_view_order(deputy, step.order)
    assert not can_approve(approver, step.order)  # away: the deputy decides today
    assert can_approve(escalated_to, step.order) and can_view_order(escalated_to, step.order)
    assert disagreements(users, orders) == []
