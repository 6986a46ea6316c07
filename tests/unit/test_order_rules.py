from __future__ import annotations

from decimal import Decimal

import pytest

from webshop.orders.money import line_total, vat_total
from webshop.orders.rules import (
    TRANSITIONS,
    InvalidTransition,
    OrderStatus,
    check_transition,
)

S = OrderStatus
# Written out by hand: a test whose expectation came from TRANSITIONS could never fail.
ALLOWED = {
    (S.PENDING_APPROVAL, S.APPROVED), (S.PENDING_APPROVAL, S.REJECTED), (S.PENDING_APPROVAL, S.RETURNED),
    (S.PENDING_APPROVAL, S.CANCELLED),
    (S.APPROVED, S.SENT),
    (S.SENT, S.CONFIRMED), (S.SENT, S.REJECTED_BY_SUPPLIER), (S.SENT, S.PARTLY_DELIVERED), (S.SENT, S.DELIVERED),
    (S.CONFIRMED, S.REJECTED_BY_SUPPLIER), (S.CONFIRMED, S.PARTLY_DELIVERED), (S.CONFIRMED, S.DELIVERED),
    (S.REJECTED_BY_SUPPLIER, S.CONFIRMED), (S.REJECTED_BY_SUPPLIER, S.PARTLY_DELIVERED),
    (S.REJECTED_BY_SUPPLIER, S.DELIVERED),
    (S.PARTLY_DELIVERED, S.DELIVERED),
    (S.DELIVERED, S.PARTLY_DELIVERED),
}


@pytest.mark.parametrize("current", list(OrderStatus))
@pytest.mark.parametrize("new", list(OrderStatus))
def test_transition_grid(current, new):
    if (current, new) in ALLOWED:
        check_transition(current, new)
    else:
        with pytest.raises(InvalidTransition):
            check_transition(current, new)


def test_only_pending_orders_can_be_decided():
    assert TRANSITIONS[OrderStatus.PENDING_APPROVAL] == {
        OrderStatus.APPROVED, OrderStatus.REJECTED, OrderStatus.RETURNED, OrderStatus.CANCELLED}
    assert TRANSITIONS[OrderStatus.APPROVED] == {OrderStatus.SENT}
    assert all(not TRANSITIONS[s] for s in (OrderStatus.REJECTED, OrderStatus.RETURNED, OrderStatus.CANCELLED))


SUPPLIER_SIDE = {OrderStatus.CONFIRMED, OrderStatus.REJECTED_BY_SUPPLIER, OrderStatus.PARTLY_DELIVERED,
                 OrderStatus.DELIVERED}


def test_only_sent_orders_follow_the_supplier():
    """Before the message reached the supplier nothing it says can move the order."""
    for status in (OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED, OrderStatus.REJECTED, OrderStatus.RETURNED,
                   OrderStatus.CANCELLED):
        assert not TRANSITIONS[status] & SUPPLIER_SIDE, status
    assert TRANSITIONS[OrderStatus.SENT] == SUPPLIER_SIDE
    assert TRANSITIONS[OrderStatus.PARTLY_DELIVERED] == {OrderStatus.DELIVERED}
    assert TRANSITIONS[OrderStatus.DELIVERED] == {OrderStatus.PARTLY_DELIVERED}  # receipt corrected
    assert OrderStatus.SENT not in set().union(*(TRANSITIONS[s] for s in SUPPLIER_SIDE))  # never back to sent


@pytest.mark.parametrize("quantity, price, expected", [
    ("3", "52.00", "156.00"),
    ("0.5", "31.333", "15.67"),  # half-up on the øre
    ("1.125", "2", "2.25"),
    ("7", "0.005", "0.04"),  # 0.035 rounds half up
])
def test_line_total_rounds_half_up_to_ore(quantity, price, expected):
    assert line_total(Decimal(quantity), Decimal(price)) == Decimal(expected)


def test_vat_is_rounded_per_rate():
    lines = [(Decimal("10.01"), Decimal("25")), (Decimal("10.01"), Decimal("25")), (Decimal("99.99"), Decimal("15"))]
    # 20.02 * 25 % = 5.005 -> 5.01 ; 99.99 * 15 % = 14.9985 -> 15.00
    assert vat_total(lines) == Decimal("20.01")
    assert vat_total([]) == Decimal("0.00")
