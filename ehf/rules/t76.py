"""Peppol BIS Order Response (T76) business rules, release 2025.5 ("Rules for
Peppol Order Response transaction 3.2").

Each check mirrors the official Schematron assertion, including its XPath
quirks on incomplete documents (an absent value compares false), so that the
official unit-test fragments give the same verdicts. The small XPath-semantics
helpers at the bottom are shared with the T16, T19 and T110 rule sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Final

from lxml import etree

from ehf.findings import Flag
from ehf.namespaces import CAC, CBC
from ehf.rules.common import RULES as COMMON
from ehf.rules.engine import RuleSet

XNS: Final = {"cbc": CBC, "cac": CAC}
CUSTOMIZATION_PREFIX: Final = "urn:fdc:peppol.eu:poacc:trns:order_response:3"


def common_includes() -> list[RuleSet]:
    """The PEPPOL-COMMON rules (empty elements, dates, identifiers) every POACC set includes."""
    return [COMMON]


RULES = RuleSet("PEPPOL-T76", includes=common_includes())


@RULES.rule(
    "PEPPOL-T76-R006",
    Flag.FATAL,
    "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:order_response:3'.",
)
def r006(root: etree._Element) -> Iterator[etree._Element]:
    yield from customization_not_starting_with(root, CUSTOMIZATION_PREFIX)


@RULES.rule("PEPPOL-T76-R005", Flag.FATAL, "An order response SHALL be stated in a single currency")
def r005(root: etree._Element) -> Iterator[etree._Element]:
    currencies = {s for s in strings(root, "/*/cbc:DocumentCurrencyCode")}
    for el in xp(root, "//cbc:PriceAmount"):
        if el.get("currencyID") not in currencies:
            yield el


@RULES.rule(
    "PEPPOL-T76-R001",
    Flag.FATAL,
    "An order response SHALL have the buyer party official name or a buyer party identifier",
)
def r001(root: etree._Element) -> Iterator[etree._Element]:
    yield from _party_without_name_or_id(root, "//cac:BuyerCustomerParty/cac:Party")


@RULES.rule(
    "PEPPOL-T76-R002",
    Flag.FATAL,
    "An order response SHALL have the seller party official name or a seller party identifier",
)
def r002(root: etree._Element) -> Iterator[etree._Element]:
    yield from _party_without_name_or_id(root, "//cac:SellerSupplierParty/cac:Party")


def _party_without_name_or_id(root: etree._Element, path: str) -> Iterator[etree._Element]:
    for party in xp(root, path):
        if not xp(party, "cac:PartyLegalEntity/cbc:RegistrationName | cac:PartyIdentification/cbc:ID"):
            yield party


@RULES.rule(
    "PEPPOL-T76-R004",
    Flag.FATAL,
    "If both delivery period start date and delivery period end date are given then the end date SHALL be "
    "later or equal to the start date.",
)
def r004(root: etree._Element) -> Iterator[etree._Element]:
    for period in xp(root, "//cac:PromisedDeliveryPeriod"):
        starts, ends = strings(period, "cbc:StartDate"), strings(period, "cbc:EndDate")
        if starts and ends and not any(e >= s for e in ends for s in starts):
            yield period


@RULES.rule(
    "PEPPOL-T76-R003",
    Flag.FATAL,
    "Each order response line SHALL have a document line identifier that is unique within the order.",
)
def r003(root: etree._Element) -> Iterator[etree._Element]:
    yield from lines_with_non_unique_id(root, "//cac:LineItem", "//cac:OrderLine/cac:LineItem")


def lines_with_non_unique_id(root: etree._Element, keyed: str, context: str) -> Iterator[etree._Element]:
    """Emulate ``count(key('k_lineId', cbc:ID)) = 1`` with the key over ``keyed``."""
    index: dict[str, set[int]] = {}
    for i, el in enumerate(xp(root, keyed)):
        for value in set(raw_strings(el, "cbc:ID")):
            index.setdefault(value, set()).add(i)
    for el in xp(root, context):
        hits: set[int] = set()
        for value in raw_strings(el, "cbc:ID"):
            hits |= index.get(value, set())
        if len(hits) != 1:
            yield el


_NO_LINES: Final = {
    "AP": "PEPPOL-T76-R008",
    "RE": "PEPPOL-T76-R009",
    "AB": "PEPPOL-T76-R010",
}


def _response_codes(root: etree._Element, code: str) -> Iterator[tuple[etree._Element, int]]:
    for el in xp(root, "//cbc:OrderResponseCode"):
        if normalize(el.text) == code:
            parent = el.getparent()
            yield el, 0 if parent is None else len(xp(parent, "cac:OrderLine"))


@RULES.rule(
    "PEPPOL-T76-R007",
    Flag.FATAL,
    "An order response with code CA (Conditionally accepted) must provide order lines.",
)
def r007(root: etree._Element) -> Iterator[etree._Element]:
    return (el for el, n in _response_codes(root, "CA") if n == 0)


@RULES.rule(
    "PEPPOL-T76-R008", Flag.FATAL, "An order response with code AP (Accepted) should NOT provide order lines."
)
def r008(root: etree._Element) -> Iterator[etree._Element]:
    return (el for el, n in _response_codes(root, "AP") if n > 0)


@RULES.rule(
    "PEPPOL-T76-R009", Flag.FATAL, "An order response with code RE (Rejected) should NOT provide order lines."
)
def r009(root: etree._Element) -> Iterator[etree._Element]:
    return (el for el, n in _response_codes(root, "RE") if n > 0)


@RULES.rule(
    "PEPPOL-T76-R010",
    Flag.FATAL,
    "An order response with code AB (Acknowledged) must NOT provide order lines.",
)
def r010(root: etree._Element) -> Iterator[etree._Element]:
    return (el for el, n in _response_codes(root, "AB") if n > 0)


# ------------------------------------------------ XPath semantics, shared helpers


def xp(node: etree._Element, path: str) -> list[etree._Element]:
    """Elements selected by ``path`` (prefixes cbc/cac; ``/*`` is the document element)."""
    return [e for e in node.xpath(path, namespaces=XNS) if isinstance(e, etree._Element)]


def normalize(value: str | None) -> str:
    """XPath ``normalize-space`` (XML whitespace only, not e.g. U+00A0)."""
    return " ".join(part for part in re.split(r"[ \t\r\n]+", value or "") if part)


def string_value(el: etree._Element) -> str:
    return "".join(el.itertext())


def raw_strings(node: etree._Element, path: str) -> list[str]:
    return [string_value(e) for e in xp(node, path)]


def strings(node: etree._Element, path: str) -> list[str]:
    """String values of the selected elements, trimmed (untyped comparisons in
    the official rules compare dates and codes that never carry spaces)."""
    return [string_value(e).strip() for e in xp(node, path)]


def exists(node: etree._Element, path: str) -> bool:
    return bool(xp(node, path))


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def xnumber(value: str | None) -> float:
    """XPath 2.0 ``number()``: NaN for anything that is not a number, so every
    comparison with it is false."""
    if value is None:
        return float("nan")
    s = value.strip()
    if _NUMBER.match(s):
        return float(s)
    return {"INF": float("inf"), "-INF": float("-inf")}.get(s, float("nan"))


def first_number(node: etree._Element, path: str) -> float:
    """``number(path)``: the number of the first selected node, NaN if none."""
    found = xp(node, path)
    return xnumber(string_value(found[0]) if found else None)


def xdecimal(value: str | None) -> Decimal | None:
    """``xs:decimal(.)``; ``None`` when absent or not a decimal literal."""
    if value is None:
        return None
    s = value.strip()
    if not re.match(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already guards
        return None


def first_decimal(node: etree._Element, path: str) -> Decimal | None:
    found = xp(node, path)
    return xdecimal(string_value(found[0])) if found else None


def xround(value: Decimal) -> Decimal:
    """XPath ``round()``: to the nearest integer, halves towards positive infinity."""
    return (value + Decimal("0.5")).to_integral_value(rounding="ROUND_FLOOR")


def round2(value: Decimal) -> Decimal:
    """``round(x * 10 * 10) div 100`` as the official rules write it."""
    return xround(value * 100) / 100


def customization_not_starting_with(root: etree._Element, prefix: str) -> Iterator[etree._Element]:
    for el in xp(root, "//cbc:CustomizationID"):
        if not normalize(string_value(el)).startswith(prefix):
            yield el


def party_without_name_or_id(root: etree._Element, path: str) -> Iterator[etree._Element]:
    """Context ``path`` fails unless it has ``cac:Party/cac:PartyName/cbc:Name``
    or ``cac:Party/cac:PartyIdentification/cbc:ID`` (T16, T19)."""
    for el in xp(root, path):
        if not xp(el, "cac:Party/cac:PartyName/cbc:Name | cac:Party/cac:PartyIdentification/cbc:ID"):
            yield el
