"""Two approvers acting on the same order at the same moment, through real concurrent
requests: exactly one decision is stored per step, the other user gets a clear
message, and at most one EHF message exists. Runs on SQLite and on PostgreSQL
(TEST_DATABASE_URL); select with `pytest -k "approval and concurrent"`. Also: two orders
submitted at the same moment cannot both pass a hard monthly cap. (This file replaces
tests/integration/test_concurrent_approval.py: the same race, plus the other ones.)"""
from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from helpers import outbox_files, page_text
from sqlalchemy import func, select

from webshop.approvals.models import ApprovalDecision, ApprovalStep, UnitBudget
from webshop.cart.models import CartLine
from webshop.orders.models import AuditEvent, Order, OrderDocument

CLEAR = ("allerede behandlet", "venter ikke på godkjenning")


def race(clients, url, payloads):
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def go(i):
        barrier.wait()
        responses[i] = clients[i].post(url, data=payloads[i], follow_redirects=True)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r is not None and r.status_code == 200 for r in responses)
    return [page_text(r) for r in responses]


@pytest.mark.parametrize("round_", range(3))
def test_approval_concurrent_final_step_one_decision_one_ehf(app, world, people, place, login_as, store, round_):
    order = place(world.orderer, world.items["KP-100"], world.school, "2")
    texts = race([login_as(world.approver), login_as(people.anne)], f"/godkjenning/{order.id}",
                 [{"approve": "1"}, {"approve": "1"} if round_ else {"reject": "1", "comment": "Nei"}])
    alerts = [t[t.find("ds-alert"):t.find("ds-alert") + 300] for t in texts]
    assert sum(any(c in t for c in CLEAR) for t in texts) == 1, alerts
    store.expire_all()
    assert store.scalar(select(func.count()).select_from(ApprovalDecision)) == 1
    status = store.get(Order, order.id).status
    documents = store.scalar(select(func.count()).select_from(OrderDocument))
    assert (status, documents) in {("approved", 1), ("rejected", 0)}
    from webshop.delivery.worker import run_once  # approval queues the message; the delivery worker sends it

    with app.app_context():
        run_once("test")
    store.expire_all()
    sent = store.get(Order, order.id).status
    assert (sent, len(outbox_files(app))) in {("sent", 1), ("rejected", 0)}
    trail = list(store.scalars(select(AuditEvent.action).where(AuditEvent.order_id == order.id)
                               .order_by(AuditEvent.id)))
    assert trail in (["submitted", "approved", "ehf_built", "sent"], ["submitted", "rejected"])


def test_approval_concurrent_first_of_two_steps(world, people, set_policy, place, login_as, store):
    set_policy(director_above="50", director=people.director)
    order = place(world.orderer, world.items["KP-100"], world.school, "2")  # 104 kr: two steps
    texts = race([login_as(world.approver), login_as(people.anne)], f"/godkjenning/{order.id}",
                 [{"approve": "1"}, {"approve": "1"}])
    # The slower one either lost the compare-and-set, or already saw that step 1 was done and step 2 is not hers.
    assert sum(any(c in t for c in (*CLEAR, "ikke godkjenner for dette trinnet")) for t in texts) == 1
    assert sum("går videre til neste godkjenner" in t for t in texts) == 1
    store.expire_all()
    assert store.scalar(select(func.count()).select_from(ApprovalDecision)) == 1
    assert store.get(Order, order.id).status == "pending_approval"
    assert store.scalar(select(func.count()).select_from(OrderDocument)) == 0
    steps = list(store.scalars(select(ApprovalStep).where(ApprovalStep.order_id == order.id)
                               .order_by(ApprovalStep.number)))
    assert steps[0].decided_at is not None and steps[1].decided_at is None


@pytest.mark.parametrize("round_", range(3))
def test_approval_concurrent_submits_cannot_both_pass_a_hard_monthly_cap(world, store, login_as, round_):
    """Two orderers of one unit submit at the same moment; the unit's hard monthly budget fits only one order."""
    store.add(UnitBudget(unit_id=world.school.id, monthly=Decimal("150"), hard=True))
    store.commit()
    clients = [login_as(world.orderer), login_as(world.orderer_approver)]
    for c in clients:  # 2 × 52 kr = 104 kr each: one fits under 150 kr, both together do not
        assert c.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id,
                                                    "quantity": "2"}).status_code == 302
    barrier = threading.Barrier(2)
    responses = [None, None]

    def submit(i):
        barrier.wait()
        responses[i] = clients[i].post("/handlekurv/send", data={"unit_id": world.school.id})

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 400], [page_text(r)[:300] for r in responses]
    refused = page_text(next(r for r in responses if r.status_code == 400))
    assert "kan ikke sendes" in refused and "månedsbudsjett" in refused
    store.expire_all()
    orders = list(store.scalars(select(Order)))
    assert len(orders) == 1 and orders[0].total == Decimal("104.00")
    assert store.scalar(select(func.count()).select_from(CartLine)) == 1  # the refused cart is kept
