"""Order status, its allowed transitions and order arithmetic (pure: no Flask, no SQLAlchemy)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

CENT: Final = Decimal("0.01")


class OrderStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"  # approved; EHF message built and queued for delivery
    REJECTED = "rejected"
    RETURNED = "returned"  # sent back for changes: the lines went back to the orderer's cart
    SENT = "sent"  # delivered to the supplier's transport
    # What the supplier said and delivered since (derived from the per-line status, issue 6):
    CONFIRMED = "confirmed"  # the supplier accepted the order, wholly or with changes; nothing delivered yet
    REJECTED_BY_SUPPLIER = "rejected_by_supplier"  # the supplier rejected every line
    PARTLY_DELIVERED = "partly_delivered"  # something arrived; more is coming or lines are still missing
    DELIVERED = "delivered"  # everything arrived (or what is missing was cancelled or re-ordered)
    CANCELLED = "cancelled"


TRANSITIONS: Final[Mapping[OrderStatus, frozenset[OrderStatus]]] = {
    OrderStatus.PENDING_APPROVAL: frozenset(
        {OrderStatus.APPROVED, OrderStatus.REJECTED, OrderStatus.RETURNED, OrderStatus.CANCELLED}
    ),
    OrderStatus.APPROVED: frozenset({OrderStatus.SENT}),
    OrderStatus.REJECTED: frozenset(),
    OrderStatus.RETURNED: frozenset(),
    OrderStatus.SENT: frozenset(
        {OrderStatus.CONFIRMED, OrderStatus.REJECTED_BY_SUPPLIER, OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED}
    ),
    OrderStatus.CONFIRMED: frozenset(
        {OrderStatus.REJECTED_BY_SUPPLIER, OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED}
    ),
    # a newer order response may accept after all, or goods arrive anyway
    OrderStatus.REJECTED_BY_SUPPLIER: frozenset(
        {OrderStatus.CONFIRMED, OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED}
    ),
    OrderStatus.PARTLY_DELIVERED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.PARTLY_DELIVERED}),  # a goods receipt corrected downwards
    OrderStatus.CANCELLED: frozenset(),
}

# Sent, and from then on following what the supplier says and delivers.
WITH_SUPPLIER: Final = frozenset({OrderStatus.SENT, OrderStatus.CONFIRMED, OrderStatus.REJECTED_BY_SUPPLIER,
                                  OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED})

# Orders that commit money: they count towards monthly caps, unit budgets and spend statistics,
# whatever the supplier has said since. Only orders that will never be paid drop out (rejected,
# returned, cancelled, rejected by the supplier). The one place this rule lives: every spend query
# filters with ``Order.status.in_(SPEND_COMMITTING)``.
SPEND_COMMITTING: Final[frozenset[OrderStatus]] = frozenset({
    OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED, OrderStatus.SENT, OrderStatus.CONFIRMED,
    OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED})


def commits_spend(status: OrderStatus) -> bool:
    """Does an order in ``status`` count towards limits and budgets?"""
    return status in SPEND_COMMITTING


class InvalidTransition(Exception):
    def __init__(self, current: OrderStatus, new: OrderStatus) -> None:
        super().__init__(f"An order cannot go from {current} to {new}.")
        self.current = current
        self.new = new


def check_transition(current: OrderStatus, new: OrderStatus) -> None:
    """Raise InvalidTransition unless ``current`` may become ``new``."""
    if new not in TRANSITIONS[current]:
        raise InvalidTransition(current, new)


def line_total(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Line net amount, rounded to øre the way the EHF order states it."""
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_total(lines: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """VAT over (line_total, vat_rate) pairs, rounded per rate as in the EHF TaxSubtotal."""
    by_rate: dict[Decimal, Decimal] = {}
    for amount, rate in lines:
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + amount
    return sum(
        ((base * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP) for rate, base in by_rate.items()),
        Decimal("0.00"),
    )
