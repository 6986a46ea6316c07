"""Every status change goes through orders.lifecycle and sends exactly one signal, with the order as
sender and who/what/from/to as payload; approving (by a person or the policy) queues exactly one EHF
message through the delivery receiver."""
from __future__ import annotations

from contextlib import ExitStack, contextmanager
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from ehf.order_response import OrderResponse
from ehf.parties import PartyRef
from webshop.orders import signals
from webshop.orders.rules import OrderStatus, Trigger

NAMES = {
    signals.submitted: "submitted", signals.approved: "approved", signals.rejected: "rejected",
    signals.returned: "returned", signals.cancelled: "cancelled", signals.sent: "sent",
    signals.answered_by_supplier: "answered_by_supplier", signals.received: "received",
}


@contextmanager
def recorded():
    """Every order signal sent inside the block: (name, order id, by id, trigger, from, to)."""
    heard: list[tuple] = []

    def listener(name):
        def hear(order, **payload):
            by = payload["by"]
            heard.append((name, order.id, by.id if by else None, payload["trigger"], payload["from_status"],
                          payload["to_status"]))
        return hear

    with ExitStack() as stack:
        for signal, name in NAMES.items():
            stack.enter_context(signal.connected_to(listener(name)))
        yield heard


@pytest.fixture
def ctx(app, world):
    from webshop.extensions import db
    from webshop.orgs.models import User

    with app.app_context():
        people = {name: db.session.get(User, getattr(world, name).id) for name in
                  ("orderer", "approver", "coordinator", "orderer_approver")}
        yield people
        db.session.rollback()


def _order(world, orderer, key="KP-100", quantity="2"):
    from webshop.cart import services as cart
    from webshop.orders import services as orders

    cart.add_item(orderer, world.items[key].id, Decimal(quantity))
    (order,) = orders.submit_cart(orderer, unit_id=world.school.id)
    return order


def _documents(order_id):
    from webshop.extensions import db
    from webshop.orders.models import OrderDocument

    return db.session.scalar(select(func.count(OrderDocument.id)).where(OrderDocument.order_id == order_id))


def test_submit_sends_submitted_once_and_nothing_else(world, ctx):
    with recorded() as heard:
        order = _order(world, ctx["orderer"])
    assert heard == [("submitted", order.id, world.orderer.id, Trigger.ORDERER, None, OrderStatus.PENDING_APPROVAL)]
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert _documents(order.id) == 0


def test_approval_sends_approved_once_and_queues_exactly_one_message(world, ctx):
    from webshop.approvals import services as approvals

    order = _order(world, ctx["orderer"])
    comments = []
    with recorded() as heard, signals.approved.connected_to(lambda sender, **p: comments.append(p["comment"])):
        document = approvals.approve_order(order, by=ctx["approver"], comment="Ok")
    assert heard == [("approved", order.id, world.approver.id, Trigger.APPROVER, OrderStatus.PENDING_APPROVAL,
                      OrderStatus.APPROVED)]
    assert comments == ["Ok"]
    assert _documents(order.id) == 1
    assert document is not None and document.order_id == order.id and document.filename == f"{order.number}.xml"


def test_auto_approval_sends_submitted_then_approved_and_queues_one_message(world, ctx):
    from webshop.approvals.models import ApprovalPolicy
    from webshop.extensions import db

    db.session.add(ApprovalPolicy(organisation_id=world.org.id, auto_approve_below=Decimal("1000")))
    db.session.flush()
    with recorded() as heard:
        order = _order(world, ctx["orderer"])
    # the policy's receiver approves while ``submitted`` is still being sent, so a receiver connected
    # after it (this test's) hears ``approved`` first: each exactly once all the same
    assert sorted(heard, key=str) == [
        ("approved", order.id, None, Trigger.APPROVAL_POLICY, OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED),
        ("submitted", order.id, world.orderer.id, Trigger.ORDERER, None, OrderStatus.PENDING_APPROVAL),
    ]
    assert _documents(order.id) == 1


