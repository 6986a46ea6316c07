"""Peppol BIS Billing 3 (EHF Billing 3.0) rules for Invoice and Credit Note that concern ordering and
matching: specification and process identifiers, order and buyer reference, lines and their order
references, prices, totals and the VAT breakdown.

This is a subset of the official rule sets (CEN-EN16931-UBL.sch and PEPPOL-EN16931-UBL.sch in
OpenPEPPOL/peppol-bis-invoice-3, release 2025-Q2): every rule here has its official id, flag and
text, and follows the official test, including the 0.02 slack of PEPPOL-EN16931-R120 and the ±1
slack of BR-S-08/BR-S-09. Sums are rounded to two decimals half up, as ``round()`` in the
Schematron. The many rules on payment means, addresses, code lists and the national rules other
than Norway's are not implemented (see ehf/README.md, "Billing").
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from lxml import etree

from ehf.findings import Flag
from ehf.orgnr import is_valid_orgnr
from ehf.rules.engine import RuleSet
from ehf.rules.xpath import exists, normalize, string_value, xdecimal, xp

CUSTOMIZATION_PREFIX: Final = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_PATTERN: Final = "urn:fdc:peppol.eu:2017:poacc:billing:"
HUNDREDTH: Final = Decimal("0.01")

RULES = RuleSet("PEPPOL-BILLING-3")


def _lines(root: etree._Element) -> list[etree._Element]:
    return xp(root, "cac:InvoiceLine | cac:CreditNoteLine")


def _dec(node: etree._Element, path: str) -> Decimal | None:
    found = xp(node, path)
    return xdecimal(string_value(found[0])) if found else None


def _sum(node: etree._Element, path: str) -> Decimal:
    return sum((xdecimal(string_value(e)) or Decimal(0) for e in xp(node, path)), Decimal(0))


def _round(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _totals(root: etree._Element) -> list[etree._Element]:
    return xp(root, "cac:LegalMonetaryTotal")


# ---------------------------------------------------------------- identifiers (PEPPOL-EN16931)


@RULES.rule("PEPPOL-EN16931-R001", Flag.FATAL, "Business process MUST be provided.")
def r001(root: etree._Element) -> Iterator[etree._Element]:
    if not exists(root, "cbc:ProfileID"):
        yield root


@RULES.rule("PEPPOL-EN16931-R004", Flag.FATAL,
            "Specification identifier MUST have the value "
            "'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0'.")
def r004(root: etree._Element) -> Iterator[etree._Element]:
    for el in xp(root, "cbc:CustomizationID") or [root]:
        if not normalize(string_value(el) if el is not root else "").startswith(CUSTOMIZATION_PREFIX):
            yield el


@RULES.rule("PEPPOL-EN16931-R007", Flag.FATAL,
            "Business process MUST be in the format 'urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0' where NN "
            "indicates the process number.")
def r007(root: etree._Element) -> Iterator[etree._Element]:
    for el in xp(root, "cbc:ProfileID"):
        value = normalize(string_value(el))
        number = value.removeprefix(PROFILE_PATTERN).removesuffix(":1.0")
        if not (value.startswith(PROFILE_PATTERN) and value.endswith(":1.0") and number.isdigit()
                and len(number) == 2):
            yield el


# ---------------------------------------------------------------- references (ordering)


@RULES.rule("PEPPOL-EN16931-R003", Flag.FATAL, "A buyer reference or purchase order reference MUST be provided.")
def r003(root: etree._Element) -> Iterator[etree._Element]:
    if not (exists(root, "cbc:BuyerReference") or exists(root, "cac:OrderReference/cbc:ID")):
        yield root


@RULES.rule("BR-02", Flag.FATAL, "[BR-02]-An Invoice shall have an Invoice number (BT-1).")
def br02(root: etree._Element) -> Iterator[etree._Element]:
    if not normalize("".join(string_value(e) for e in xp(root, "cbc:ID"))):
        yield root


@RULES.rule("BR-05", Flag.FATAL, "[BR-05]-An Invoice shall have an Invoice currency code (BT-5).")
def br05(root: etree._Element) -> Iterator[etree._Element]:
    if not normalize("".join(string_value(e) for e in xp(root, "cbc:DocumentCurrencyCode"))):
        yield root


@RULES.rule("BR-16", Flag.FATAL, "[BR-16]-An Invoice shall have at least one Invoice line (BG-25)")
def br16(root: etree._Element) -> Iterator[etree._Element]:
    if not _lines(root):
        yield root


@RULES.rule("PEPPOL-EN16931-R051", Flag.FATAL,
            "All currencyID attributes must have the same value as the invoice currency code (BT-5), except for "
            "the invoice total VAT amount in accounting currency (BT-111).")
def r051(root: etree._Element) -> Iterator[etree._Element]:
    currency = normalize("".join(string_value(e) for e in xp(root, "cbc:DocumentCurrencyCode")))
    tax_currency = normalize("".join(string_value(e) for e in xp(root, "cbc:TaxCurrencyCode")))
    for el in root.iter():
        value = el.get("currencyID") if isinstance(el.tag, str) else None
        if value is None or value == currency:
            continue
        parent = el.getparent()
        in_tax_total_in_accounting_currency = (
            etree.QName(el).localname == "TaxAmount" and parent is not None
            and etree.QName(parent).localname == "TaxTotal" and value == tax_currency)
        if not in_tax_total_in_accounting_currency:
            yield el


# ---------------------------------------------------------------- lines


@RULES.rule("BR-21", Flag.FATAL, "[BR-21]-Each Invoice line (BG-25) shall have an Invoice line identifier (BT-126).")
def br21(root: etree._Element) -> Iterator[etree._Element]:
    return (line for line in _lines(root) if not normalize("".join(string_value(e) for e in xp(line, "cbc:ID"))))


@RULES.rule("BR-24", Flag.FATAL, "[BR-24]-Each Invoice line (BG-25) shall have an Invoice line net amount (BT-131).")
def br24(root: etree._Element) -> Iterator[etree._Element]:
    return (line for line in _lines(root) if not exists(line, "cbc:LineExtensionAmount"))


@RULES.rule("BR-25", Flag.FATAL, "[BR-25]-Each Invoice line (BG-25) shall contain the Item name (BT-153).")
def br25(root: etree._Element) -> Iterator[etree._Element]:
    return (line for line in _lines(root)
            if not normalize("".join(string_value(e) for e in xp(line, "cac:Item/cbc:Name"))))


@RULES.rule("BR-26", Flag.FATAL, "[BR-26]-Each Invoice line (BG-25) shall contain the Item net price (BT-146).")
def br26(root: etree._Element) -> Iterator[etree._Element]:
    return (line for line in _lines(root) if not exists(line, "cac:Price/cbc:PriceAmount"))


@RULES.rule("BR-27", Flag.FATAL, "[BR-27]-The Item net price (BT-146) shall NOT be negative.")
def br27(root: etree._Element) -> Iterator[etree._Element]:
    for price in xp(root, "(cac:InvoiceLine | cac:CreditNoteLine)/cac:Price"):
        value = _dec(price, "cbc:PriceAmount")
        if value is None or value < 0:
            yield price


@RULES.rule("PEPPOL-EN16931-R120", Flag.FATAL,
            "Invoice line net amount MUST equal (Invoiced quantity * (Item net price/item price base quantity) + "
            "Sum of invoice line charge amount - sum of invoice line allowance amount")
def r120(root: etree._Element) -> Iterator[etree._Element]:
    for line in _lines(root):
        quantity = _dec(line, "cbc:InvoicedQuantity | cbc:CreditedQuantity") or Decimal(0)
        price = _dec(line, "cac:Price/cbc:PriceAmount") or Decimal(0)
        base = _dec(line, "cac:Price/cbc:BaseQuantity") or Decimal(1)
        if base == 0:
            continue  # R121 reports it
        charges = _sum(line, "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='true']/cbc:Amount")
        allowances = _sum(line, "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false']/cbc:Amount")
        amount = _dec(line, "cbc:LineExtensionAmount")
        expected = quantity * (price / base) + charges - allowances
        if amount is None or abs(amount - expected) > Decimal("0.02"):
            yield line


@RULES.rule("PEPPOL-EN16931-R121", Flag.FATAL, "Base quantity MUST be a positive number above zero.")
def r121(root: etree._Element) -> Iterator[etree._Element]:
    for line in _lines(root):
        base = xp(line, "cac:Price/cbc:BaseQuantity")
        if base and not (xdecimal(string_value(base[0])) or Decimal(0)) > 0:
            yield line


@RULES.rule("PEPPOL-EN16931-R130", Flag.FATAL, "Unit code of price base quantity MUST be same as invoiced quantity.")
def r130(root: etree._Element) -> Iterator[etree._Element]:
    for line in _lines(root):
        quantity = xp(line, "cbc:InvoicedQuantity | cbc:CreditedQuantity")
        for base in xp(line, "cac:Price/cbc:BaseQuantity[@unitCode]"):
            if quantity and base.get("unitCode") != quantity[0].get("unitCode"):
                yield base


# ---------------------------------------------------------------- totals (BR-CO)


@RULES.rule("BR-12", Flag.FATAL, "[BR-12]-An Invoice shall have the Sum of Invoice line net amount (BT-106).")
def br12(root: etree._Element) -> Iterator[etree._Element]:
    return (t for t in _totals(root) or [root] if not exists(t, "cbc:LineExtensionAmount"))


@RULES.rule("BR-13", Flag.FATAL, "[BR-13]-An Invoice shall have the Invoice total amount without VAT (BT-109).")
def br13(root: etree._Element) -> Iterator[etree._Element]:
    return (t for t in _totals(root) or [root] if not exists(t, "cbc:TaxExclusiveAmount"))


@RULES.rule("BR-14", Flag.FATAL, "[BR-14]-An Invoice shall have the Invoice total amount with VAT (BT-112).")
def br14(root: etree._Element) -> Iterator[etree._Element]:
    return (t for t in _totals(root) or [root] if not exists(t, "cbc:TaxInclusiveAmount"))


@RULES.rule("BR-15", Flag.FATAL, "[BR-15]-An Invoice shall have the Amount due for payment (BT-115).")
def br15(root: etree._Element) -> Iterator[etree._Element]:
    return (t for t in _totals(root) or [root] if not exists(t, "cbc:PayableAmount"))


@RULES.rule("BR-CO-10", Flag.FATAL,
            "[BR-CO-10]-Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).")
def brco10(root: etree._Element) -> Iterator[etree._Element]:
    lines = _round(_sum(root, "(cac:InvoiceLine | cac:CreditNoteLine)/cbc:LineExtensionAmount"))
    for total in _totals(root):
        if _dec(total, "cbc:LineExtensionAmount") != lines:
            yield total


def _document_charges(root: etree._Element, charge: bool) -> Decimal:
    flag = "true" if charge else "false"
    return _round(_sum(root, f"cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='{flag}']/cbc:Amount"))


@RULES.rule("BR-CO-11", Flag.FATAL,
            "[BR-CO-11]-Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92).")
def brco11(root: etree._Element) -> Iterator[etree._Element]:
    has_any = exists(root, "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false']")
    for total in _totals(root):
        stated = _dec(total, "cbc:AllowanceTotalAmount")
        if not (stated == _document_charges(root, False) or (stated is None and not has_any)):
            yield total


@RULES.rule("BR-CO-12", Flag.FATAL,
            "[BR-CO-12]-Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99).")
def brco12(root: etree._Element) -> Iterator[etree._Element]:
    has_any = exists(root, "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='true']")
    for total in _totals(root):
        stated = _dec(total, "cbc:ChargeTotalAmount")
        if not (stated == _document_charges(root, True) or (stated is None and not has_any)):
            yield total


@RULES.rule("BR-CO-13", Flag.FATAL,
            "[BR-CO-13]-Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of "
            "allowances on document level (BT-107) + Sum of charges on document level (BT-108).")
def brco13(root: etree._Element) -> Iterator[etree._Element]:
    for total in _totals(root):
        lines = _dec(total, "cbc:LineExtensionAmount")
        exclusive = _dec(total, "cbc:TaxExclusiveAmount")
        if lines is None or exclusive is None:
            yield total
            continue
        expected = _round(lines + (_dec(total, "cbc:ChargeTotalAmount") or Decimal(0))
                          - (_dec(total, "cbc:AllowanceTotalAmount") or Decimal(0)))
        if exclusive != expected:
            yield total


def _tax_totals_with_breakdown(root: etree._Element) -> list[etree._Element]:
    return xp(root, "cac:TaxTotal[cac:TaxSubtotal]")


@RULES.rule("BR-CO-14", Flag.FATAL,
            "[BR-CO-14]-Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).")
def brco14(root: etree._Element) -> Iterator[etree._Element]:
    for tax_total in xp(root, "cac:TaxTotal"):
        if not exists(tax_total, "cac:TaxSubtotal"):
            continue
        if _dec(tax_total, "cbc:TaxAmount") != _round(_sum(tax_total, "cac:TaxSubtotal/cbc:TaxAmount")):
            yield tax_total


@RULES.rule("BR-CO-15", Flag.FATAL,
            "[BR-CO-15]-Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + "
            "Invoice total VAT amount (BT-110).")
def brco15(root: etree._Element) -> Iterator[etree._Element]:
    currency = normalize("".join(string_value(e) for e in xp(root, "cbc:DocumentCurrencyCode")))
    vat = [e for e in xp(root, "cac:TaxTotal/cbc:TaxAmount") if e.get("currencyID") == currency]
    for total in _totals(root) or [root]:
        inclusive = _dec(total, "cbc:TaxInclusiveAmount")
        exclusive = _dec(total, "cbc:TaxExclusiveAmount")
        vat_amount = xdecimal(string_value(vat[0])) if len(vat) == 1 else None
        if inclusive is None or exclusive is None or vat_amount is None or inclusive != _round(exclusive + vat_amount):
            yield root


@RULES.rule("BR-CO-16", Flag.FATAL,
            "[BR-CO-16]-Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount "
            "(BT-113) +Rounding amount (BT-114).")
def brco16(root: etree._Element) -> Iterator[etree._Element]:
    for total in _totals(root):
        payable = _dec(total, "cbc:PayableAmount")
        inclusive = _dec(total, "cbc:TaxInclusiveAmount")
        if payable is None or inclusive is None:
            yield total
            continue
        paid = _dec(total, "cbc:PrepaidAmount") or Decimal(0)
        rounding = _dec(total, "cbc:PayableRoundingAmount") or Decimal(0)
        if _round(payable - rounding) != _round(inclusive - paid):
            yield total


# ---------------------------------------------------------------- VAT breakdown


@RULES.rule("BR-CO-18", Flag.FATAL, "[BR-CO-18]-An Invoice shall at least have one VAT breakdown group (BG-23).")
def brco18(root: etree._Element) -> Iterator[etree._Element]:
    if not exists(root, "cac:TaxTotal/cac:TaxSubtotal"):
        yield root


@RULES.rule("PEPPOL-EN16931-R053", Flag.FATAL, "Only one tax total with tax subtotals MUST be provided.")
def r053(root: etree._Element) -> Iterator[etree._Element]:
    if len(_tax_totals_with_breakdown(root)) != 1:
        yield root


def _category_of(el: etree._Element, path: str) -> tuple[str, Decimal | None]:
    return normalize("".join(string_value(e) for e in xp(el, f"{path}/cbc:ID"))), _dec(el, f"{path}/cbc:Percent")


@RULES.rule("BR-S-08", Flag.FATAL,
            '[BR-S-08]-For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) '
            'is "Standard rated", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal '
            'the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) '
            'minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, '
            'BT-102, BT-95) is "Standard rated" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category '
            'rate (BT-119).')
def brs08(root: etree._Element) -> Iterator[etree._Element]:
    for sub in xp(root, "cac:TaxTotal/cac:TaxSubtotal"):
        category, rate = _category_of(sub, "cac:TaxCategory")
        if category != "S":
            continue
        expected = Decimal(0)
        for line in _lines(root):
            if _category_of(line, "cac:Item/cac:ClassifiedTaxCategory") == ("S", rate):
                expected += _dec(line, "cbc:LineExtensionAmount") or Decimal(0)
        for charge in xp(root, "cac:AllowanceCharge"):
            if _category_of(charge, "cac:TaxCategory") == ("S", rate):
                sign = 1 if normalize(string_value(xp(charge, "cbc:ChargeIndicator")[0])) == "true" else -1
                expected += sign * (_dec(charge, "cbc:Amount") or Decimal(0))
        taxable = _dec(sub, "cbc:TaxableAmount")
        if taxable is None or not (taxable - 1 < expected < taxable + 1):
            yield sub.find("{*}TaxCategory") if sub.find("{*}TaxCategory") is not None else sub


@RULES.rule("BR-S-09", Flag.FATAL,
            '[BR-S-09]-The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code '
            '(BT-118) is "Standard rated" shall equal the VAT category taxable amount (BT-116) multiplied by the '
            'VAT category rate (BT-119).')
def brs09(root: etree._Element) -> Iterator[etree._Element]:
    for sub in xp(root, "cac:TaxTotal/cac:TaxSubtotal"):
        category, rate = _category_of(sub, "cac:TaxCategory")
        if category != "S":
            continue
        taxable, tax = _dec(sub, "cbc:TaxableAmount"), _dec(sub, "cbc:TaxAmount")
        if taxable is None or tax is None or rate is None:
            yield sub
            continue
        expected = _round(abs(taxable) * rate / 100)
        if not (abs(tax) - 1 < expected < abs(tax) + 1):
            yield sub


# ---------------------------------------------------------------- Norway (EHF)


@RULES.rule("NO-R-001", Flag.FATAL,
            "For Norwegian suppliers, a VAT number MUST be the country code prefix NO followed by a valid "
            "Norwegian organization number (nine numbers) followed by the letters MVA.")
def no_r001(root: etree._Element) -> Iterator[etree._Element]:
    for party in xp(root, "cac:AccountingSupplierParty/cac:Party[cac:PostalAddress/cac:Country/"
                          "cbc:IdentificationCode='NO']"):
        for vat in xp(party, "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"):
            value = normalize(string_value(vat))
            if value.startswith("NO") and not (re.fullmatch(r"NO[0-9]{9}MVA", value) and is_valid_orgnr(value[2:11])):
                yield vat
