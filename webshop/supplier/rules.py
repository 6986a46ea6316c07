"""Supplier-side decisions in plain Python: what state an order line is in, what
is still missing, and the supplier statistics (no Flask, no SQLAlchemy)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final

from webshop.orders.rules import OrderStatus

LATE_AFTER: Final = timedelta(days=3)  # first delivery later than this after sending counts as late


class TransportKind(StrEnum):
    FOLDER = "folder"
    HTTP = "http"
    PEPPOL = "peppol"  # an access point; not configured in this installation


class Behaviour(StrEnum):
    """What the built-in supplier simulator does with an order it receives."""

    OFF = "off"  # no simulator: a real supplier answers (or nobody)
    ACCEPT = "accept"
    REJECT = "reject"
    PARTIAL = "partial"  # named items or a number of lines out of stock
    CHANGE = "change"  # changed quantity and/or price on the first line
    SILENT = "silent"  # never answers


class InboundState(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    DUPLICATE = "duplicate"  # same document id from the same sender seen before; no effect
    STALE = "stale"  # an older response than the one already applied; no effect
    QUARANTINED = "quarantined"  # malformed, unknown or not matching an order; kept with the reason


class LineResponse(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CHANGED = "changed"
    BACKORDERED = "backordered"


class LineState(StrEnum):
    AWAITING = "awaiting"  # no answer from the supplier yet
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CHANGED = "changed"
    BACKORDERED = "backordered"
    PARTLY_DELIVERED = "partly_delivered"
    DELIVERED = "delivered"
    RECEIVED = "received"
    CANCELLED = "cancelled"
    REORDERED = "reordered"


@dataclass(frozen=True)
class LineFacts:
    ordered: Decimal
    response: LineResponse | None = None
    confirmed: Decimal | None = None
    delivered: Decimal = Decimal(0)
    received: Decimal = Decimal(0)
    damaged: Decimal = Decimal(0)
    cancelled: bool = False
    reordered: bool = False


def expected_quantity(f: LineFacts) -> Decimal:
    """What the supplier has said it will deliver (the ordered quantity until it says otherwise)."""
    if f.response is LineResponse.REJECTED:
        return Decimal(0)
    if f.confirmed is not None:
        return f.confirmed
    return f.ordered


def line_state(f: LineFacts) -> LineState:
    """One word for an order line, the most advanced thing that happened to it."""
    if f.reordered:
        return LineState.REORDERED
    if f.cancelled:
        return LineState.CANCELLED
    good = f.received - f.damaged
    if f.received > 0 and good >= f.ordered:
        return LineState.RECEIVED
    if f.delivered > 0:
        return LineState.DELIVERED if f.delivered >= expected_quantity(f) else LineState.PARTLY_DELIVERED
    if f.response is None:
        return LineState.AWAITING
    return LineState(f.response.value)


def missing_quantity(f: LineFacts) -> Decimal:
    """What the orderer ordered and has not got in good condition (0 if cancelled or re-ordered)."""
    if f.cancelled or f.reordered:
        return Decimal(0)
    if f.received > 0 or f.damaged > 0:
        return max(f.ordered - (f.received - f.damaged), Decimal(0))
    if f.response is LineResponse.REJECTED:
        return f.ordered
    if f.response is not None and f.confirmed is not None and f.confirmed < f.ordered:
        return f.ordered - f.confirmed
    return Decimal(0)


def outstanding_quantity(f: LineFacts) -> Decimal:
    """What the supplier has said it will deliver and has not delivered (nor has been received) yet."""
    return max(expected_quantity(f) - max(f.delivered, f.received), Decimal(0))


def order_status_from_lines(lines: Sequence[LineFacts]) -> OrderStatus | None:
    """The order-level status that follows the supplier, from its lines; None while the supplier
    has said nothing that moves the order (no answer yet, or only "acknowledged").

    Nothing arrived yet: every line rejected → REJECTED_BY_SUPPLIER, otherwise CONFIRMED (also when
    accepted with changes, back-orders or some lines rejected). Something arrived: DELIVERED once
    nothing more is coming from the supplier and nothing is missing (missing lines cancelled or
    re-ordered), otherwise PARTLY_DELIVERED.
    """
    if not lines:
        return None
    if not any(max(f.delivered, f.received) > 0 for f in lines):
        if all(f.response is None for f in lines):
            return None
        if all(f.response is LineResponse.REJECTED for f in lines):
            return OrderStatus.REJECTED_BY_SUPPLIER
        return OrderStatus.CONFIRMED
    if all(outstanding_quantity(f) == 0 and missing_quantity(f) == 0 for f in lines):
        return OrderStatus.DELIVERED
    return OrderStatus.PARTLY_DELIVERED


def check_receipt(ordered: Decimal, received: Decimal, damaged: Decimal) -> str | None:
    """Why a goods receipt line is wrong, or None."""
    if received < 0 or damaged < 0:
        return "negative"
    if damaged > received:
        return "damaged_over_received"
    if received > ordered:
        return "over_ordered"
    return None


@dataclass(frozen=True)
class OrderOutcome:
    """One sent order as the statistics see it."""

    sent_at: datetime
    first_response_at: datetime | None
    response_code: str | None  # AP, RE, CA, AB
    partial: bool
    first_delivery_at: datetime | None


@dataclass(frozen=True)
class SupplierStats:
    orders: int
    answered: int
    median_response: timedelta | None
    rejected_share: Decimal | None
    partial_share: Decimal | None
    late_share: Decimal | None


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1")) if whole else None


def supplier_stats(outcomes: Iterable[OrderOutcome], now: datetime,
                   late_after: timedelta = LATE_AFTER) -> SupplierStats:
    """Response time (median), and the share of answered orders rejected or partly accepted,
    and of sent orders delivered late (or not at all) after ``late_after``."""
    items = list(outcomes)
    answered = [o for o in items if o.first_response_at is not None]
    times = sorted(o.first_response_at - o.sent_at for o in answered if o.first_response_at is not None)
    median = times[len(times) // 2] if times else None
    due = [o for o in items if now - o.sent_at > late_after or o.first_delivery_at is not None]
    late = [o for o in due if o.first_delivery_at is None or o.first_delivery_at - o.sent_at > late_after]
    return SupplierStats(
        orders=len(items),
        answered=len(answered),
        median_response=median,
        rejected_share=_share(sum(1 for o in answered if o.response_code == "RE"), len(answered)),
        partial_share=_share(sum(1 for o in answered if o.partial), len(answered)),
        late_share=_share(len(late), len(due)),
    )


def parse_item_list(text: str) -> list[str]:
    """'KP-100, PEN-1' → ['KP-100', 'PEN-1'] (empty entries dropped)."""
    return [part.strip() for part in text.replace(";", ",").replace("\n", ",").split(",") if part.strip()]


def min_order_shortfall(total: Decimal, minimum: Decimal) -> Decimal | None:
    """How much is missing to reach the supplier's minimum order value, or None if nothing is."""
    if minimum <= 0 or total >= minimum:
        return None
    return (minimum - total).quantize(Decimal("0.01"))
