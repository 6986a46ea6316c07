"""Order Agreement (T110): the agreed order as an Order plus the agreement's own details."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ehf import EhfError, build_order_agreement, parse_order_agreement, validate
from ehf.components import Measure
from ehf.validation import select
from ehf.xmlsafe import parse_bytes
from tests.ehf.shared_paths import EXAMPLES, NEEDS_SHARED, examples, missing_param

pytestmark = NEEDS_SHARED

PATHS = [p for p in examples("order-agreement") if isinstance(p, Path)] or missing_param()


@pytest.mark.parametrize("path", PATHS, ids=str)
def test_parse_build_parse_is_stable_and_valid(path: Path) -> None:
    profile = "ehf" if "/ehf/" in str(path) else "peppol"
    agreement = parse_order_agreement(path.read_bytes())
    data = build_order_agreement(agreement, profile=profile)
    assert validate(data) == []
    assert select(parse_bytes(data)).ruleset.name == ("EHF-T110" if profile == "ehf" else "PEPPOL-T110")
    assert parse_order_agreement(data) == agreement


def test_official_example_content() -> None:
    agreement = parse_order_agreement((EXAMPLES / "order-agreement/peppol/OrderAgreement_Example.xml").read_bytes())
    assert agreement.order_id == "11233"
    assert agreement.delivery_contact is not None and agreement.delivery_contact.name == "Peter Petersen"
    assert [(s.category, s.percent, s.taxable_amount, s.tax_amount) for s in agreement.tax_subtotals] == [
        ("S", Decimal("25"), Decimal("31.25"), Decimal("7.81"))]
    line = agreement.lines[0]
    assert (line.delivery_quantity, line.price_type, line.transaction_actions) == (
        Measure(Decimal("15"), "C62"), "AAA", ("CT",))
    assert line.certificates[0].id == "EU EcoLabel" and line.specifications[0].document_type == "Timesheet"
    assert agreement.order.lines[0].note == "Order line note text"


def test_an_order_response_is_not_an_agreement() -> None:
    data = (EXAMPLES / "order-response/peppol/OrderResponse_Example.xml").read_bytes()
    with pytest.raises(EhfError, match="Not an order agreement"):
        parse_order_agreement(data)
