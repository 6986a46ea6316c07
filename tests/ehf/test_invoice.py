"""Invoice and Credit Note (Peppol BIS Billing 3 / EHF Billing 3.0): build, parse, XSD and the
ordering/matching rules, on our own fixtures (expected values written by hand) and, when a checkout
of OpenPEPPOL/peppol-bis-invoice-3 is at hand, on its official examples and unit tests."""
from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from ehf import validation
from ehf.errors import EhfError
from ehf.findings import has_fatal
from ehf.invoice import (
    BillingParty,
    DocumentKind,
    InvoiceLine,
    build_invoice,
    is_billing_document,
    make_invoice,
    parse_invoice,
)
from ehf.rules import billing
from ehf.rules.xpath import XNS
from ehf.validation import validate
from ehf.xsd import validate_xsd
from tests.ehf.unit_test_sets import Expectation, check_expectation

SELLER = BillingParty(name="Kontorleveranser AS", endpoint_id="987654325", endpoint_scheme="0192",
                      company_id="987654325", vat_id="NO987654325MVA", street="Storgata 1", city="Oslo",
                      postal_zone="0155")
BUYER = BillingParty(name="Eksempel kommune", endpoint_id="964338531", endpoint_scheme="0192",
                     company_id="964338531", city="Bergen", postal_zone="5020")


def _line(no: str, quantity: str, price: str, order_line: str | None = "1") -> InvoiceLine:
    return InvoiceLine(id=no, quantity=Decimal(quantity), unit_code="EA",
                       line_amount=(Decimal(quantity) * Decimal(price)).quantize(Decimal("0.01")),
                       price=Decimal(price), name="Kopipapir A4", order_line_id=order_line, sellers_item_id="P-100")


def _invoice(kind: DocumentKind = DocumentKind.INVOICE, **extra: object) -> bytes:
    lines = (_line("1", "10", "45.50"), _line("2", "3", "19.90", "2"))
    return build_invoice(make_invoice(id="F-1001", issue_date=date(2026, 12, 1), seller=SELLER, buyer=BUYER,
                                      lines=lines, kind=kind, due_date=date(2026, 12, 31),
                                      order_reference="IK-42", buyer_reference="Ola Nordmann", **extra))


def _ids(xml: bytes) -> list[str]:
    return sorted({f.rule_id for f in validate(xml)})


def _edit(xml: bytes, path: str, value: str | None) -> bytes:
    root = etree.fromstring(xml)
    for el in root.xpath(path, namespaces=XNS):
        if value is None:
            el.getparent().remove(el)
        else:
            el.text = value
    return etree.tostring(root)


def test_built_invoice_is_valid_and_totals_are_computed_by_hand() -> None:
    xml = _invoice()
    assert validate(xml) == []
    parsed = parse_invoice(xml)
    # 10 x 45.50 = 455.00, 3 x 19.90 = 59.70; 514.70 + 25 % VAT 128.675 -> 128.68
    assert parsed.line_extension_amount == Decimal("514.70")
    assert parsed.tax_amount == Decimal("128.68")
    assert parsed.payable_amount == Decimal("643.38")
    assert parsed.order_reference == "IK-42"
    assert parsed.buyer_reference == "Ola Nordmann"
    assert [(ln.order_line_id, ln.quantity, ln.price) for ln in parsed.lines] == [
        ("1", Decimal("10"), Decimal("45.50")), ("2", Decimal("3"), Decimal("19.90"))]
    assert parsed.kind is DocumentKind.INVOICE
    assert parsed.seller.vat_id == "NO987654325MVA"
    assert parsed.due_date == date(2026, 12, 31)


def test_credit_note_round_trip_and_valid() -> None:
    xml = _invoice(DocumentKind.CREDIT_NOTE, billing_references=("F-1000",))
    assert b"<CreditNote" in xml and b"CreditedQuantity" in xml
    assert validate(xml) == []
    parsed = parse_invoice(xml)
    assert parsed.kind is DocumentKind.CREDIT_NOTE
    assert parsed.type_code == "381"
    assert parsed.billing_references == ("F-1000",)
    assert parsed.due_date == date(2026, 12, 31)
    assert parsed.lines[0].quantity == Decimal("10")


