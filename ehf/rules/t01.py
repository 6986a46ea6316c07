"""Peppol Order (T01) rules, release 2025.5 ("Rules for Peppol Order transaction 3.6").

The hand-written business rules (PEPPOL-T01-R0xx, CL001/CL002) are functions below;
the 266 generated basic rules (PEPPOL-T01-Bnnnnn) are data in ``t01_table`` applied by
the generic structure checker. ``RULES`` includes the PEPPOL-COMMON rules.
"""
from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import overload

from lxml import etree

from ehf import codelists
from ehf.findings import Flag
from ehf.namespaces import NS
from ehf.rules import t01_table
from ehf.rules.common import COMMON, XSI_SCHEMA_LOCATION
from ehf.rules.engine import RuleSet
from ehf.rules.structure import structure_check

RULES = RuleSet("PEPPOL-T01", includes=[COMMON])

CUSTOMIZATION_PREFIX = "urn:fdc:peppol.eu:poacc:trns:order:3"
PROFILES = frozenset({
    "urn:fdc:peppol.eu:poacc:bis:order_only:3",
    "urn:fdc:peppol.eu:poacc:bis:ordering:3",
    "urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3",
})
CENT = Decimal("0.01")


def _x(expr: str) -> etree.XPath:
    return etree.XPath(expr, namespaces=NS)


