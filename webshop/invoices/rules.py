"""Invoice matching as pure rules: per order line, 2-way (against the order) and 3-way (against the
goods receipt), with a municipality's tolerances. No flask, no sqlalchemy: the service loads the
facts and passes them in.

Invoices and credit notes of one order are matched in the order they arrived. What an invoice
line bills is added to what earlier invoices billed for the same order line (partial invoices
accumulate), and a credit note takes it away again. A disputed invoice is not counted: it will
not be paid. Quantities and prices are Decimal; the tolerances are absolute (units, and kroner
per unit), "nothing over" by default: exactly at the tolerance matches, one øre over does not.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

ZERO: Final = Decimal(0)


class InvoiceStatus(StrEnum):
    MATCHED = "matched"  # every line within the tolerances: ready for payment
    AWAITING_RECEIPT = "awaiting_receipt"  # within the order, but more than received so far
    DEVIATION = "deviation"  # over the order, a wrong price or a line we cannot place
    ACCEPTED = "accepted"  # a deviation the orderer or approver accepted, with a reason: ready for payment
    DISPUTED = "disputed"  # a deviation the orderer or approver disputed: not paid, not counted


READY_FOR_PAYMENT: Final = frozenset({InvoiceStatus.MATCHED, InvoiceStatus.ACCEPTED})
DECIDED: Final = frozenset({InvoiceStatus.ACCEPTED, InvoiceStatus.DISPUTED})
UNDECIDED_DEVIATIONS: Final = frozenset({InvoiceStatus.AWAITING_RECEIPT, InvoiceStatus.DEVIATION})


class Deviation(StrEnum):
    UNKNOWN_LINE = "unknown_line"  # the line names no line of the order
    PRICE = "price"  # price above (or below) the agreed price by more than the tolerance
    OVER_ORDERED = "over_ordered"  # more billed in total than ordered (2-way)
    OVER_RECEIVED = "over_received"  # more billed in total than received so far (3-way)
    CREDIT_OVER_INVOICED = "credit_over_invoiced"  # a credit note takes back more than was billed


SOFT: Final = frozenset({Deviation.OVER_RECEIVED})  # goods may still arrive: the invoice waits


@dataclass(frozen=True, slots=True)
class Tolerance:
    quantity: Decimal = ZERO  # units allowed over what was received (3-way) or ordered (2-way)
    price: Decimal = ZERO  # kroner per unit allowed over or under the agreed price
    three_way: bool = True  # also match against the goods receipt


@dataclass(frozen=True, slots=True)
class OrderLineFacts:
    ordered: Decimal
    agreed_price: Decimal
    received: Decimal  # accepted on goods receipt (received minus damaged); 0 before any receipt


@dataclass(frozen=True, slots=True)
class BilledLine:
    order_line: str | None  # key of the order line (its line number), None when it names none we know
    quantity: Decimal
    price: Decimal


@dataclass(frozen=True, slots=True)
class BillingDocument:
    key: int
    credit: bool
    lines: tuple[BilledLine, ...]
    disputed: bool = False


@dataclass(frozen=True, slots=True)
class LineMatch:
    order_line: str | None
    billed_before: Decimal  # net billed on this order line by earlier documents
    billed_after: Decimal  # ... including this one
    deviations: tuple[Deviation, ...]


def _line_deviations(line: BilledLine, facts: OrderLineFacts, before: Decimal, credit: bool,
                     tolerance: Tolerance) -> tuple[Decimal, tuple[Deviation, ...]]:
    after = before - line.quantity if credit else before + line.quantity
    found: list[Deviation] = []
    if credit:
        if after < ZERO:
            found.append(Deviation.CREDIT_OVER_INVOICED)
        return after, tuple(found)
    if abs(line.price - facts.agreed_price) > tolerance.price:
        found.append(Deviation.PRICE)
    if after > facts.ordered + tolerance.quantity:
        found.append(Deviation.OVER_ORDERED)
    elif tolerance.three_way and after > facts.received + tolerance.quantity:
        found.append(Deviation.OVER_RECEIVED)
    return after, tuple(found)


def match_documents(order_lines: Mapping[str, OrderLineFacts], documents: Sequence[BillingDocument],
                    tolerance: Tolerance) -> dict[int, tuple[LineMatch, ...]]:
    """Each document's line matches, the documents taken in the given (arrival) order."""
    billed: dict[str, Decimal] = {key: ZERO for key in order_lines}
    result: dict[int, tuple[LineMatch, ...]] = {}
    for document in documents:
        matches: list[LineMatch] = []
        pending = dict(billed)
        for line in document.lines:
            facts = order_lines.get(line.order_line or "")
            if facts is None or line.order_line is None:
                matches.append(LineMatch(line.order_line, ZERO, ZERO, (Deviation.UNKNOWN_LINE,)))
                continue
            before = pending[line.order_line]
            after, deviations = _line_deviations(line, facts, before, document.credit, tolerance)
            pending[line.order_line] = after
            matches.append(LineMatch(line.order_line, before, after, deviations))
        if not document.disputed:
            billed = pending
        result[document.key] = tuple(matches)
    return result


def status_of(matches: Sequence[LineMatch]) -> InvoiceStatus:
    """MATCHED without deviations; AWAITING_RECEIPT when the only problem is goods not received yet."""
    found = {d for m in matches for d in m.deviations}
    if not found:
        return InvoiceStatus.MATCHED
    if found <= SOFT:
        return InvoiceStatus.AWAITING_RECEIPT
    return InvoiceStatus.DEVIATION


def next_status(current: InvoiceStatus | None, computed: InvoiceStatus) -> InvoiceStatus:
    """A decision (accepted, disputed) stands; otherwise the invoice takes the newly computed status."""
    return current if current in DECIDED else computed


def can_decide(status: InvoiceStatus) -> bool:
    """Only an invoice in deviation (or waiting for goods) can be accepted or disputed."""
    return status in UNDECIDED_DEVIATIONS


def check_tolerance(quantity: Decimal, price: Decimal) -> str | None:
    """Why a tolerance cannot be saved, or None: both from 0 and with at most two decimals for price."""
    if not (quantity.is_finite() and price.is_finite()) or quantity < 0 or price < 0:
        return "negative"
    if price != price.quantize(Decimal("0.01")):
        return "decimals"
    return None
