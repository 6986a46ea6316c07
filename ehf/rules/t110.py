"""Peppol BIS Order Agreement (T110) business rules, release 2025.5.

An order agreement is a UBL OrderResponse with its own CustomizationID. The
checks mirror the official Schematron assertions. Where the official rule
contexts overlap (document-level allowances/charges), a node is only checked
by the first matching context, as Schematron does within one pattern.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from lxml import etree

from ehf import codelists
from ehf.findings import Flag
from ehf.rules import peppol_tables
from ehf.rules.common import common_includes
from ehf.rules.engine import RuleSet
from ehf.rules.structure import add_table_rules
from ehf.rules.xpath import (
    customization_not_starting_with,
    exists,
    first_decimal,
    first_number,
    items_without_id,
    normalize,
    present_and_negative,
    round2,
    string_value,
    strings,
    xdecimal,
    xnumber,
    xp,
    xround,
)

CUSTOMIZATION_PREFIX: Final = "urn:fdc:peppol.eu:poacc:trns:order_agreement:3"
# The document element as an XPath step. (Not named ROOT: ehf.validation reads a rule
# module's ROOT as the root element name to register the rules for.)
DOCUMENT: Final = "/*[local-name()='OrderResponse']"
ZERO: Final = Decimal(0)

RULES = RuleSet("PEPPOL-T110", includes=common_includes())


@RULES.rule(
    "PEPPOL-T110-R030",
    Flag.FATAL,
    "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:order_agreement:3'.",
)
def r030(root: etree._Element) -> Iterator[etree._Element]:
    yield from customization_not_starting_with(root, CUSTOMIZATION_PREFIX)


@RULES.rule(
    "PEPPOL-T110-R002",
    Flag.FATAL,
    'Each item in an Order agreement line SHALL be identifiable by either "item sellers identifier" or '
    '"item standard identifier"',
)
def r002(root: etree._Element) -> Iterator[etree._Element]:
    yield from items_without_id(root)


_AMOUNTS: Final = (
    "//cbc:Amount | //cbc:TaxAmount | //cbc:TaxableAmount | //cbc:LineExtensionAmount | //cbc:PriceAmount"
    " | //cbc:BaseAmount | //cac:LegalMonetaryTotal/cbc:*"
)


@RULES.rule("PEPPOL-T110-R004", Flag.FATAL, "All amounts SHALL have same currency code as document currency")
def r004(root: etree._Element) -> Iterator[etree._Element]:
    currencies = set(strings(root, f"{DOCUMENT}/cbc:DocumentCurrencyCode"))
    for el in xp(root, _AMOUNTS):
        currency = el.get("currencyID")
        if currency is not None and currency not in currencies:
            yield el


@RULES.rule(
    "PEPPOL-T110-R013",
    Flag.FATAL,
    "Elements of data type amount cannot have more than 2 decimals "
    "(I.e. all amounts except unit price amounts)",
)
def r013(root: etree._Element) -> Iterator[etree._Element]:
    for el in xp(root, _AMOUNTS):
        if xp(el, "ancestor::cac:Price"):
            continue
        text = string_value(el)
        if "." in text and len(text.split(".", 1)[1]) > 2:
            yield el


# ------------------------------------------------------------------ TAX rules


@RULES.rule(
    "PEPPOL-T110-R024",
    Flag.FATAL,
    "TAX category tax amount = TAX category taxable amount  x (TAX category rate  / 100), "
    "rounded to two decimals.",
)
def r024(root: etree._Element) -> Iterator[etree._Element]:
    for sub in xp(root, "//cac:TaxTotal/cac:TaxSubtotal"):
        percent = first_decimal(sub, "cac:TaxCategory/cbc:Percent")
        tax = first_decimal(sub, "cbc:TaxAmount")
        taxable = first_decimal(sub, "cbc:TaxableAmount")
        ok = False
        if percent is not None and tax is not None:
            if xround(percent) == 0:
                ok = xround(tax) == 0
            elif taxable is not None:
                ok = tax == round2(taxable * (percent / 100))
        elif not exists(sub, "cac:TaxCategory/cbc:Percent") and tax is not None:
            ok = xround(tax) == 0
        if not ok:
            yield sub


@RULES.rule(
    "PEPPOL-T110-R025",
    Flag.FATAL,
    "If TAX breakdown is present, the order agreement TAX total amount  = Σ TAX category tax amount.",
)
def r025(root: etree._Element) -> Iterator[etree._Element]:
    for total in xp(root, f"{DOCUMENT}/cac:TaxTotal[cac:TaxSubtotal]"):
        amount = first_decimal(total, "cbc:TaxAmount")
        parts = [xdecimal(s) for s in strings(total, "cac:TaxSubtotal/cbc:TaxAmount")]
        if amount is None or any(p is None for p in parts):
            yield total
        elif amount != round2(sum((p for p in parts if p is not None), ZERO)):
            yield total


@RULES.rule(
    "PEPPOL-T110-R028",
    Flag.FATAL,
    "A TAX breakdown with TAX Category codes E, AE, K, G or O SHALL have a TAX exemption reason text ",
)
def r028(root: etree._Element) -> Iterator[etree._Element]:
    for tc in xp(root, "//cac:TaxSubtotal/cac:TaxCategory[not(cbc:TaxExemptionReason)]"):
        if _category(tc) not in {"S", "Z", "L", "M"}:
            yield tc


@RULES.rule(
    "PEPPOL-T110-R029",
    Flag.FATAL,
    "A TAX breakdown with TAX Category codes S, Z, L and M SHALL NOT have a TAX exemption reason text ",
)
def r029(root: etree._Element) -> Iterator[etree._Element]:
    for tc in xp(root, "//cac:TaxSubtotal/cac:TaxCategory[cbc:TaxExemptionReason]"):
        if _category(tc) not in {"E", "AE", "O", "K", "G"}:
            yield tc


def _category(tc: etree._Element) -> str:
    found = xp(tc, "cbc:ID")
    return normalize(string_value(found[0])) if found else ""


def _cat2str(tc: etree._Element) -> str | None:
    """``u:cat2str``: category id and rate as "S-25000000"; None if the rate is not a decimal."""
    percent = first_decimal(tc, "cbc:Percent")
    if percent is None:
        return None
    return f"{_category(tc)}-{xround(percent * 1000000)}"


def _line_tax_categories(root: etree._Element) -> list[etree._Element]:
    return xp(root, "//cac:AllowanceCharge/cac:TaxCategory | //cac:Item/cac:ClassifiedTaxCategory")


def _document_categories(root: etree._Element) -> list[etree._Element]:
    return xp(root, f"{DOCUMENT}/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory")


@RULES.rule(
    "PEPPOL-T110-R026",
    Flag.FATAL,
    "Tax category rates MUST match provided tax categories on document level when such exists.",
)
def r026(root: etree._Element) -> Iterator[etree._Element]:
    if not exists(root, "//cac:TaxTotal"):
        return
    known = {_cat2str(tc) for tc in _document_categories(root)}
    for tc in _line_tax_categories(root):
        if exists(tc, "cbc:Percent") and (_cat2str(tc) is None or _cat2str(tc) not in known):
            yield tc


@RULES.rule(
    "PEPPOL-T110-R027",
    Flag.FATAL,
    "Tax categories MUST match provided tax categories on document level when such exists.",
)
def r027(root: etree._Element) -> Iterator[etree._Element]:
    if not exists(root, "//cac:TaxTotal"):
        return
    known = {_category(tc) for tc in _document_categories(root)}
    for tc in _line_tax_categories(root):
        if not any(string_value(i) in known for i in xp(tc, "cbc:ID")):
            yield tc


@RULES.rule(
    "PEPPOL-T110-R019",
    Flag.FATAL,
    "Each Tax Category SHALL have a TAX category rate, except if the order is not subject to TAX.",
)
def r019(root: etree._Element) -> Iterator[etree._Element]:
    for tc in _line_tax_categories(root):
        if not exists(tc, "cbc:Percent") and _category(tc) != "O":
            yield tc


@RULES.rule(
    "PEPPOL-T110-R020",
    Flag.FATAL,
    'When TAX category code is "Standard rated" (S) the TAX rate SHALL be greater than zero.',
)
def r020(root: etree._Element) -> Iterator[etree._Element]:
    for tc in _line_tax_categories(root):
        if _category(tc) == "S" and not first_number(tc, "cbc:Percent") > 0:
            yield tc


# ------------------------------------------------------------- document totals


class _Totals:
    """The variables the official LegalMonetaryTotal rule computes."""

    def __init__(self, root: etree._Element, lmt: etree._Element) -> None:
        def own(name: str) -> Decimal | None:
            return first_decimal(lmt, f"cbc:{name}") if exists(lmt, f"cbc:{name}") else ZERO

        self.line_extension = own("LineExtensionAmount")
        self.allowance_total = own("AllowanceTotalAmount")
        self.charge_total = own("ChargeTotalAmount")
        self.tax_exclusive = own("TaxExclusiveAmount")
        self.tax_inclusive = own("TaxInclusiveAmount")
        self.rounding = own("PayableRoundingAmount")
        self.payable = own("PayableAmount")
        self.prepaid = own("PrepaidAmount")
        tax = xp(root, f"{DOCUMENT}/cac:TaxTotal/cbc:TaxAmount")
        self.tax_total = xdecimal(string_value(tax[0])) if tax else ZERO
        self.doc_allowances = _sum(
            root, f"{DOCUMENT}/cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false']/cbc:Amount"
        )
        self.doc_charges = _sum(
            root, f"{DOCUMENT}/cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='true']/cbc:Amount"
        )
        self.lines = _sum(root, "//cac:OrderLine/cac:LineItem/cbc:LineExtensionAmount")


def _sum(root: etree._Element, path: str) -> Decimal | None:
    values = [xdecimal(s) for s in strings(root, path)]
    if any(v is None for v in values):
        return None
    return round2(sum((v for v in values if v is not None), ZERO))


def _eq(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and a == b


def _add(*values: Decimal | None) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), ZERO)


def _totals(root: etree._Element) -> Iterator[tuple[etree._Element, _Totals]]:
    for lmt in xp(root, "//cac:LegalMonetaryTotal"):
        yield lmt, _Totals(root, lmt)


@RULES.rule(
    "PEPPOL-T110-R014",
    Flag.FATAL,
    "If document totals is provided, all order agreement lines SHALL have a line extension amount",
)
def r014(root: etree._Element) -> Iterator[etree._Element]:
    for lmt, _t in _totals(root):
        if len(xp(root, "//cac:OrderLine")) != len(xp(root, "//cac:LineItem/cbc:LineExtensionAmount")):
            yield lmt


@RULES.rule(
    "PEPPOL-T110-R005",
    Flag.FATAL,
    "Total amount for payment SHALL NOT be negative, if expected total amount for payment is provided.",
)
def r005(root: etree._Element) -> Iterator[etree._Element]:
    for lmt, _t in _totals(root):
        if present_and_negative(lmt, "cbc:PayableAmount"):
            yield lmt


@RULES.rule(
    "PEPPOL-T110-R006",
    Flag.FATAL,
    "Total amount for payment SHALL NOT be negative, if expected total amount for payment is provided.",
)
def r006(root: etree._Element) -> Iterator[etree._Element]:
    for lmt, t in _totals(root):
        if t.line_extension is None or t.line_extension < 0:
            yield lmt


@RULES.rule(
    "PEPPOL-T110-R007",
    Flag.FATAL,
    "Total sum of line amounts SHALL equal the sum of the order line amounts at order line level, "
    "if total sum of line amounts is provided.",
)
def r007(root: etree._Element) -> Iterator[etree._Element]:
    for lmt, t in _totals(root):
        if exists(lmt, "cbc:LineExtensionAmount") and not _eq(t.line_extension, t.lines):
            yield lmt


@RULES.rule(
    "PEPPOL-T110-R008",
    Flag.FATAL,
    "Total sum of charges at document level SHALL be equal to the sum of charges at document level, if total "
    "sum of charges at document level is provided.",
)
def r008(root: etree._Element) -> Iterator[etree._Element]:
    for lmt, t in _totals(root):
        if exists(lmt, "cbc:ChargeTotalAmount") and not _eq(t.charge_total, t.doc_charges):
            yield lmt


@RULES.rule(
    "PEPPOL-T110-R009",
    Flag.FATAL,
    "Total sum of allowance at document level SHALL be equal to the sum of allowance amounts at "
    "document level, if total sum of allowance at document level is provided.",
)
def r009(root: etree._Element) -> Iterator[etree._Element]:
    for lmt, t in _totals(root):
        if exists(lmt, "cbc:AllowanceTotalAmount") and not _eq(t.allowance_total, t.doc_allowances):
            yield lmt


@RULES.rule(
    "PEPPOL-T110-R010",
    Flag.FATAL,
    "Tax exclusive amount SHALL equal the sum of line amount plus total charge amount at document level less "
    "total allowance amount at document level if tax exclusive amount is provided.",
)
def r010(root: etree._Element) -> Iterator[etree._Element]:
    for lmt, t in _totals(root):
        if not exists(lmt, "cbc:TaxExclusiveAmount"):
            continue
        minus_allowance = None if t.allowance_total is None else -t.allowance_total
        if not _eq(t.tax_exclusive, _add(t.line_extension, t.charge_total, minus_allowance)):
            yield lmt


@RULES.rule(
    "PEPPOL-T110-R011",
    Flag.FATAL,
    "Tax inclusive amount SHALL equal tax exclusive amount plus total tax amount.",
)
def r011(root: etree._Element) -> Iterator[etree._Element]:
    for lmt, t in _totals(root):
        if not _eq(t.tax_inclusive, _add(t.tax_exclusive, t.tax_total)):
            yield lmt


@RULES.rule(
    "PEPPOL-T110-R012",
    Flag.FATAL,
    "Total amount for payment SHALL be equal to the tax inclusive amount minus the prepaid amount "
    "plus rounding amount",
)
def r012(root: etree._Element) -> Iterator[etree._Element]:
    for lmt, t in _totals(root):
        if not exists(lmt, "cbc:PayableAmount"):
            continue
        minus_prepaid = None if t.prepaid is None else -t.prepaid
        if not _eq(t.payable, _add(t.tax_inclusive, minus_prepaid, t.rounding)):
            yield lmt


# --------------------------------------------------- document allowance/charge


def _doc_allowance_charges(root: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Each document-level AllowanceCharge with the first official context it matches."""
    for ac in xp(root, f"{DOCUMENT}/cac:AllowanceCharge"):
        has_factor = exists(ac, "cbc:MultiplierFactorNumeric")
        has_base = exists(ac, "cbc:BaseAmount")
        if has_factor and not has_base:
            yield "R015", ac
        elif has_base and not has_factor:
            yield "R016", ac
        else:
            yield "general", ac


