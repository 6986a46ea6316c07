"""Every official Order example parses; every one round-trips (parse -> build) to an
XSD-valid, rule-clean document equal in meaning; EHF examples break exactly one
Peppol rule (the ProfileID rule R031) and are clean under the EHF selection."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ehf import Flag, build_order, parse_order, validate
from ehf.rules.t01 import RULES
from ehf.xmlsafe import parse_bytes
from tests.ehf.shared_paths import EXAMPLES, NEEDS_SHARED, examples

pytestmark = NEEDS_SHARED  # reads ../shared/peppol (skipped when absent, fails with REQUIRE_SHARED=1)

ORDER_EXAMPLES = examples("order")


def _name(path: Path) -> str:
    return str(path.relative_to(EXAMPLES))


def _fatal_ids(root_bytes: bytes) -> list[str]:
    return [f.rule_id for f in RULES.check(parse_bytes(root_bytes)) if f.flag is Flag.FATAL]


def test_examples_present() -> None:
    assert len(ORDER_EXAMPLES) == 18


@pytest.mark.parametrize("path", ORDER_EXAMPLES, ids=_name)
def test_example_is_valid_as_published(path: Path) -> None:
    data = path.read_bytes()
    assert [f for f in validate(data) if f.flag is Flag.FATAL] == []
    expected = ["PEPPOL-T01-R031"] if "/ehf/" in str(path) else []
    assert _fatal_ids(data) == expected


@pytest.mark.parametrize("path", ORDER_EXAMPLES, ids=_name)
def test_example_round_trips(path: Path) -> None:
    order = parse_order(path.read_bytes())
    rebuilt = build_order(order)
    assert [f for f in validate(rebuilt) if f.flag is Flag.FATAL] == []
    assert parse_order(rebuilt) == order
    assert build_order(parse_order(rebuilt)) == rebuilt


def test_example_content_is_read() -> None:
    order = parse_order((EXAMPLES / "order/peppol/Order_Example.xml").read_bytes())
    assert order.id == "34"
    assert order.buyer.endpoint_id == "987654325" and order.buyer.endpoint_scheme == "0192"
    assert order.contract_id == "34322"
    assert order.accounting_cost == "Project123"
    assert order.buyer_reference == "9000012345"
    assert order.buyer.vat_id == "NO9311867455MVA"
    assert order.delivery is not None and order.delivery.address is not None
    assert order.delivery.address.city == "Lørenskog"
    assert len(order.lines) >= 1 and all(line.quantity >= 0 for line in order.lines)
    # gross price and price discount (Price/AllowanceCharge) are kept
    assert [(line.price, line.gross_price, line.price_discount) for line in order.lines] == [
        (Decimal("50.000"), Decimal("60.00"), Decimal("10.00")),
        (Decimal("15.000"), Decimal("115.0000"), Decimal("100.0000")),
    ]
