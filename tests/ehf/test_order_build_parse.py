"""Building and parsing orders: schema order, Peppol rules, exact totals, round trip,
SBDH envelope and the identifier helpers."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from lxml import etree

from ehf import EhfError, Flag, build_order, parse_order, validate
from ehf.model import AllowanceCharge, Order, TaxCategory
from ehf.namespaces import CAC, CBC, ORDER, SBDH
from ehf.orgnr import gs1_check_digit, is_valid_gln, is_valid_gtin, is_valid_orgnr
from ehf.profiles import Profile
from ehf.sbdh import header_value, unwrap
from ehf.xmlsafe import parse_bytes
from ehf.xsd import validate_xsd
from tests.ehf.order_factory import make_line, make_order


def findings_of(data: bytes) -> list[tuple[str, Flag]]:
    return [(f.rule_id, f.flag) for f in validate(data)]


def test_built_order_is_schema_valid_and_rule_clean() -> None:
    assert findings_of(build_order(make_order())) == []


def test_round_trip() -> None:
    order = make_order(lines=3)
    assert parse_order(build_order(order)) == order


def test_no_ubl_version_no_schema_location_no_empty_elements() -> None:
    data = build_order(make_order())
    root = parse_bytes(data)
    assert root.find(f"{{{CBC}}}UBLVersionID") is None
    assert b"schemaLocation" not in data
    assert [el for el in root.iter() if len(el) == 0 and not (el.text or "").strip()] == []
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_header_fields() -> None:
    root = parse_bytes(build_order(make_order()))
    assert root.tag == f"{{{ORDER}}}Order"
    assert root.findtext(f"{{{CBC}}}CustomizationID") == "urn:fdc:peppol.eu:poacc:trns:order:3"
    assert root.findtext(f"{{{CBC}}}ProfileID") == "urn:fdc:peppol.eu:poacc:bis:ordering:3"
    assert root.findtext(f"{{{CAC}}}Contract/{{{CBC}}}ID") == "RA-2025-17"
    assert root.findtext(f"{{{CBC}}}AccountingCost") == "4010-IT"
    endpoint = root.find(f"{{{CAC}}}BuyerCustomerParty/{{{CAC}}}Party/{{{CBC}}}EndpointID")
    assert (endpoint.get("schemeID"), endpoint.text) == ("0192", "987654325")


def test_totals_are_exact() -> None:
    # lines: 2 x 49.90 + 3 x 49.90 = 249.50; charge 150.00 -> 399.50; VAT 25 % -> 99.875 -> 99.88
    order = make_order()
    totals = order.totals()
    assert totals.line_extension == Decimal("249.50")
    assert totals.charge_total == Decimal("150.00")
    assert totals.allowance_total is None
    assert totals.tax_exclusive == Decimal("399.50")
    assert order.tax() == Decimal("99.88")
    assert totals.tax_inclusive == Decimal("499.38")
    assert totals.payable == Decimal("499.38")
    root = parse_bytes(build_order(order))
    amt = root.find(f"{{{CAC}}}AnticipatedMonetaryTotal")
    assert amt.findtext(f"{{{CBC}}}PayableAmount") == "499.38"
    assert amt.find(f"{{{CBC}}}PayableAmount").get("currencyID") == "NOK"


def test_line_amount_with_base_quantity_and_allowance() -> None:
    line = make_line(1, quantity=Decimal("12.345"), price=Decimal("35.1245"), price_base_quantity=Decimal(3),
                     allowances_charges=(AllowanceCharge(False, Decimal("10"), reason="Rabatt"),
                                         AllowanceCharge(True, Decimal("40"), reason="Gebyr")))
    assert line.amount() == Decimal("174.54")
    order = dataclasses.replace(make_order(), lines=(line,))
    assert findings_of(build_order(order)) == []
    assert parse_order(build_order(order)) == order


def test_free_text_line_and_no_tax() -> None:
    free = make_line(1, seller_item_id=None, standard_item_id=None, standard_item_scheme=None,
                     classifications=(), tax=None, price=None)
    order = dataclasses.replace(make_order(), lines=(free,), allowances_charges=())
    assert free.is_free_text
    data = build_order(order)
    assert findings_of(data) == []
    assert parse_bytes(data).find(f"{{{CAC}}}TaxTotal") is None
    assert parse_order(data) == order


def test_document_allowance_and_stated_totals_survive() -> None:
    order = make_order(allowances_charges=(AllowanceCharge(False, Decimal("20.00"), reason="Rabatt", reason_code="95",
                                                           tax=TaxCategory("S", Decimal(25))),))
    assert findings_of(build_order(order)) == []
    stated = dataclasses.replace(order.computed_totals(), prepaid=Decimal("0.00"))
    wrong = dataclasses.replace(order, stated_totals=stated)
    assert parse_order(build_order(wrong)) == wrong


def test_wrong_stated_total_is_reported() -> None:
    order = make_order()
    bad = dataclasses.replace(order, stated_totals=dataclasses.replace(order.computed_totals(),
                                                                       line_extension=Decimal("1.00")))
    ids = {rule for rule, _ in findings_of(build_order(bad))}
    assert "PEPPOL-T01-R008" in ids


@pytest.mark.parametrize("profile", list(Profile))
def test_every_profile_validates(profile: Profile) -> None:
    data = build_order(make_order(profile=profile))
    assert findings_of(data) == []
    assert parse_order(data).profile is profile


def test_ehf_profile_fails_only_r031_under_plain_peppol_rules() -> None:
    from ehf.rules.t01 import RULES

    root = parse_bytes(build_order(make_order(profile=Profile.EHF_ORDERING)))
    assert [f.rule_id for f in RULES.check(root) if f.flag is Flag.FATAL] == ["PEPPOL-T01-R031"]


def test_sbdh_wrap_and_unwrap() -> None:
    order = make_order()
    data = build_order(order, sbdh=True, instance_id="7b3a3c3e-5d0b-4b4e-9d4b-1f0f3c2a9e11")
    root = parse_bytes(data)
    assert root.tag == f"{{{SBDH}}}StandardBusinessDocument"
    assert header_value(root, "Sender/Identifier") == "0192:987654325"
    assert header_value(root, "Receiver/Identifier") == "0192:123456785"
    assert header_value(root, "DocumentIdentification/Standard") == ORDER
    assert header_value(root, "DocumentIdentification/Type") == "Order"
    assert header_value(root, "DocumentIdentification/TypeVersion") == "2.1"
    assert header_value(root, "DocumentIdentification/InstanceIdentifier") == "7b3a3c3e-5d0b-4b4e-9d4b-1f0f3c2a9e11"
    scopes = {s.findtext(f"{{{SBDH}}}Type"): s.findtext(f"{{{SBDH}}}InstanceIdentifier")
              for s in root.iter(f"{{{SBDH}}}Scope")}
    assert scopes["DOCUMENTID"] == f"{ORDER}::Order##urn:fdc:peppol.eu:poacc:trns:order:3::2.1"
    assert scopes["PROCESSID"] == "urn:fdc:peppol.eu:poacc:bis:ordering:3"
    assert parse_order(data) == order
    assert validate(data) == []
    assert validate_xsd(unwrap(root)) == []


def test_sbdh_default_instance_id_is_stable() -> None:
    assert build_order(make_order(), sbdh=True) == build_order(make_order(), sbdh=True)


def test_parse_rejects_wrong_root() -> None:
    with pytest.raises(EhfError, match="Expected a UBL Order"):
        parse_order(b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>")


def test_parse_rejects_missing_id() -> None:
    root = parse_bytes(build_order(make_order()))
    root.remove(root.find(f"{{{CBC}}}ID"))
    with pytest.raises(EhfError, match="order ID"):
        parse_order(etree.tostring(root))


def test_orgnr_and_gs1() -> None:
    assert is_valid_orgnr("987654325") and is_valid_orgnr(" 123456785 ")
    assert not is_valid_orgnr("987654324") and not is_valid_orgnr("98765432") and not is_valid_orgnr("9876543250")
    assert not is_valid_orgnr("abcdefghi")
    assert is_valid_gln("5790000435951") and not is_valid_gln("5790000435954")
    assert is_valid_gtin("7311518011215") and is_valid_gtin("96385074") and not is_valid_gtin("7311518011218")
    assert gs1_check_digit("579000043595") == 1


def test_order_type_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        make_order().id = "x"  # type: ignore[misc]
    assert isinstance(make_order(), Order)


def test_gross_price_and_price_discount_round_trip() -> None:
    """Price/AllowanceCharge carries the gross price (BaseAmount) and the discount (Amount);
    the net price is PriceAmount = 60.00 - 10.00 (PEPPOL-T01-R019)."""
    line = make_line(1, price=Decimal("50.00"), gross_price=Decimal("60.00"), price_discount=Decimal("10.00"))
    order = dataclasses.replace(make_order(), lines=(line,))
    data = build_order(order)
    root = etree.fromstring(data)
    ac = root.find(f".//{{{CAC}}}Price/{{{CAC}}}AllowanceCharge")
    assert ac is not None
    assert [(etree.QName(c).localname, c.text) for c in ac] == [
        ("ChargeIndicator", "false"), ("Amount", "10.00"), ("BaseAmount", "60.00")]
    assert [f for f in validate(data) if f.flag is Flag.FATAL] == []
    assert parse_order(data) == order
    wrong = data.replace(b'<cbc:Amount currencyID="NOK">10.00</cbc:Amount><cbc:BaseAmount',
                         b'<cbc:Amount currencyID="NOK">11.00</cbc:Amount><cbc:BaseAmount')
    assert "PEPPOL-T01-R019" in {f.rule_id for f in validate(wrong)}
