"""Every official Order example parses; every one round-trips (parse -> build) to an
XSD-valid, rule-clean document equal in meaning; EHF examples break exactly one
Peppol rule (the ProfileID rule R031) and are clean under the EHF selection."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from lxml import etree

from ehf import Flag, build_order, parse_order, validate
from ehf.namespaces import CAC, CBC
from ehf.rules.t01 import RULES
from ehf.sbdh import unwrap
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


def _values(root: etree._Element) -> Counter[tuple[str, str]]:
    """(element path below the root, value) of every leaf, numbers compared by value."""
    out: Counter[tuple[str, str]] = Counter()
    for el in root.iter():
        if not isinstance(el.tag, str) or len(el) or not (el.text or "").strip():
            continue
        path = "/".join(etree.QName(a).localname for a in [*list(el.iterancestors())[::-1][1:], el])
        value = " ".join((el.text or "").split())
        try:
            value = str(Decimal(value).normalize()) if "." in value else value
        except InvalidOperation:
            pass
        out[(path, value)] += 1
    return out


# written out by hand: what parse -> build keeps, element by element, in every official example
KEPT = [
    "ValidityPeriod/EndDate", "QuotationDocumentReference/ID", "OrderDocumentReference/ID",
    "OriginatorDocumentReference/ID", "Contract/ID", "DeliveryTerms/ID", "DeliveryTerms/SpecialTerms",
    "DeliveryTerms/DeliveryLocation/ID", "OrderLine/LineItem/ID", "OrderLine/LineItem/Quantity",
    "OrderLine/LineItem/PartialDeliveryIndicator", "OrderLine/LineItem/Delivery/RequestedDeliveryPeriod/StartDate",
    "OrderLine/LineItem/Delivery/RequestedDeliveryPeriod/EndDate", "OrderLine/LineItem/Price/PriceAmount",
    "OrderLine/LineItem/Price/AllowanceCharge/Amount", "OrderLine/LineItem/Price/AllowanceCharge/BaseAmount",
    "OrderLine/LineItem/Item/Name",
    "BuyerCustomerParty/Party/PartyLegalEntity/RegistrationAddress/CityName",
    "BuyerCustomerParty/Party/PartyLegalEntity/RegistrationAddress/Country/IdentificationCode",
    "AccountingCustomerParty/Party/PartyLegalEntity/RegistrationAddress/CityName",
    "AdditionalDocumentReference/ID", "AdditionalDocumentReference/DocumentType",
    "AdditionalDocumentReference/Attachment/ExternalReference/URI",
    "AdditionalDocumentReference/Attachment/EmbeddedDocumentBinaryObject",
    "Delivery/DeliveryParty/PartyIdentification/ID", "OrderLine/LineItem/OriginatorParty/PartyIdentification/ID",
    "OrderLine/LineItem/OriginatorParty/PartyName/Name",
    "OrderLine/LineItem/Item/ItemSpecificationDocumentReference/ID", "OrderLine/LineItem/Item/ItemInstance/SerialID",
    "OrderLine/LineItem/Item/ItemInstance/LotIdentification/LotNumberID", "Delivery/DeliveryLocation/Name",
    "Delivery/DeliveryParty/PostalAddress/CityName", "Delivery/DeliveryParty/PostalAddress/StreetName",
]


def _attributes(root: etree._Element, path: str, name: str) -> list[str]:
    return sorted(str(el.get(name)) for el in root.iterfind(path, {"cac": CAC, "cbc": CBC}) if el.get(name))


@pytest.mark.parametrize("path", ORDER_EXAMPLES, ids=_name)
def test_round_trip_keeps_scheme_attributes(path: Path) -> None:
    original = unwrap(parse_bytes(path.read_bytes()))
    rebuilt = parse_bytes(build_order(parse_order(path.read_bytes())))
    for where in (".//cac:ClassifiedTaxCategory/cbc:ID", ".//cac:DeliveryParty/cac:PartyIdentification/cbc:ID",
                  ".//cac:OriginatorParty/cac:PartyIdentification/cbc:ID"):
        assert _attributes(original, where, "schemeID") == _attributes(rebuilt, where, "schemeID")


@pytest.mark.parametrize("path", ORDER_EXAMPLES, ids=_name)
def test_round_trip_keeps_values_element_by_element(path: Path) -> None:
    original = unwrap(parse_bytes(path.read_bytes()))
    rebuilt = parse_bytes(build_order(parse_order(path.read_bytes())))
    before, after = _values(original), _values(rebuilt)
    for kept in KEPT:
        assert {k: n for k, n in before.items() if k[0] == kept} == {k: n for k, n in after.items() if k[0] == kept}


def test_round_trip_covers_the_new_fields() -> None:
    """At least one official example carries each of these, so the test above can fail."""
    present = {k[0] for p in ORDER_EXAMPLES for k in _values(unwrap(parse_bytes(p.read_bytes())))}
    assert set(KEPT) <= present