def test_reject_and_return_send_their_signal_once(world, ctx):
    from webshop.approvals import services as approvals
    from webshop.cart.services import cart_lines

    first, second = _order(world, ctx["orderer"]), _order(world, ctx["orderer"], "PEN-1", "5")
    with recorded() as heard:
        approvals.reject_order(first, by=ctx["approver"], comment="Nei")
        approvals.return_order(second, by=ctx["approver"], comment="Ta færre")
    assert heard == [
        ("rejected", first.id, world.approver.id, Trigger.APPROVER, OrderStatus.PENDING_APPROVAL,
         OrderStatus.REJECTED),
        ("returned", second.id, world.approver.id, Trigger.APPROVER, OrderStatus.PENDING_APPROVAL,
         OrderStatus.RETURNED),
    ]
    # the returned receiver (cart) put the returned order's line back, nothing of the rejected one
    assert [(line.item_id, line.quantity) for line in cart_lines(ctx["orderer"])] == [
        (world.items["PEN-1"].id, Decimal("5.000"))]
    assert _documents(first.id) == _documents(second.id) == 0


def test_cancel_by_orderer_and_by_coordinator(world, ctx):
    from webshop.orders import services as orders

    mine, theirs = _order(world, ctx["orderer"]), _order(world, ctx["orderer"])
    with recorded() as heard:
        orders.cancel_order(mine, by=ctx["orderer"])
        orders.cancel_order(theirs, by=ctx["coordinator"])
    assert heard == [
        ("cancelled", mine.id, world.orderer.id, Trigger.ORDERER, OrderStatus.PENDING_APPROVAL,
         OrderStatus.CANCELLED),
        ("cancelled", theirs.id, world.coordinator.id, Trigger.COORDINATOR, OrderStatus.PENDING_APPROVAL,
         OrderStatus.CANCELLED),
    ]
    assert _documents(mine.id) == 0


def test_send_supplier_answer_and_goods_receipt_each_send_one_signal(world, ctx):
    from webshop.approvals import services as approvals
    from webshop.delivery.worker import deliver_due
    from webshop.extensions import db
    from webshop.supplier.followup import apply_order_response
    from webshop.supplier.receipt import receive_all

    order = _order(world, ctx["orderer"])
    approvals.approve_order(order, by=ctx["approver"])
    db.session.commit()
    with recorded() as heard:
        assert deliver_due(worker_id="test").delivered == 1
    assert heard == [("sent", order.id, None, Trigger.DELIVERY_WORKER, OrderStatus.APPROVED, OrderStatus.SENT)]

    db.session.refresh(order)
    party = PartyRef(endpoint_id=world.supplier.endpoint_id, endpoint_scheme="0192", name="Kontor AS")
    response = OrderResponse.accepted(order.number, id="OR-1", issue_date=date(2026, 1, 5), seller=party,
                                      buyer=PartyRef(endpoint_id=world.org.orgnr, endpoint_scheme="0192"))
    with recorded() as heard:
        assert apply_order_response(order, response, now=order.submitted_at) == "accepted"
    assert heard == [("answered_by_supplier", order.id, None, Trigger.SUPPLIER_MESSAGE, OrderStatus.SENT,
                      OrderStatus.CONFIRMED)]

    with recorded() as heard:
        receive_all(order, by=ctx["orderer"])
    assert heard == [("received", order.id, world.orderer.id, Trigger.GOODS_RECEIPT, OrderStatus.CONFIRMED,
                      OrderStatus.DELIVERED)]
    assert _documents(order.id) == 1


def test_a_refused_change_sends_nothing(world, ctx):
    from webshop.orders import lifecycle
    from webshop.orders.errors import NotAllowed
    from webshop.orders.rules import InvalidTransition

    order = _order(world, ctx["orderer"])
    with recorded() as heard:
        with pytest.raises(InvalidTransition):  # an approver may not cancel
            lifecycle.change_status(order, OrderStatus.CANCELLED, by=ctx["approver"], trigger=Trigger.APPROVER)
        with pytest.raises(NotAllowed):  # "orderer" must be this order's orderer
            lifecycle.change_status(order, OrderStatus.CANCELLED, by=ctx["orderer_approver"],
                                    trigger=Trigger.ORDERER)
        with pytest.raises(NotAllowed):  # the system acts without a person
            lifecycle.change_status(order, OrderStatus.APPROVED, by=ctx["approver"],
                                    trigger=Trigger.APPROVAL_POLICY)
    assert heard == []
    assert order.status == OrderStatus.PENDING_APPROVAL


def test_receivers_are_connected_once_however_many_apps(app):
    from webshop import create_app
    from webshop.config import TestConfig

    before = {signal: len(signal.receivers) for signal in NAMES}
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert {signal: len(signal.receivers) for signal in NAMES} == before
    # approvals + the leader's monthly cells; supplier follow-up + simulator + the leader's cells (issue 13)
    assert len(signals.submitted.receivers) == 2 and len(signals.sent.receivers) == 3
