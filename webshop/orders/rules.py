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
    SENT = "sent"  # delivered to the supplier's transport
    CANCELLED = "cancelled"


TRANSITIONS: Final[Mapping[OrderStatus, frozenset[OrderStatus]]] = {
    OrderStatus.PENDING_APPROVAL: frozenset(
        {OrderStatus.APPROVED, OrderStatus.REJECTED, OrderStatus.CANCELLED}
    ),
    OrderStatus.APPROVED: frozenset({OrderStatus.SENT}),
    OrderStatus.REJECTED: frozenset(),
    OrderStatus.SENT: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


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
