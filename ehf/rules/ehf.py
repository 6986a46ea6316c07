"""EHF 3.0 rule sets (DFØ, anskaffelser/ehf-postaward-g3), used instead of the Peppol
ones for documents with an EHF CustomizationID, as the official validator does.

Each EHF rule set is, like the official ``EHF-*.sch`` files, made of four parts:

* ``EHF-COMMON``: EHF's own shared rules (``_common/rules/sch/parts``): no empty
  ``cbc`` element (R001), no empty ``cac`` aggregate (R002), a valid Norwegian
  organisation number for scheme 0192 (R003), and the Peppol identifier rules as
  EHF flags them (PEPPOL-COMMON-R049 and R050 are warnings in EHF, fatal in Peppol;
  EHF has no PEPPOL-COMMON-R001 and R041: R001-R003 replace them);
* the generated basic rules of the EHF data model (``EHF-Txx-Bnnnnn``, tables in
  :mod:`ehf.rules.ehf_tables`): mandatory elements, fixed identifiers (EHF fixes the
  CustomizationID and ProfileID, and for an Order the seller's and invoicee's
  EndpointID scheme to 0192), code lists, and "not part of the data model";
* the Peppol business rules of the transaction (``PEPPOL-Txx-R*``), with EHF's texts
  for T01 (DFØ's copy ``ordering-3.0/rules/patch/PEPPOL-M-T01.sch``, which has no R034
  and whose ProfileID rule R031 is not applied to EHF profiles);
* not implemented: the Qualified Item Identification patterns (``EHF-QII-*``) of the
  Order Response and Catalogue, which only fire on items classified with an
  ``urn:fdc:anskaffelser.no:2022:ehf:qii`` code.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

from ehf import orgnr
from ehf.findings import Flag
from ehf.namespaces import CAC, CBC
from ehf.rules import common, ehf_tables, t01, t16, t19, t76, t110
from ehf.rules.engine import Rule, RuleSet
from ehf.rules.structure import Table, add_table_rules, has_schema_location

EHF_COMMON = RuleSet("EHF-COMMON")

_EMPTY_TEXT = "Document MUST not contain empty elements."


@EHF_COMMON.rule("EHF-COMMON-R001", Flag.FATAL, _EMPTY_TEXT)
def empty_basic_elements(root: etree._Element) -> list[etree._Element]:
    # test ". != ''": whitespace is a value here (unlike PEPPOL-COMMON-R001)
    return [el for el in root.iter(f"{{{CBC}}}*") if "".join(el.itertext()) == ""]


@EHF_COMMON.rule("EHF-COMMON-R002", Flag.FATAL, _EMPTY_TEXT)
def empty_aggregates(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter(f"{{{CAC}}}*") if not any(isinstance(c.tag, str) for c in el)]


_NINE_DIGITS = re.compile(r"[0-9]{9}")


def _valid_orgnr(value: str) -> bool:
    return bool(_NINE_DIGITS.fullmatch(value)) and orgnr.is_valid_orgnr(value)


_XPATH_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF")


def _swedish_orgnr(value: str) -> bool:
    # EHF's test: string-length(normalize-space()) = 10 and string(number(...)) != 'NaN'
    return len(value) == 10 and bool(_XPATH_NUMBER.fullmatch(value))


def _identifier(rule_id: str, flag: Flag, message: str, scheme: str, valid: Callable[[str], bool],
                *, party_ids: bool = True) -> None:
    xpath = common.scheme_xpath(scheme, party_ids=party_ids)

    def check(root: etree._Element) -> list[etree._Element]:
        return [el for el in xpath(root) if not valid(" ".join((el.text or "").split()))]

    EHF_COMMON.rule(rule_id, flag, message)(check)


_identifier("EHF-COMMON-R003", Flag.FATAL,
            "MUST be a valid Norwegian organization number. Only numerical value allowed", "0192", _valid_orgnr)


@EHF_COMMON.rule("PEPPOL-COMMON-R003", Flag.WARNING, "Document SHOULD not contain schema location.")
def no_schema_location(root: etree._Element) -> list[etree._Element]:
    # not(@*:schemaLocation): a schemaLocation attribute in any namespace
    return [root] if has_schema_location(root) else []


EHF_COMMON.rule("PEPPOL-COMMON-R030", Flag.FATAL, "A date must be formatted YYYY-MM-DD.")(common.dates_formatted)
_identifier("PEPPOL-COMMON-R040", Flag.FATAL, "GLN must have a valid format according to GS1 rules.",
            "0088", orgnr.is_valid_peppol_gln)
_identifier("PEPPOL-COMMON-R043", Flag.FATAL, "Belgian enterprise number MUST be stated in the correct format.",
            "0208", orgnr.is_valid_be_enterprise)
_identifier("PEPPOL-COMMON-R044", Flag.WARNING,
            "IPA Code (Codice Univoco Unità Organizzativa) must be stated in the correct format",
            "0201", orgnr.is_valid_it_ipa)
_identifier("PEPPOL-COMMON-R045", Flag.WARNING, "Tax Code (Codice Fiscale) must be stated in the correct format",
            "0210", orgnr.is_valid_it_fiscal_code)
_identifier("PEPPOL-COMMON-R046", Flag.WARNING, "Tax Code (Codice Fiscale) must be stated in the correct format",
            "9907", orgnr.is_valid_it_fiscal_code, party_ids=False)
_identifier("PEPPOL-COMMON-R047", Flag.WARNING, "Italian VAT Code (Partita Iva) must be stated in the correct format",
            "0211", orgnr.is_valid_it_vat)
_identifier("PEPPOL-COMMON-R048", Flag.WARNING, "Italian VAT Code (Partita Iva) must be stated in the correct format",
            "9906", orgnr.is_valid_it_vat, party_ids=False)
_identifier("PEPPOL-COMMON-R049", Flag.WARNING, "Swedish organization number MUST be stated in the correct format.",
            "0007", _swedish_orgnr)
_identifier("PEPPOL-COMMON-R050", Flag.WARNING,
            "Australian Business Number (ABN) MUST be stated in the correct format.", "0151", orgnr.is_valid_abn)


def _ruleset(name: str, table: Table, business: Iterable[Rule], *, exclude: frozenset[str] = frozenset(),
             texts: dict[str, str] | None = None) -> RuleSet:
    rules = RuleSet(name, includes=[EHF_COMMON])
    for rule in business:
        if rule.rule_id not in exclude:
            rules.rules.append(Rule(rule.rule_id, rule.flag, (texts or {}).get(rule.rule_id, rule.message),
                                    rule.check))
    add_table_rules(rules, table, ehf_tables.CODE_LISTS)
    return rules


# EHF's texts of the T01 business rules (PEPPOL-M-T01.sch as DFØ patched it: "VAT" for "TAX")
T01_TEXTS = {
    "PEPPOL-T01-R011": "Expected total amount without VAT = Expected total sum of line amounts - Sum of allowances "
                       "on document level + Sum of charges on document level",
    "PEPPOL-T01-R016": "Amount due for payment = Invoice total amount with VAT - Paid amount + Rounding amount.",
    "PEPPOL-T01-R017": "Expected total amount with VAT = Expected total amount without VAT + Order total VAT amount.",
    "PEPPOL-T01-R026": "Party VAT identifiers SHALL have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by "
                       "which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.",
    "PEPPOL-T01-R029": "Each Tax Category SHALL have a VAT category rate, except if the order is not subject to VAT.",
    "PEPPOL-T01-R030": 'When VAT category code is "Standard rated" (S) the VAT rate SHALL be greater than zero.',
}
_T01_EXCLUDE = frozenset({"PEPPOL-T01-R031", "PEPPOL-T01-R034"})

ORDER = _ruleset("EHF-T01", ehf_tables.T01, t01.RULES.rules, exclude=_T01_EXCLUDE, texts=T01_TEXTS)
"""EHF Order 3.0 (profile 02, ``EHF-ORDER-3.0.sch``)."""
ADVANCED_ORDER = _ruleset("EHF-P09-INIT", ehf_tables.P09_INIT, t01.RULES.rules, exclude=_T01_EXCLUDE,
                          texts=T01_TEXTS)
"""EHF Advanced Ordering 3.0, order initiation (profile 09, ``EHF-P09-3.0-ORDER-INITIATION.sch``)."""
ORDER_RESPONSE = _ruleset("EHF-T76", ehf_tables.T76, t76.RULES.rules)
"""EHF Order Response 3.0 (profile 02), without the QII patterns."""
ADVANCED_ORDER_RESPONSE = _ruleset("EHF-P09-RES", ehf_tables.P09_RESPONSE, t76.RULES.rules)
"""EHF Advanced Ordering 3.0, order response (profile 09), without the QII patterns."""
DESPATCH_ADVICE = _ruleset("EHF-T16", ehf_tables.T16, t16.RULES.rules)
"""EHF Despatch Advice 3.0 (profile 05)."""
CATALOGUE = _ruleset("EHF-T19", ehf_tables.T19, t19.RULES.rules, exclude=frozenset({"PEPPOL-T19-R017"}))
"""EHF Catalogue 3.0 (profile 01), without the QII patterns."""
ORDER_AGREEMENT = _ruleset("EHF-T110", ehf_tables.T110,
                           [r for r in t110.RULES.rules if "-B" not in r.rule_id])
"""EHF Order Agreement 3.0 (profile 02), without the QII patterns: the EHF basic rules and
Peppol's T110 business rules (PEPPOL-M-T110.sch)."""
CATALOGUE_RESPONSE = _ruleset("EHF-T58", ehf_tables.T58, [])
"""EHF Catalogue Response 3.0 (profile 01): EHF-CATALOGUE-RESPONSE-3.0.sch has no business rules
beside the common ones and the generated basic rules."""
