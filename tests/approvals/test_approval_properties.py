"""Property-based, against the database: random policies and orders go through the real
services. No order is ever approved/sent without satisfying the route its policy gave
it, and every sent order has a complete audit trail in the right order."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from webshop.approvals.models import ApprovalPolicy, ApprovalTier


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(auto=st.sampled_from(["0", "50", "100", "500"]), tier2=st.sampled_from([None, "60", "200"]),
       quantity=st.integers(1, 8), free=st.booleans(), who=st.lists(st.integers(0, 2), min_size=2, max_size=3))
def test_approval_no_order_sent_without_its_policy(app, world, people, store, auto, tier2, quantity, free, who):
    from flask_login import login_user  # noqa: F401  (services are called directly below)

    from webshop.approvals import services
    from webshop.cart import services as cart
    from webshop.delivery.worker import run_once
    from webshop.extensions import db
    from webshop.orders.models import AuditEvent, Order
    from webshop.orders.services import OrderError, submit_cart
    from webshop.orgs.models import User

    with app.test_request_context():
        db.session.execute(delete(ApprovalTier))
        db.session.execute(delete(ApprovalPolicy))
        db.session.add(ApprovalPolicy(organisation_id=world.org.id, auto_approve_below=Decimal(auto)))
        db.session.add(ApprovalTier(organisation_id=world.org.id, level=1, name="Enhet", approver_role="approver"))
        if tier2:
            db.session.add(ApprovalTier(organisation_id=world.org.id, level=2, name="Direktør",
                                        required_above=Decimal(tier2), approver_user_id=people.director.id))
        orderer = db.session.get(User, world.orderer.id)
        cart.add_item(orderer, world.items["KP-100"].id, Decimal(quantity))  # 52 kr each
        if free:
            cart.add_free_text(orderer, supplier_id=world.supplier.id, description="Noe", quantity=Decimal(1),
                               unit_code="EA", estimated_price=Decimal("1"))
        (order,) = submit_cart(orderer, unit_id=world.school.id)
        db.session.commit()
        approvers = [db.session.get(User, u.id) for u in (world.approver, people.anne, people.director)]
        for i in who:
            try:
                services.approve_order(order, by=approvers[i])
                db.session.commit()
            except OrderError:
                db.session.rollback()
        run_once("prop")
        db.session.expire_all()
        order = db.session.get(Order, order.id)
        trail = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.order_id == order.id)
                                        .order_by(AuditEvent.id)))
        auto_ok = not free and order.total < Decimal(auto)
        if order.status in ("approved", "sent"):
            if "auto_approved" in trail:
                assert auto_ok
                assert trail[:3] == ["submitted", "auto_approved", "ehf_built"]
            else:
                assert not auto_ok
                deciders = [d.approver_id for d in order.approval_decisions]
                assert len(deciders) == len(order.approval_steps) == (2 if tier2 and order.total > Decimal(tier2)
                                                                      else 1)
                assert len(set(deciders)) == len(deciders) and orderer.id not in deciders
                for step, decision in zip(order.approval_steps, order.approval_decisions, strict=True):
                    assert decision.approver_id in step.approver_ids
                expected = ["submitted"] + ["step_approved"] * (len(deciders) - 1) + [
                    "approved", "ehf_built"]
                assert trail[:len(expected)] == expected
        else:
            assert order.status == "pending_approval" and "ehf_built" not in trail
        if order.status == "sent":
            assert trail[-1] == "sent"
        # Leave the next example a clean slate of orders for month-to-date limits.
        order.status = order.status
        db.session.rollback()
