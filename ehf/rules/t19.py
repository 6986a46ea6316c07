"""Peppol BIS Catalogue (T19) business rules, release 2025.5.

Validity periods are compared the way the official rules do: dates become
numbers (``20240131``), a missing start is 0 and a missing end 99999999, and a
line or price period inherits the enclosing period where it has no date.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from lxml import etree

from ehf.findings import Flag
from ehf.rules import peppol_tables
from ehf.rules.common import common_includes
from ehf.rules.engine import RuleSet
from ehf.rules.structure import add_table_rules
from ehf.rules.xpath import (
    customization_not_starting_with,
    exists,
    first_number,
    items_without_id,
    normalize,
    party_without_name_or_id,
    present_and_negative,
    string_value,
    xnumber,
    xp,
)

CUSTOMIZATION_PREFIX: Final = "urn:fdc:peppol.eu:poacc:trns:catalogue:3"
PROFILES: Final = frozenset(
    {"urn:fdc:peppol.eu:poacc:bis:catalogue_only:3", "urn:fdc:peppol.eu:poacc:bis:catalogue_wo_response:3"}
)

RULES = RuleSet("PEPPOL-T19", includes=common_includes())


def _date_number(node: etree._Element, path: str, default: float) -> float:
    found = xp(node, path)
    if not found:
        return default
    return xnumber(string_value(found[0]).replace("-", ""))


def _catalogue_period(root: etree._Element) -> tuple[float, float]:
    period = "/*[local-name()='Catalogue']/cac:ValidityPeriod"
    return _date_number(root, f"{period}/cbc:StartDate", 0), _date_number(
        root, f"{period}/cbc:EndDate", 99999999
    )


def _within(start: float, end: float, outer_start: float, outer_end: float) -> bool:
    return outer_start <= start <= outer_end and outer_start <= end <= outer_end


@RULES.rule(
    "PEPPOL-T19-R017",
    Flag.FATAL,
    "An order transaction SHALL use profile catalogue only or catalogue without response.",
)
def r017(root: etree._Element) -> Iterator[etree._Element]:
    return (el for el in xp(root, "//cbc:ProfileID") if normalize(string_value(el)) not in PROFILES)


@RULES.rule(
    "PEPPOL-T19-R018",
    Flag.FATAL,
    "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:catalogue:3'.",
)
def r018(root: etree._Element) -> Iterator[etree._Element]:
    yield from customization_not_starting_with(root, CUSTOMIZATION_PREFIX)


@RULES.rule(
    "PEPPOL-T19-R001",
    Flag.FATAL,
    "A validity period end date SHALL be later or equal to a validity period start date",
)
def r001(root: etree._Element) -> Iterator[etree._Element]:
    start, end = _catalogue_period(root)
    if not end >= start:
        yield from xp(root, "/*[local-name()='Catalogue']/cac:ValidityPeriod")


@RULES.rule(
    "PEPPOL-T19-R004", Flag.FATAL, "A catalogue supplier SHALL contain the full name or an identifier"
)
def r004(root: etree._Element) -> Iterator[etree._Element]:
    yield from party_without_name_or_id(root, "//cac:SellerSupplierParty")


@RULES.rule(
    "PEPPOL-T19-R005", Flag.FATAL, "A catalogue customer SHALL contain the full name or an identifier"
)
def r005(root: etree._Element) -> Iterator[etree._Element]:
    yield from party_without_name_or_id(root, "//cac:ContractorCustomerParty")


def _line_period(line: etree._Element, cat: tuple[float, float]) -> tuple[float, float]:
    return (
        _date_number(line, "cac:LineValidityPeriod/cbc:StartDate", cat[0]),
        _date_number(line, "cac:LineValidityPeriod/cbc:EndDate", cat[1]),
    )


@RULES.rule("PEPPOL-T19-R008", Flag.FATAL, "Maximum quantity SHALL be greater than zero")
def r008(root: etree._Element) -> Iterator[etree._Element]:
    for line in xp(root, "//cac:CatalogueLine"):
        if present_and_negative(line, "cbc:MaximumOrderQuantity"):
            yield line


@RULES.rule("PEPPOL-T19-R009", Flag.FATAL, "Minimum quantity SHALL be greater than zero")
def r009(root: etree._Element) -> Iterator[etree._Element]:
    for line in xp(root, "//cac:CatalogueLine"):
        if present_and_negative(line, "cbc:MinimumOrderQuantity"):
            yield line


@RULES.rule(
    "PEPPOL-T19-R010", Flag.FATAL, "Maximum quantity SHALL be greater or equal to the Minimum quantity"
)
def r010(root: etree._Element) -> Iterator[etree._Element]:
    for line in xp(root, "//cac:CatalogueLine"):
        if exists(line, "cbc:MaximumOrderQuantity") and exists(line, "cbc:MinimumOrderQuantity"):
            if not first_number(line, "cbc:MaximumOrderQuantity") >= first_number(
                line, "cbc:MinimumOrderQuantity"
            ):
                yield line


@RULES.rule(
    "PEPPOL-T19-R007",
    Flag.FATAL,
    "Catalogue line validity period SHALL be within the range of the whole catalogue validity period",
)
def r007(root: etree._Element) -> Iterator[etree._Element]:
    cat = _catalogue_period(root)
    for line in xp(root, "//cac:CatalogueLine"):
        if not _within(*_line_period(line, cat), *cat):
            yield line


@RULES.rule(
    "PEPPOL-T19-R013",
    Flag.FATAL,
    "A line validity period end date SHALL be later or equal to the line validity period start date",
)
def r013(root: etree._Element) -> Iterator[etree._Element]:
    cat = _catalogue_period(root)
    for line in xp(root, "//cac:CatalogueLine"):
        start, end = _line_period(line, cat)
        if not start <= end:
            yield line


def _price_periods(
    root: etree._Element,
) -> Iterator[tuple[etree._Element, tuple[float, float], tuple[float, float]]]:
    cat = _catalogue_period(root)
    for q in xp(root, "//cac:RequiredItemLocationQuantity"):
        parent = q.getparent()
        line = _line_period(parent, cat) if parent is not None else cat
        price = (
            _date_number(q, "cac:Price/cac:ValidityPeriod/cbc:StartDate", line[0]),
            _date_number(q, "cac:Price/cac:ValidityPeriod/cbc:EndDate", line[1]),
        )
        yield q, line, price


@RULES.rule("PEPPOL-T19-R006", Flag.FATAL, "Prices of items SHALL not be negative")
def r006(root: etree._Element) -> Iterator[etree._Element]:
    return (
        q
        for q in xp(root, "//cac:RequiredItemLocationQuantity")
        if not first_number(q, "cac:Price/cbc:PriceAmount") >= 0
    )


@RULES.rule(
    "PEPPOL-T19-R011",
    Flag.FATAL,
    "Price validity start date SHALL be within the range of the catalogue line or catalogue validity period",
)
def r011(root: etree._Element) -> Iterator[etree._Element]:
    return (q for q, line, price in _price_periods(root) if not _within(*price, *line))


@RULES.rule(
    "PEPPOL-T19-R016",
    Flag.FATAL,
    "A price validity period end date SHALL be later or equal to the price validity period start date",
)
def r016(root: etree._Element) -> Iterator[etree._Element]:
    return (q for q, _line, price in _price_periods(root) if not price[0] <= price[1])


@RULES.rule(
    "PEPPOL-T19-R014",
    Flag.FATAL,
    "Each Tax Category SHALL have a TAX category rate, except if the catalogue line is not subject to TAX.",
)
def r014(root: etree._Element) -> Iterator[etree._Element]:
    for tc in xp(root, "//cac:ClassifiedTaxCategory"):
        if not exists(tc, "cbc:Percent") and normalize(_first_text(tc, "cbc:ID")) != "O":
            yield tc


@RULES.rule(
    "PEPPOL-T19-R015",
    Flag.FATAL,
    'When TAX category code is "Standard rated" (S) the TAX rate SHALL be greater than zero.',
)
def r015(root: etree._Element) -> Iterator[etree._Element]:
    for tc in xp(root, "//cac:ClassifiedTaxCategory"):
        if normalize(_first_text(tc, "cbc:ID")) == "S" and not first_number(tc, "cbc:Percent") > 0:
            yield tc


@RULES.rule(
    "PEPPOL-T19-R012",
    Flag.FATAL,
    'Each item in a Catalogue line SHALL be identifiable by either "item sellers identifier" or '
    '"item standard identifier"',
)
def r012(root: etree._Element) -> Iterator[etree._Element]:
    yield from items_without_id(root)


def _first_text(node: etree._Element, path: str) -> str:
    found = xp(node, path)
    return string_value(found[0]) if found else ""


# --- generated basic rules (PEPPOL-T19-Bnnnnn): mandatory elements, code lists, fixed values,
# elements outside the data model and schemaLocation (fatal), from ehf/rules/peppol_tables.py
add_table_rules(RULES, peppol_tables.T19)
