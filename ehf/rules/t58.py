"""Peppol BIS Catalogue Response (T58) rules, release 2025.5: the specification identifier
rule (PEPPOL-M-T58.sch has no other business rule), the common rules and the generated
basic rules of ``peppol_tables.T58``."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from lxml import etree

from ehf.findings import Flag
from ehf.rules import peppol_tables
from ehf.rules.common import common_includes
from ehf.rules.engine import RuleSet
from ehf.rules.structure import add_table_rules
from ehf.rules.xpath import customization_not_starting_with

CUSTOMIZATION_PREFIX: Final = "urn:fdc:peppol.eu:poacc:trns:catalogue_response:3"

RULES = RuleSet("PEPPOL-T58", includes=common_includes())


@RULES.rule(
    "PEPPOL-T58-R001",
    Flag.FATAL,
    "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:catalogue_response:3'.",
)
def r001(root: etree._Element) -> Iterator[etree._Element]:
    yield from customization_not_starting_with(root, CUSTOMIZATION_PREFIX)


# --- generated basic rules (PEPPOL-T58-Bnnnnn), from ehf/rules/peppol_tables.py
add_table_rules(RULES, peppol_tables.T58)
