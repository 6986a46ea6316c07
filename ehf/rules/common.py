"""PEPPOL-COMMON rules shared by every Peppol post-award transaction: no empty
elements, no schema location, well-formed dates, and check digits of the party
identifier schemes (GLN, NO, BE, IT, SE, AU). Transaction rule sets include ``COMMON``."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from lxml import etree

from ehf import orgnr
from ehf.findings import Flag
from ehf.namespaces import NS
from ehf.rules.engine import RuleSet

COMMON = RuleSet("PEPPOL-COMMON")
RULES = COMMON

XSI_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"

_EMPTY = etree.XPath("descendant-or-self::*[not(*) and not(normalize-space())]")
_DATES = etree.XPath(
    ".//cbc:IssueDate | .//cbc:DueDate | .//cbc:TaxPointDate | .//cbc:StartDate | .//cbc:EndDate"
    " | .//cbc:ActualDeliveryDate",
    namespaces=NS,
)


@COMMON.rule("PEPPOL-COMMON-R001", Flag.FATAL, "Document MUST not contain empty elements.")
def no_empty_elements(root: etree._Element) -> list[etree._Element]:
    return list(_EMPTY(root))


@COMMON.rule("PEPPOL-COMMON-R003", Flag.WARNING, "Document SHOULD not contain schema location.")
def no_schema_location(root: etree._Element) -> list[etree._Element]:
    return [root] if root.get(XSI_SCHEMA_LOCATION) is not None else []


def is_iso_date(text: str | None) -> bool:
    if text is None or len(text) != 10:
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@COMMON.rule("PEPPOL-COMMON-R030", Flag.FATAL, "A date must be formatted YYYY-MM-DD.")
def dates_formatted(root: etree._Element) -> list[etree._Element]:
    return [el for el in _DATES(root) if not is_iso_date(el.text)]


def scheme_xpath(scheme: str, *, party_ids: bool = True) -> etree.XPath:
    expr = f".//cbc:EndpointID[@schemeID = '{scheme}']"
    if party_ids:
        expr += (
            f" | .//cac:PartyIdentification/cbc:ID[@schemeID = '{scheme}']"
            f" | .//cbc:CompanyID[@schemeID = '{scheme}']"
        )
    return etree.XPath(expr, namespaces=NS)


def _identifier_rule(
    rule_id: str, flag: Flag, message: str, scheme: str, valid: Callable[[str], bool], *, party_ids: bool = True
) -> None:
    xpath = scheme_xpath(scheme, party_ids=party_ids)

    def check(root: etree._Element) -> list[etree._Element]:
        return [el for el in xpath(root) if not valid(" ".join((el.text or "").split()))]

    check.__name__ = f"check_{rule_id.replace('-', '_').lower()}"
    COMMON.rule(rule_id, flag, message)(check)


_identifier_rule("PEPPOL-COMMON-R040", Flag.FATAL, "GLN must have a valid format according to GS1 rules.",
                 "0088", orgnr.is_valid_peppol_gln)
_identifier_rule("PEPPOL-COMMON-R041", Flag.FATAL,
                 "Norwegian organization number MUST be stated in the correct format.", "0192", orgnr.is_valid_orgnr)
_identifier_rule("PEPPOL-COMMON-R043", Flag.FATAL, "Belgian enterprise number MUST be stated in the correct format.",
                 "0208", orgnr.is_valid_be_enterprise)
_identifier_rule("PEPPOL-COMMON-R044", Flag.WARNING,
                 "IPA Code (Codice Univoco Unità Organizzativa) must be stated in the correct format",
                 "0201", orgnr.is_valid_it_ipa)
_identifier_rule("PEPPOL-COMMON-R045", Flag.WARNING, "Tax Code (Codice Fiscale) must be stated in the correct format",
                 "0210", orgnr.is_valid_it_fiscal_code)
_identifier_rule("PEPPOL-COMMON-R046", Flag.WARNING, "Tax Code (Codice Fiscale) must be stated in the correct format",
                 "9907", orgnr.is_valid_it_fiscal_code, party_ids=False)
_identifier_rule("PEPPOL-COMMON-R047", Flag.WARNING,
                 "Italian VAT Code (Partita Iva) must be stated in the correct format", "0211", orgnr.is_valid_it_vat)
_identifier_rule("PEPPOL-COMMON-R048", Flag.WARNING,
                 "Italian VAT Code (Partita Iva) must be stated in the correct format", "9906", orgnr.is_valid_it_vat,
                 party_ids=False)
_identifier_rule("PEPPOL-COMMON-R049", Flag.FATAL, "Swedish organization number MUST be stated in the correct format.",
                 "0007", orgnr.is_valid_se_orgnr)
_identifier_rule("PEPPOL-COMMON-R050", Flag.FATAL,
                 "Australian Business Number (ABN) MUST be stated in the correct format.", "0151", orgnr.is_valid_abn)


def common_includes() -> list[RuleSet]:
    """The PEPPOL-COMMON rules (empty elements, dates, identifiers) every POACC set includes."""
    return [COMMON]