def test_sbdh_envelope_is_accepted() -> None:
    lines = (_line("1", "1", "100"),)
    xml = build_invoice(make_invoice(id="F-9", issue_date=date(2026, 12, 1), seller=SELLER, buyer=BUYER,
                                     lines=lines, order_reference="IK-1"), sbdh=True)
    assert b"StandardBusinessDocument" in xml
    assert is_billing_document(xml)
    assert validate(xml) == []
    assert parse_invoice(xml).id == "F-9"


def test_xsd_catches_element_order() -> None:
    root = etree.fromstring(_invoice())
    root.append(root.find("{*}DocumentCurrencyCode"))  # moved to the end: not UBL
    assert [f.rule_id for f in validate_xsd(root)] == ["XSD"] * len(validate_xsd(root)) != []


@pytest.mark.parametrize(("path", "value", "rule"), [
    # order/buyer reference: with neither, PEPPOL-EN16931-R003
    ("//cbc:BuyerReference | //cac:OrderReference", None, "PEPPOL-EN16931-R003"),
    ("/*/cbc:CustomizationID", "urn:cen.eu:en16931:2017", "PEPPOL-EN16931-R004"),
    ("/*/cbc:ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:1:1.0", "PEPPOL-EN16931-R007"),
    ("//cac:InvoiceLine[1]/cbc:LineExtensionAmount", "455.03", "PEPPOL-EN16931-R120"),  # 0.03 over the slack
    ("//cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "514.71", "BR-CO-10"),
    ("//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "514.69", "BR-CO-13"),
    ("/*/cac:TaxTotal/cbc:TaxAmount", "128.67", "BR-CO-14"),
    ("//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "643.37", "BR-CO-15"),
    ("//cac:LegalMonetaryTotal/cbc:PayableAmount", "643.39", "BR-CO-16"),
    ("/*/cac:TaxTotal/cac:TaxSubtotal", None, "BR-CO-18"),
    ("//cac:TaxSubtotal/cbc:TaxableAmount", "513.70", "BR-S-08"),  # exactly 1 off: outside the ±1 slack
    ("//cac:TaxSubtotal/cbc:TaxAmount", "127.68", "BR-S-09"),
    ("//cac:InvoiceLine[2]/cac:Price/cbc:PriceAmount", "-19.90", "BR-27"),
    ("//cac:InvoiceLine", None, "BR-16"),
    ("//cac:InvoiceLine[1]/cac:Item/cbc:Name", None, "BR-25"),
    ("//cac:AccountingSupplierParty//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID",
     "NO987654321MVA", "NO-R-001"),  # 987654321 fails the mod 11 check
])
def test_each_rule_breaks_on_its_own_fixture(path: str, value: str | None, rule: str) -> None:
    broken = _edit(_invoice(), path, value)
    assert rule in _ids(broken)
    assert has_fatal(validate(broken))


@pytest.mark.parametrize(("path", "value"), [
    ("//cac:InvoiceLine[1]/cbc:LineExtensionAmount", "455.02"),  # R120: within 0.02
    ("//cac:OrderReference", None),  # buyer reference alone is enough for R003
    ("//cbc:BuyerReference", None),  # order reference alone too
])
def test_nearly_breaking_fixtures_pass_those_rules(path: str, value: str | None) -> None:
    ids = _ids(_edit(_invoice(), path, value))
    assert "PEPPOL-EN16931-R120" not in ids and "PEPPOL-EN16931-R003" not in ids


def test_currency_mismatch_is_r051() -> None:
    root = etree.fromstring(_invoice())
    root.xpath("//*[local-name()='PayableAmount']")[0].set("currencyID", "SEK")
    assert "PEPPOL-EN16931-R051" in _ids(etree.tostring(root))


def test_validation_picks_the_billing_rules() -> None:
    assert validation.select(etree.fromstring(_invoice())).ruleset is billing.RULES
    assert validation.select(etree.fromstring(_invoice(DocumentKind.CREDIT_NOTE))).ruleset is billing.RULES


@pytest.mark.parametrize("data", [
    b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>",
    b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
    b"not xml",
])
def test_parse_refuses_other_and_hostile_documents(data: bytes) -> None:
    with pytest.raises(EhfError):
        parse_invoice(data)


def test_parse_refuses_a_non_numeric_quantity() -> None:
    broken = _edit(_invoice(), "//cac:InvoiceLine[1]/cbc:InvoicedQuantity", "ten")
    with pytest.raises(EhfError, match="not a number"):
        parse_invoice(broken)


# ------------------------------------------------ official material (read from a checkout, never copied)

BILLING_REPO = Path(os.environ.get("PEPPOL_BILLING_REPO", "/work/.mirror/OpenPEPPOL+peppol-bis-invoice-3/repo"))
NEEDS_REPO = pytest.mark.skipif(not BILLING_REPO.is_dir(),
                                reason="OpenPEPPOL/peppol-bis-invoice-3 checkout not found (PEPPOL_BILLING_REPO)")


def _official(path: str) -> bytes:
    return subprocess.run(["git", "-C", str(BILLING_REPO), "show", f"HEAD:{path}"], check=True,
                          capture_output=True).stdout


OFFICIAL_EXAMPLES = ["rules/examples/base-example.xml", "rules/examples/base-creditnote-correction.xml",
                     "rules/examples/base-negative-inv-correction.xml", "rules/examples/Allowance-example.xml",
                     "rules/examples/sales-order-example.xml", "rules/examples/Vat-category-S.xml",
                     "rules/examples/vat-category-E.xml", "rules/examples/vat-category-O.xml",
                     "rules/examples/vat-category-Z.xml", "rules/national-examples/NO/Norwegian-example-1.xml"]


@NEEDS_REPO
@pytest.mark.parametrize("path", OFFICIAL_EXAMPLES)
def test_official_examples_have_no_finding_and_parse(path: str) -> None:
    xml = _official(path)
    assert validate(xml) == []
    parsed = parse_invoice(xml)
    assert parsed.lines and parsed.line_extension_amount == sum(ln.line_amount for ln in parsed.lines)


@NEEDS_REPO
def test_official_base_example_values() -> None:
    parsed = parse_invoice(_official("rules/examples/base-example.xml"))
    assert (parsed.id, parsed.buyer_reference, parsed.payable_amount) == ("Snippet1", "0150abc", Decimal("1656.25"))
    assert [ln.order_line_id for ln in parsed.lines] == ["123", "123"]


OFFICIAL_UNIT_TESTS = ["PEPPOL-EN16931-R003", "PEPPOL-EN16931-R053", "PEPPOL-EN16931-R120",
                       "PEPPOL-EN16931-R121", "PEPPOL-EN16931-R130"]


def _unit_expectations() -> list[Expectation]:
    from tests.ehf.unit_test_sets import read_test_set

    if not BILLING_REPO.is_dir():
        return []
    out: list[Expectation] = []
    # one folder per process: pytest-xdist workers collect at the same time
    tmp = Path(tempfile.mkdtemp(prefix="billing-unit-tests-"))
    for rule in OFFICIAL_UNIT_TESTS:
        target = tmp / f"{rule}.xml"
        target.write_bytes(_official(f"rules/unit-UBL-PEPPOL/{rule}.xml"))
        out += [e for e in read_test_set(target) if e.rule_id == rule]
    return out


@NEEDS_REPO
@pytest.mark.parametrize("expectation", _unit_expectations(), ids=lambda e: e.id)
def test_official_unit_tests(expectation: Expectation) -> None:
    check_expectation(billing.RULES, expectation)
