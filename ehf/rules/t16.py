"""Peppol BIS Despatch Advice (T16) business rules, release 2025.5.

The checks mirror the official Schematron assertions, including how they treat
missing values (``number()`` of an absent quantity is NaN, so R006 fails).
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
    party_without_name_or_id,
    xp,
)

CUSTOMIZATION_PREFIX: Final = "urn:fdc:peppol.eu:poacc:trns:despatch_advice:3"

RULES = RuleSet("PEPPOL-T16", includes=common_includes())


@RULES.rule(
    "PEPPOL-T16-R011",
    Flag.FATAL,
    "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:despatch_advice:3'.",
)
def r011(root: etree._Element) -> Iterator[etree._Element]:
    yield from customization_not_starting_with(root, CUSTOMIZATION_PREFIX)


@RULES.rule(
    "PEPPOL-T16-R008", Flag.FATAL, "A despatch advice buyer party SHALL contain the name or an identifier"
)
def r008(root: etree._Element) -> Iterator[etree._Element]:
    yield from party_without_name_or_id(root, "//cac:BuyerCustomerParty")


@RULES.rule(
    "PEPPOL-T16-R009", Flag.FATAL, "A despatch advice seller party SHALL contain the name or an identifier"
)
def r009(root: etree._Element) -> Iterator[etree._Element]:
    yield from party_without_name_or_id(root, "//cac:SellerSupplierParty")


@RULES.rule(
    "PEPPOL-T16-R010",
    Flag.FATAL,
    "A despatch advice originator customer party SHALL contain the name or an identifier",
)
def r010(root: etree._Element) -> Iterator[etree._Element]:
    yield from party_without_name_or_id(root, "//cac:OriginatorCustomerParty")


def _lines(root: etree._Element) -> list[etree._Element]:
    return xp(root, "//cac:DespatchLine")


@RULES.rule(
    "PEPPOL-T16-R003",
    Flag.FATAL,
    'Each item in a Despatch Advice line SHALL be identifiable by either "item sellers identifier" or '
    '"item standard identifier"',
)
def r003(root: etree._Element) -> Iterator[etree._Element]:
    for line in _lines(root):
        if not exists(
            line,
            "cac:Item/cac:StandardItemIdentification/cbc:ID | cac:Item/cac:SellersItemIdentification/cbc:ID",
        ):
            yield line


@RULES.rule("PEPPOL-T16-R004", Flag.FATAL, "Each Despatch Advice SHALL contain the item name")
def r004(root: etree._Element) -> Iterator[etree._Element]:
    return (line for line in _lines(root) if not exists(line, "cac:Item/cbc:Name"))


@RULES.rule("PEPPOL-T16-R005", Flag.WARNING, "Each despatch advice line SHOULD have a delivered quantity")
def r005(root: etree._Element) -> Iterator[etree._Element]:
    return (line for line in _lines(root) if not exists(line, "cbc:DeliveredQuantity"))


@RULES.rule(
    "PEPPOL-T16-R006", Flag.FATAL, "Each despatch advice line delivered quantity SHALL not be negative"
)
def r006(root: etree._Element) -> Iterator[etree._Element]:
    return (line for line in _lines(root) if not first_number(line, "cbc:DeliveredQuantity") >= 0)


@RULES.rule(
    "PEPPOL-T16-R007",
    Flag.WARNING,
    "An outstanding quantity reason SHOULD be provided if the despatch line contains an outstanding quantity",
)
def r007(root: etree._Element) -> Iterator[etree._Element]:
    for line in _lines(root):
        if exists(line, "cbc:OutstandingQuantity") and not exists(line, "cbc:OutstandingReason"):
            yield line


# --- generated basic rules (PEPPOL-T16-Bnnnnn): mandatory elements, code lists, fixed values,
# elements outside the data model and schemaLocation (fatal), from ehf/rules/peppol_tables.py
add_table_rules(RULES, peppol_tables.T16)