@RULES.rule(
    "PEPPOL-T110-R015",
    Flag.FATAL,
    "Allowance/charge base amount SHALL be provided when allowance/charge percentage is provided.",
)
def r015(root: etree._Element) -> Iterator[etree._Element]:
    return (ac for kind, ac in _doc_allowance_charges(root) if kind == "R015")


@RULES.rule(
    "PEPPOL-T110-R016",
    Flag.FATAL,
    "Allowance/charge percentage SHALL be provided when allowance/charge base amount is provided.",
)
def r016(root: etree._Element) -> Iterator[etree._Element]:
    return (ac for kind, ac in _doc_allowance_charges(root) if kind == "R016")


@RULES.rule(
    "PEPPOL-T110-R017",
    Flag.FATAL,
    "Allowance/charge amount SHALL equal base amount * percentage/100 if base amount and percentage exists",
)
def r017(root: etree._Element) -> Iterator[etree._Element]:
    for kind, ac in _doc_allowance_charges(root):
        if kind != "general" or not exists(ac, "cbc:MultiplierFactorNumeric"):
            continue
        amount = first_decimal(ac, "cbc:Amount") if exists(ac, "cbc:Amount") else ZERO
        base = first_decimal(ac, "cbc:BaseAmount")
        factor = first_decimal(ac, "cbc:MultiplierFactorNumeric")
        if amount is None or base is None or factor is None:
            yield ac
        elif abs(amount - base * factor / 100) > Decimal("0.02"):
            yield ac


