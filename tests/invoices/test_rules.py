"""The matching rules at their boundaries (issue 17's Done-when), with expected values by hand."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from webshop.invoices.rules import (
    BilledLine,
    BillingDocument,
    Deviation,
    InvoiceStatus,
    OrderLineFacts,
    Tolerance,
    can_decide,
    check_tolerance,
    match_documents,
    next_status,
    status_of,
)

STRICT = Tolerance()  # the default: nothing over received, price within 0


def _facts(ordered: str = "10", price: str = "45.50", received: str = "10") -> dict[str, OrderLineFacts]:
    return {"1": OrderLineFacts(D(ordered), D(price), D(received))}


def _invoice(key: int, quantity: str, price: str = "45.50", *, credit: bool = False, line: str | None = "1",
             disputed: bool = False) -> BillingDocument:
    return BillingDocument(key, credit, (BilledLine(line, D(quantity), D(price)),), disputed)


def _statuses(facts, documents, tolerance=STRICT) -> list[InvoiceStatus]:
    result = match_documents(facts, documents, tolerance)
    return [status_of(result[d.key]) for d in documents]


def test_exact_invoice_matches() -> None:
    assert _statuses(_facts(), [_invoice(1, "10")]) == [InvoiceStatus.MATCHED]


def test_price_exactly_at_the_tolerance_matches_and_one_ore_over_does_not() -> None:
    tolerance = Tolerance(price=D("0.50"))
    assert _statuses(_facts(), [_invoice(1, "10", "46.00")], tolerance) == [InvoiceStatus.MATCHED]
    assert _statuses(_facts(), [_invoice(1, "10", "46.01")], tolerance) == [InvoiceStatus.DEVIATION]
    assert _statuses(_facts(), [_invoice(1, "10", "45.00")], tolerance) == [InvoiceStatus.MATCHED]
    assert _statuses(_facts(), [_invoice(1, "10", "44.99")], tolerance) == [InvoiceStatus.DEVIATION]


def test_default_price_tolerance_is_zero_one_ore_over_is_a_deviation() -> None:
    result = match_documents(_facts(), [_invoice(1, "10", "45.51")], STRICT)
    assert result[1][0].deviations == (Deviation.PRICE,)


def test_quantity_exactly_at_the_tolerance_matches_and_a_hundredth_over_does_not() -> None:
    tolerance = Tolerance(quantity=D("1"))
    assert _statuses(_facts(received="9"), [_invoice(1, "10")], tolerance) == [InvoiceStatus.MATCHED]
    assert _statuses(_facts(ordered="10", received="10"), [_invoice(1, "11")], tolerance) == [InvoiceStatus.MATCHED]
    assert _statuses(_facts(ordered="10", received="10"), [_invoice(1, "11.01")], tolerance) == [
        InvoiceStatus.DEVIATION]


def test_two_partial_invoices_summing_to_the_order_both_match() -> None:
    documents = [_invoice(1, "4"), _invoice(2, "6")]
    result = match_documents(_facts(), documents, STRICT)
    assert [status_of(result[k]) for k in (1, 2)] == [InvoiceStatus.MATCHED, InvoiceStatus.MATCHED]
    assert (result[2][0].billed_before, result[2][0].billed_after) == (D("4"), D("10"))


def test_a_third_partial_over_the_order_is_a_deviation() -> None:
    documents = [_invoice(1, "4"), _invoice(2, "6"), _invoice(3, "1")]
    assert _statuses(_facts(), documents) == [InvoiceStatus.MATCHED, InvoiceStatus.MATCHED, InvoiceStatus.DEVIATION]
    assert match_documents(_facts(), documents, STRICT)[3][0].deviations == (Deviation.OVER_ORDERED,)


def test_invoice_before_the_goods_receipt_waits_and_matches_once_received() -> None:
    assert _statuses(_facts(received="0"), [_invoice(1, "10")]) == [InvoiceStatus.AWAITING_RECEIPT]
    assert _statuses(_facts(received="10"), [_invoice(1, "10")]) == [InvoiceStatus.MATCHED]


def test_billing_two_with_one_received_is_not_matched() -> None:
    """Odoo's bug: a bill for 2 on an order with 1 received counted as matched."""
    facts = _facts(ordered="2", price="10", received="1")
    assert _statuses(facts, [_invoice(1, "2", "10")]) == [InvoiceStatus.AWAITING_RECEIPT]


