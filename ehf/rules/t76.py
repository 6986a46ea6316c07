"""Peppol BIS Order Response (T76) business rules, release 2025.5 ("Rules for
Peppol Order Response transaction 3.2").

Each check mirrors the official Schematron assertion, including its XPath
quirks on incomplete documents (an absent value compares false), so that the
official unit-test fragments give the same verdicts. The XPath-semantics helpers
it uses are in :mod:`ehf.rules.xpath`.
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
    lines_with_non_unique_id,
    normalize,
    strings,
    xp,
)

CUSTOMIZATION_PREFIX: Final = "urn:fdc:peppol.eu:poacc:trns:order_response:3"


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


# --- generated basic rules (PEPPOL-T76-Bnnnnn): mandatory elements, code lists, fixed values,
# elements outside the data model and schemaLocation (fatal), from ehf/rules/peppol_tables.py
add_table_rules(RULES, peppol_tables.T76)