def norm(el: etree._Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def dec(el: etree._Element | None) -> Decimal | None:
    """The decimal value of ``el`` (None when absent or not a number)."""
    if el is None:
        return None
    try:
        value = Decimal(norm(el))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@cache
def _clark(path: str) -> str:
    """``cac:Price/cbc:PriceAmount`` in Clark notation: lxml compiles a prefixed path with a
    namespace map anew on every call, a Clark path once."""
    return "/".join(f"{{{NS[part.split(':')[0]]}}}{part.split(':')[1]}" if ":" in part else part
                    for part in path.split("/"))


def child(el: etree._Element, path: str) -> etree._Element | None:
    return el.find(_clark(path))


@overload
def child_dec(el: etree._Element, path: str, default: Decimal) -> Decimal: ...
@overload
def child_dec(el: etree._Element, path: str, default: None = None) -> Decimal | None: ...
def child_dec(el: etree._Element, path: str, default: Decimal | None = None) -> Decimal | None:
    value = dec(child(el, path))
    return default if value is None else value


def negative(el: etree._Element | None) -> bool:
    """True when ``el`` is present and not a non-negative number (XPath ``. >= 0`` fails)."""
    if el is None:
        return False
    value = dec(el)
    return value is None or value < 0


ZERO = Decimal(0)
_LINE_ITEMS = _x("cac:OrderLine/cac:LineItem")
_AMT = _x("cac:AnticipatedMonetaryTotal")
_PRICES = _x("cac:OrderLine/cac:LineItem/cac:Price")
_PRICE_ACS = _x("cac:OrderLine/cac:LineItem/cac:Price/cac:AllowanceCharge")
_DOC_LINE_ACS = _x("cac:AllowanceCharge | cac:OrderLine/cac:LineItem/cac:AllowanceCharge")
_ALL_ACS = _x(".//cac:AllowanceCharge")
_DOC_ALLOWANCES = _x("cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator) = 'false']/cbc:Amount")
_DOC_CHARGES = _x("cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator) = 'true']/cbc:Amount")
_TAX_CATEGORIES = _x(".//cac:TaxCategory | .//cac:ClassifiedTaxCategory")
_VAT_SCHEMES = _x(".//cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) = 'VAT']")
_AMOUNT_NAMES = (
    "Amount", "BaseAmount", "TaxAmount", "LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount",
    "AllowanceTotalAmount", "ChargeTotalAmount", "PrepaidAmount", "PayableRoundingAmount", "PayableAmount",
)
_AMOUNTS = _x(" | ".join(f".//cbc:{n}" for n in (*_AMOUNT_NAMES, "PriceAmount")))
_NON_PRICE_AMOUNTS = _x(" | ".join(f".//cbc:{n}[not(ancestor::cac:Price)]" for n in _AMOUNT_NAMES))
_ALLOWANCE_CODES = _x(".//cac:AllowanceCharge[cbc:ChargeIndicator = 'false']/cbc:AllowanceChargeReasonCode")
_CHARGE_CODES = _x(".//cac:AllowanceCharge[cbc:ChargeIndicator = 'true']/cbc:AllowanceChargeReasonCode")


@RULES.rule("PEPPOL-T01-R001", Flag.FATAL,
            "Each order line SHALL have a document line identifier that is unique within the order.")
def r001_unique_line_ids(root: etree._Element) -> list[etree._Element]:
    items = _LINE_ITEMS(root)
    ids = [norm(child(li, "cbc:ID")) if child(li, "cbc:ID") is not None else None for li in items]
    counts = Counter(i for i in ids if i is not None)
    return [li for li, i in zip(items, ids, strict=True) if i is None or counts[i] != 1]


@RULES.rule("PEPPOL-T01-R002", Flag.WARNING, "An order SHOULD provide information about its validity end date.")
def r002_validity_end_date(root: etree._Element) -> list[etree._Element]:
    return [] if child(root, "cac:ValidityPeriod/cbc:EndDate") is not None else [root]


@RULES.rule("PEPPOL-T01-R003", Flag.FATAL, "An order SHALL be stated in a single currency")
def r003_single_currency(root: etree._Element) -> list[etree._Element]:
    currency = child(root, "cbc:DocumentCurrencyCode")
    if currency is None:
        return []
    code = norm(currency)
    return [el for el in _AMOUNTS(root) if el.get("currencyID") is not None and el.get("currencyID") != code]


@RULES.rule("PEPPOL-T01-R004", Flag.FATAL, "Each order line ordered quantity SHALL not be negative")
def r004_quantity_not_negative(root: etree._Element) -> list[etree._Element]:
    out = []
    for li in _LINE_ITEMS(root):
        qty = dec(child(li, "cbc:Quantity"))
        if qty is None or qty < 0:
            out.append(li)
    return out


@RULES.rule("PEPPOL-T01-R005", Flag.FATAL, "Each order line item net price SHALL not be negative")
def r005_price_not_negative(root: etree._Element) -> list[etree._Element]:
    return [p for p in _PRICES(root) if negative(child(p, "cbc:PriceAmount"))]


@RULES.rule("PEPPOL-T01-R006", Flag.FATAL, "Expected total amount for payment SHALL NOT be negative")
def r006_payable_not_negative(root: etree._Element) -> list[etree._Element]:
    return [t for t in _AMT(root) if negative(child(t, "cbc:PayableAmount"))]


@RULES.rule("PEPPOL-T01-R007", Flag.FATAL, "Expected total sum of line amounts SHALL NOT be negative")
def r007_line_total_not_negative(root: etree._Element) -> list[etree._Element]:
    return [t for t in _AMT(root) if negative(child(t, "cbc:LineExtensionAmount"))]


def _sum(elements: list[etree._Element]) -> Decimal:
    return sum((dec(e) or ZERO for e in elements), ZERO)


@RULES.rule("PEPPOL-T01-R008", Flag.FATAL,
            "Expected total sum of line amounts SHALL equal the sum of the order line amounts at order line level")
def r008_line_total(root: etree._Element) -> list[etree._Element]:
    out = []
    for t in _AMT(root):
        total = child(t, "cbc:LineExtensionAmount")
        if total is None:
            continue
        lines = [el for li in _LINE_ITEMS(root) if (el := child(li, "cbc:LineExtensionAmount")) is not None]
        if dec(total) != round2(_sum(lines)):
            out.append(t)
    return out


@RULES.rule("PEPPOL-T01-R009", Flag.FATAL,
            "Expected total sum of allowance at document level SHALL be equal to the sum of allowance amounts at "
            "document level")
def r009_allowance_total(root: etree._Element) -> list[etree._Element]:
    return [t for t in _AMT(root) if (el := child(t, "cbc:AllowanceTotalAmount")) is not None
            and dec(el) != round2(_sum(_DOC_ALLOWANCES(root)))]


@RULES.rule("PEPPOL-T01-R010", Flag.FATAL,
            "Expected total sum of charges at document level SHALL be equal to the sum of charge amounts at "
            "document level")
def r010_charge_total(root: etree._Element) -> list[etree._Element]:
    return [t for t in _AMT(root) if (el := child(t, "cbc:ChargeTotalAmount")) is not None
            and dec(el) != round2(_sum(_DOC_CHARGES(root)))]


def _expected_tax_exclusive(total: etree._Element) -> Decimal:
    return (child_dec(total, "cbc:LineExtensionAmount", ZERO) - child_dec(total, "cbc:AllowanceTotalAmount", ZERO)
            + child_dec(total, "cbc:ChargeTotalAmount", ZERO))


@RULES.rule("PEPPOL-T01-R011", Flag.FATAL,
            "Expected total amount without TAX = Expected total sum of line amounts - Sum of allowances on document "
            "level + Sum of charges on document level")
def r011_tax_exclusive(root: etree._Element) -> list[etree._Element]:
    return [t for t in _AMT(root) if (el := child(t, "cbc:TaxExclusiveAmount")) is not None
            and dec(el) != round2(_expected_tax_exclusive(t))]


@RULES.rule("PEPPOL-T01-R013", Flag.WARNING, "Each order line SHOULD have an ordered quantity")
def r013_quantity_present(root: etree._Element) -> list[etree._Element]:
    return [li for li in _LINE_ITEMS(root) if child(li, "cbc:Quantity") is None]


@RULES.rule("PEPPOL-T01-R014", Flag.FATAL, "An order SHALL have the originator party name or an identifier")
def r014_originator(root: etree._Element) -> list[etree._Element]:
    return [p for p in root.findall("cac:OriginatorCustomerParty", NS)
            if child(p, "cac:Party/cac:PartyName/cbc:Name") is None
            and child(p, "cac:Party/cac:PartyIdentification/cbc:ID") is None]


@RULES.rule("PEPPOL-T01-R016", Flag.FATAL,
            "Amount due for payment = Invoice total amount with TAX - Paid amount + Rounding amount.")
def r016_payable(root: etree._Element) -> list[etree._Element]:
    out = []
    for t in _AMT(root):
        incl, payable = child(t, "cbc:TaxInclusiveAmount"), child(t, "cbc:PayableAmount")
        if incl is None or payable is None:
            continue
        expected = (dec(incl) or ZERO) - child_dec(t, "cbc:PrepaidAmount", ZERO) + child_dec(
            t, "cbc:PayableRoundingAmount", ZERO)
        if dec(payable) != round2(expected):
            out.append(t)
    return out


@RULES.rule("PEPPOL-T01-R017", Flag.FATAL,
            "Expected total amount with TAX = Expected total amount without TAX + Order total TAX amount.")
def r017_tax_inclusive(root: etree._Element) -> list[etree._Element]:
    tax = child(root, "cac:TaxTotal/cbc:TaxAmount")
    if tax is None:
        return []
    out = []
    for t in _AMT(root):
        incl = child(t, "cbc:TaxInclusiveAmount")
        if incl is None:
            continue
        excl = child_dec(t, "cbc:TaxExclusiveAmount")
        base = excl if excl is not None else _expected_tax_exclusive(t)
        if dec(incl) != round2(base + (dec(tax) or ZERO)):
            out.append(t)
    return out


@RULES.rule("PEPPOL-T01-R019", Flag.FATAL,
            "Item net price SHALL equal (Gross price - Allowance amount) when gross price is provided.")
def r019_net_price(root: etree._Element) -> list[etree._Element]:
    out = []
    for ac in _PRICE_ACS(root):
        gross = dec(child(ac, "cbc:BaseAmount"))
        if child(ac, "cbc:BaseAmount") is None:
            continue
        net = dec(ac.getparent().find("cbc:PriceAmount", NS))
        amount = child_dec(ac, "cbc:Amount", ZERO)
        if gross is None or net is None or net != gross - amount:
            out.append(ac)
    return out


@RULES.rule("PEPPOL-T01-R020", Flag.FATAL,
            "Allowance/charge base amount SHALL be provided when allowance/charge percentage is provided.")
def r020_base_with_percent(root: etree._Element) -> list[etree._Element]:
    return [ac for ac in _ALL_ACS(root)
            if child(ac, "cbc:MultiplierFactorNumeric") is not None and child(ac, "cbc:BaseAmount") is None]


@RULES.rule("PEPPOL-T01-R021", Flag.FATAL,
            "Allowance/charge percentage SHALL be provided when allowance/charge base amount is provided.")
def r021_percent_with_base(root: etree._Element) -> list[etree._Element]:
    return [ac for ac in _DOC_LINE_ACS(root)
            if child(ac, "cbc:MultiplierFactorNumeric") is None and child(ac, "cbc:BaseAmount") is not None]


SLACK = Decimal("0.02")
"""Tolerance of the official amount rules R022 and R024 (``u:slack(exp, val, 0.02)``)."""


def within_slack(expected: Decimal, value: Decimal) -> bool:
    return expected - SLACK <= value <= expected + SLACK


@RULES.rule("PEPPOL-T01-R022", Flag.FATAL,
            "Allowance/charge amount SHALL equal base amount * percentage/100 if base amount and percentage exists")
def r022_amount_from_percent(root: etree._Element) -> list[etree._Element]:
    out = []
    for ac in _DOC_LINE_ACS(root):
        base, pct = child(ac, "cbc:BaseAmount"), child(ac, "cbc:MultiplierFactorNumeric")
        if base is None or pct is None:
            continue
        amount_el = child(ac, "cbc:Amount")
        b, p = dec(base), dec(pct)
        a = ZERO if amount_el is None else dec(amount_el)
        if b is None or p is None or a is None or not within_slack(a, b * p / 100):
            out.append(ac)
    return out


@RULES.rule("PEPPOL-T01-R023", Flag.FATAL,
            "Each document or line level allowance SHALL have an allowance reason text or an allowance reason code.")
def r023_allowance_reason(root: etree._Element) -> list[etree._Element]:
    return [ac for ac in _DOC_LINE_ACS(root)
            if norm(child(ac, "cbc:ChargeIndicator")) == "false"
            and child(ac, "cbc:AllowanceChargeReason") is None
            and child(ac, "cbc:AllowanceChargeReasonCode") is None]


@RULES.rule("PEPPOL-T01-R024", Flag.FATAL,
            "Order line net amount SHALL equal (Ordered quantity * (Item net price/item price base quantity) + Order "
            "line charge amount - Order line allowance amount")
def r024_line_amount(root: etree._Element) -> list[etree._Element]:
    # the official defaults: no amount = 0, no quantity = 1, no price = 0, base quantity 0 or absent = 1;
    # line allowance and charge totals rounded to 2 decimals; equal within 0.02
    out = []
    for li in _LINE_ITEMS(root):
        amount, qty = child_dec(li, "cbc:LineExtensionAmount", ZERO), child_dec(li, "cbc:Quantity", Decimal(1))
        price = child_dec(li, "cac:Price/cbc:PriceAmount", ZERO)
        base = child_dec(li, "cac:Price/cbc:BaseQuantity", Decimal(1)) or Decimal(1)
        charges = round2(_sum(li.xpath("cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='true']/cbc:Amount",
                                       namespaces=NS)))
        allowances = round2(_sum(li.xpath(
            "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false']/cbc:Amount", namespaces=NS)))
        if not within_slack(amount, qty * (price / base) + charges - allowances):
            out.append(li)
    return out


@RULES.rule("PEPPOL-T01-R025", Flag.FATAL, "Base quantity SHALL be a positive number above zero.")
def r025_base_quantity(root: etree._Element) -> list[etree._Element]:
    out = []
    for li in _LINE_ITEMS(root):
        el = child(li, "cac:Price/cbc:BaseQuantity")
        if el is not None and ((value := dec(el)) is None or value <= 0):
            out.append(li)
    return out


@RULES.rule("PEPPOL-T01-R026", Flag.FATAL,
            "When TAX is VAT then Party VAT identifiers SHALL have a prefix in accordance with ISO code ISO 3166-1 "
            "alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.")
def r026_vat_prefix(root: etree._Element) -> list[etree._Element]:
    out = []
    for scheme in _VAT_SCHEMES(root):
        prefix = norm(child(scheme, "cbc:CompanyID"))[:2]
        if prefix not in codelists.ISO3166 and prefix != "EL":
            out.append(scheme)
    return out


@RULES.rule("PEPPOL-T01-R027", Flag.FATAL, "The Item gross price SHALL NOT be negative.")
def r027_gross_price(root: etree._Element) -> list[etree._Element]:
    return [p for p in _PRICES(root)
            if any(negative(el) for el in p.findall("cac:AllowanceCharge/cbc:BaseAmount", NS))]


@RULES.rule("PEPPOL-T01-R028", Flag.FATAL,
            "Elements of data type amount cannot have more than 2 decimals (I.e. all amounts except unit price "
            "amounts)")
def r028_two_decimals(root: etree._Element) -> list[etree._Element]:
    return [el for el in _NON_PRICE_AMOUNTS(root) if len(norm(el).partition(".")[2]) > 2]


@RULES.rule("PEPPOL-T01-R029", Flag.FATAL,
            "Each Tax Category SHALL have a TAX category rate, except if the order is not subject to TAX.")
def r029_tax_rate(root: etree._Element) -> list[etree._Element]:
    return [c for c in _TAX_CATEGORIES(root)
            if child(c, "cbc:Percent") is None and norm(child(c, "cbc:ID")) != "O"]


@RULES.rule("PEPPOL-T01-R030", Flag.FATAL,
            'When TAX category code is "Standard rated" (S) the TAX rate SHALL be greater than zero.')
def r030_standard_rate(root: etree._Element) -> list[etree._Element]:
    out = []
    for c in _TAX_CATEGORIES(root):
        if norm(child(c, "cbc:ID")) == "S":
            pct = child_dec(c, "cbc:Percent")
            if pct is None or pct <= 0:
                out.append(c)
    return out


@RULES.rule("PEPPOL-T01-R031", Flag.FATAL,
            "An order transaction SHALL use profile order only, ordering or advanced_ordering.")
def r031_profile(root: etree._Element) -> list[etree._Element]:
    return [p for p in root.findall("cbc:ProfileID", NS) if norm(p) not in PROFILES]


@RULES.rule("PEPPOL-T01-R032", Flag.FATAL, "Allowance or charge amounts SHALL NOT be negative.")
def r032_allowance_not_negative(root: etree._Element) -> list[etree._Element]:
    return [ac for ac in _DOC_LINE_ACS(root) if negative(child(ac, "cbc:Amount"))]


@RULES.rule("PEPPOL-T01-R033", Flag.FATAL, "Allowance or charge amounts SHALL NOT be negative.")
def r033_price_allowance_not_negative(root: etree._Element) -> list[etree._Element]:
    return [p for p in _PRICES(root)
            if any(negative(el) for el in p.findall("cac:AllowanceCharge/cbc:Amount", NS))]


@RULES.rule("PEPPOL-T01-R034", Flag.FATAL,
            "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:order:3'.")
def r034_customization(root: etree._Element) -> list[etree._Element]:
    return [c for c in root.findall("cbc:CustomizationID", NS) if not norm(c).startswith(CUSTOMIZATION_PREFIX)]


@RULES.rule("PEPPOL-T01-CL001", Flag.FATAL, "Reason code MUST be according to subset of UNCL 5189 D.16B.")
def cl001_allowance_codes(root: etree._Element) -> list[etree._Element]:
    return [el for el in _ALLOWANCE_CODES(root) if norm(el) not in codelists.UNCL5189]


@RULES.rule("PEPPOL-T01-CL002", Flag.FATAL, "Reason code MUST be according to UNCL 7161 D.16B.")
def cl002_charge_codes(root: etree._Element) -> list[etree._Element]:
    return [el for el in _CHARGE_CODES(root) if norm(el) not in codelists.UNCL7161]


# --- generated basic rules (PEPPOL-T01-Bnnnnn) ---------------------------------------------------

for _rule_id, _message in t01_table.MESSAGES.items():
    RULES.declare(_rule_id, Flag.FATAL, _message)

_structure = structure_check(t01_table.NODES)


def basic_rules(root: etree._Element) -> list[tuple[str, etree._Element]]:
    out = _structure(root)
    if root.get(XSI_SCHEMA_LOCATION) is not None:
        out.append((t01_table.SCHEMA_LOCATION_RULE, root))
    return out


RULES.add_multi_check(basic_rules)