def test_two_way_ignores_the_goods_receipt() -> None:
    two_way = Tolerance(three_way=False)
    assert _statuses(_facts(received="0"), [_invoice(1, "10")], two_way) == [InvoiceStatus.MATCHED]
    assert _statuses(_facts(received="0"), [_invoice(1, "11")], two_way) == [InvoiceStatus.DEVIATION]


def test_credit_note_after_a_full_invoice_reduces_what_is_billed() -> None:
    documents = [_invoice(1, "10"), _invoice(2, "3", credit=True), _invoice(3, "3")]
    result = match_documents(_facts(), documents, STRICT)
    assert [status_of(result[k]) for k in (1, 2, 3)] == [InvoiceStatus.MATCHED] * 3
    assert (result[2][0].billed_before, result[2][0].billed_after) == (D("10"), D("7"))
    assert result[3][0].billed_after == D("10")


def test_credit_note_over_what_was_billed_is_a_deviation() -> None:
    documents = [_invoice(1, "4"), _invoice(2, "5", credit=True)]
    assert _statuses(_facts(), documents) == [InvoiceStatus.MATCHED, InvoiceStatus.DEVIATION]


def test_a_disputed_invoice_does_not_count_towards_the_order() -> None:
    documents = [_invoice(1, "10", disputed=True), _invoice(2, "10")]
    assert _statuses(_facts(), documents) == [InvoiceStatus.MATCHED, InvoiceStatus.MATCHED]
    documents = [_invoice(1, "10"), _invoice(2, "10")]
    assert _statuses(_facts(), documents) == [InvoiceStatus.MATCHED, InvoiceStatus.DEVIATION]


def test_unknown_line_is_a_deviation() -> None:
    assert _statuses(_facts(), [_invoice(1, "1", line="9")]) == [InvoiceStatus.DEVIATION]
    assert _statuses(_facts(), [_invoice(1, "1", line=None)]) == [InvoiceStatus.DEVIATION]


@pytest.mark.parametrize(("current", "computed", "expected"), [
    (None, InvoiceStatus.MATCHED, InvoiceStatus.MATCHED),
    (InvoiceStatus.AWAITING_RECEIPT, InvoiceStatus.MATCHED, InvoiceStatus.MATCHED),
    (InvoiceStatus.DEVIATION, InvoiceStatus.AWAITING_RECEIPT, InvoiceStatus.AWAITING_RECEIPT),
    (InvoiceStatus.ACCEPTED, InvoiceStatus.DEVIATION, InvoiceStatus.ACCEPTED),
    (InvoiceStatus.DISPUTED, InvoiceStatus.MATCHED, InvoiceStatus.DISPUTED),
])
def test_decisions_stand_when_matched_again(current, computed, expected) -> None:
    assert next_status(current, computed) is expected


@pytest.mark.parametrize(("status", "allowed"), [
    (InvoiceStatus.MATCHED, False), (InvoiceStatus.AWAITING_RECEIPT, True), (InvoiceStatus.DEVIATION, True),
    (InvoiceStatus.ACCEPTED, False), (InvoiceStatus.DISPUTED, False),
])
def test_only_deviations_can_be_decided(status, allowed) -> None:
    assert can_decide(status) is allowed


@pytest.mark.parametrize(("quantity", "price", "problem"), [
    ("0", "0", None), ("2.5", "0.50", None), ("-1", "0", "negative"), ("0", "-0.01", "negative"),
    ("0", "0.001", "decimals"), ("NaN", "0", "negative"),
])
def test_check_tolerance(quantity, price, problem) -> None:
    assert check_tolerance(D(quantity), D(price)) == problem
