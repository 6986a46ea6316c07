"""XPath 2.0 semantics for the hand-written Peppol rules (T76, T16, T19, T110).

The official rules are Schematron assertions; these helpers reproduce how they
evaluate on incomplete or odd documents (an absent value is NaN and compares false,
``normalize-space`` only knows XML whitespace, ``round`` rounds halves up, ``key()``
counts matches), so that the official unit-test fragments give the same verdicts.
The T01 rules (:mod:`ehf.rules.t01`) predate this module and use Decimal helpers of
their own with the semantics of the T01 assertions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Final

from lxml import etree

from ehf.namespaces import CAC, CBC

XNS: Final = {"cbc": CBC, "cac": CAC}

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


def present_and_negative(node: etree._Element, path: str) -> bool:
    """``exists(path) and not(number(path) >= 0)``: present but not a non-negative number."""
    return exists(node, path) and not first_number(node, path) >= 0


def items_without_id(root: etree._Element, path: str = "//cac:Item") -> Iterator[etree._Element]:
    """Items with neither a standard nor a seller's item identifier (T19, T110)."""
    for item in xp(root, path):
        if not exists(item, "cac:StandardItemIdentification/cbc:ID | cac:SellersItemIdentification/cbc:ID"):
            yield item


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
