"""Who may move an order from which status to which: the (from, to, trigger) grid, written out by hand.

Every allowed triple is listed literally below; every other combination of status (or "no order
yet"), new status and trigger must be refused. Nothing here is derived from TRANSITIONS or TRIGGERS.
"""
from __future__ import annotations

import itertools

import pytest

from webshop.orders.rules import InvalidTransition, OrderStatus, Trigger, TriggerNotAllowed, check_change

S, T = OrderStatus, Trigger

ALLOWED = {
    (None, S.PENDING_APPROVAL, T.ORDERER),
    (S.PENDING_APPROVAL, S.APPROVED, T.APPROVER),
    (S.PENDING_APPROVAL, S.APPROVED, T.APPROVAL_POLICY),
    (S.PENDING_APPROVAL, S.REJECTED, T.APPROVER),
    (S.PENDING_APPROVAL, S.RETURNED, T.APPROVER),
    (S.PENDING_APPROVAL, S.CANCELLED, T.ORDERER),
    (S.PENDING_APPROVAL, S.CANCELLED, T.COORDINATOR),
    (S.APPROVED, S.SENT, T.DELIVERY_WORKER),
    (S.SENT, S.CONFIRMED, T.SUPPLIER_MESSAGE),
    (S.SENT, S.REJECTED_BY_SUPPLIER, T.SUPPLIER_MESSAGE),
    (S.SENT, S.PARTLY_DELIVERED, T.SUPPLIER_MESSAGE),
    (S.SENT, S.PARTLY_DELIVERED, T.GOODS_RECEIPT),
    (S.SENT, S.DELIVERED, T.SUPPLIER_MESSAGE),
    (S.SENT, S.DELIVERED, T.GOODS_RECEIPT),
    (S.CONFIRMED, S.REJECTED_BY_SUPPLIER, T.SUPPLIER_MESSAGE),
    (S.CONFIRMED, S.PARTLY_DELIVERED, T.SUPPLIER_MESSAGE),
    (S.CONFIRMED, S.PARTLY_DELIVERED, T.GOODS_RECEIPT),
    (S.CONFIRMED, S.DELIVERED, T.SUPPLIER_MESSAGE),
    (S.CONFIRMED, S.DELIVERED, T.GOODS_RECEIPT),
    (S.REJECTED_BY_SUPPLIER, S.CONFIRMED, T.SUPPLIER_MESSAGE),
    (S.REJECTED_BY_SUPPLIER, S.PARTLY_DELIVERED, T.SUPPLIER_MESSAGE),
    (S.REJECTED_BY_SUPPLIER, S.PARTLY_DELIVERED, T.GOODS_RECEIPT),
    (S.REJECTED_BY_SUPPLIER, S.DELIVERED, T.SUPPLIER_MESSAGE),
    (S.REJECTED_BY_SUPPLIER, S.DELIVERED, T.GOODS_RECEIPT),
    (S.PARTLY_DELIVERED, S.DELIVERED, T.SUPPLIER_MESSAGE),
    (S.PARTLY_DELIVERED, S.DELIVERED, T.GOODS_RECEIPT),
    (S.DELIVERED, S.PARTLY_DELIVERED, T.SUPPLIER_MESSAGE),
    (S.DELIVERED, S.PARTLY_DELIVERED, T.GOODS_RECEIPT),
}

EVERY = list(itertools.product([None, *OrderStatus], OrderStatus, Trigger))


def test_the_grid_covers_every_status_and_trigger():
    assert len(EVERY) == 11 * 10 * 7  # "no order yet" + 10 statuses, 10 statuses, 7 triggers
    assert len(ALLOWED) == 28


@pytest.mark.parametrize("current, new, trigger", sorted(ALLOWED, key=str))
def test_allowed(current, new, trigger):
    check_change(current, new, trigger)


@pytest.mark.parametrize("current, new, trigger", [c for c in EVERY if c not in ALLOWED], ids=str)
def test_refused(current, new, trigger):
    with pytest.raises(InvalidTransition):
        check_change(current, new, trigger)


@pytest.mark.parametrize("current, new, trigger", [
    (S.PENDING_APPROVAL, S.APPROVED, T.ORDERER),  # nobody approves their own order by asking
    (S.PENDING_APPROVAL, S.CANCELLED, T.APPROVER),  # an approver rejects or returns; cancelling is the orderer's
    (S.APPROVED, S.SENT, T.APPROVER),
    (S.SENT, S.CONFIRMED, T.GOODS_RECEIPT),  # only the supplier confirms
    (None, S.PENDING_APPROVAL, T.APPROVAL_POLICY),
])
def test_a_real_transition_for_the_wrong_actor_names_the_trigger(current, new, trigger):
    with pytest.raises(TriggerNotAllowed) as refused:
        check_change(current, new, trigger)
    assert refused.value.trigger is trigger


@pytest.mark.parametrize("new", [s for s in OrderStatus if s is not S.PENDING_APPROVAL])
def test_a_new_order_only_starts_pending(new):
    with pytest.raises(InvalidTransition):
        check_change(None, new, T.ORDERER)