@RULES.rule(
    "PEPPOL-T110-R018",
    Flag.FATAL,
    "Each document level allowance SHALL have an allowance reason text or an allowance reason code.",
)
def r018(root: etree._Element) -> Iterator[etree._Element]:
    for kind, ac in _doc_allowance_charges(root):
        if kind == "general" and not exists(ac, "cbc:AllowanceChargeReason | cbc:AllowanceChargeReasonCode"):
            yield ac


@RULES.rule(
    "PEPPOL-T110-R021",
    Flag.FATAL,
    "Document level allowance or charge amounts SHALL NOT be negative.",
)
def r021(root: etree._Element) -> Iterator[etree._Element]:
    for kind, ac in _doc_allowance_charges(root):
        if kind == "general" and not first_number(ac, "cbc:Amount") >= 0:
            yield ac


# ------------------------------------------------------------------------ price


@RULES.rule("PEPPOL-T110-R001", Flag.FATAL, "Each order agreement line item net price SHALL not be negative")
def r001(root: etree._Element) -> Iterator[etree._Element]:
    return (p for p in xp(root, "//cac:Price") if not first_number(p, "cbc:PriceAmount") >= 0)


@RULES.rule("PEPPOL-T110-R022", Flag.FATAL, "The Item gross price SHALL NOT be negative.")
def r022(root: etree._Element) -> Iterator[etree._Element]:
    for price in xp(root, "//cac:Price"):
        bases = strings(price, "cac:AllowanceCharge/cbc:BaseAmount")
        if bases and not any(xnumber(b) >= 0 for b in bases):
            yield price


@RULES.rule("PEPPOL-T110-R023", Flag.FATAL, "Allowance or charge price amounts SHALL NOT be negative.")
def r023(root: etree._Element) -> Iterator[etree._Element]:
    for price in xp(root, "//cac:Price"):
        if present_and_negative(price, "cac:AllowanceCharge/cbc:Amount"):
            yield price


# ------------------------------------------------------------------ code lists


@RULES.rule("PEPPOL-T110-CL001", Flag.FATAL, "Reason code MUST be according to subset of UNCL 5189 D.16B.")
def cl001(root: etree._Element) -> Iterator[etree._Element]:
    path = "//cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false']/cbc:AllowanceChargeReasonCode"
    return (el for el in xp(root, path) if normalize(el.text) not in codelists.UNCL5189)


@RULES.rule("PEPPOL-T110-CL002", Flag.FATAL, "Reason code MUST be according to UNCL 7161 D.16B.")
def cl002(root: etree._Element) -> Iterator[etree._Element]:
    path = "//cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='true']/cbc:AllowanceChargeReasonCode"
    return (el for el in xp(root, path) if normalize(el.text) not in codelists.UNCL7161)


# --- generated basic rules (PEPPOL-T110-Bnnnnn, T110-basic.sch of the official rules): mandatory
# elements, code lists, fixed values, elements outside the data model and schemaLocation (fatal)
add_table_rules(RULES, peppol_tables.T110)
