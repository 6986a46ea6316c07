"""Our own corpus for the EHF rule sets: for each rule, a document that breaks it and one
that nearly does (the same base document with a change that stays within the rule).

The base documents are an EHF Order (profile 02) and an EHF Advanced Ordering order
initiation (profile 09) built by ``ehf`` with every field the factory fills in. The
generated EHF basic rules are exercised for every element of the base document they apply
to (mandatory child removed / kept, code replaced by a code outside / inside the official
EHF list, fixed value changed / padded with whitespace, foreign element added / an allowed
one added); the hand-written and EHF-COMMON rules have cases written out below."""
from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from lxml import etree

from ehf import Flag, Party, Profile, build_order, validate
from ehf.findings import Finding
from ehf.model import Address
from ehf.namespaces import CAC, CBC
from ehf.rules import ehf as ehf_rules
from ehf.rules import ehf_tables
from tests.ehf.order_factory import make_order

XSI = "http://www.w3.org/2001/XMLSchema-instance"
Mutation = Callable[[etree._Element], None]


def base_order(profile: Profile) -> etree._Element:
    invoicee = Party(legal_name="Eksempel kommune", endpoint_id="987654325", endpoint_scheme="0192",
                     address=Address("NO", city="Oslo"))
    order = dataclasses.replace(make_order(profile=profile), order_type_code="220", invoicee=invoicee,
                                payment_terms="30 dager")
    return etree.fromstring(build_order(order))


BASES = {"EHF-T01": (Profile.EHF_ORDERING, ehf_tables.T01),
         "EHF-P09-INIT": (Profile.EHF_ADVANCED_ORDERING, ehf_tables.P09_INIT)}
RULE_SETS = {"EHF-T01": ehf_rules.ORDER, "EHF-P09-INIT": ehf_rules.ADVANCED_ORDER}


def findings(root: etree._Element) -> list[Finding]:
    return validate(etree.tostring(root))


def qname(term: str) -> str:
    prefix, local = term.split(":")
    return f"{{{CAC if prefix == 'cac' else CBC}}}{local}"


def first(root: etree._Element, path: str) -> etree._Element | None:
    el: etree._Element | None = root
    for part in [p for p in path.split("/") if p]:
        assert el is not None
        el = el.find(qname(part))
        if el is None:
            return None
    return el


def _generated_cases(name: str) -> Iterator[object]:
    profile, table = BASES[name]
    root = base_order(profile)
    for path, spec in table.nodes.items():
        el = first(root, path)
        if el is None:
            continue
        for child, rule_id in spec.mandatory:
            if el.find(qname(child)) is not None:
                yield pytest.param(name, rule_id, _remove(path, child), None, id=f"{rule_id}-missing-{child}")
        for attr, lists, rule_id in spec.codes:
            if attr is None or el.get(attr) is not None:
                valid = sorted(ehf_tables.CODE_LISTS[lists[0]])[0]
                yield pytest.param(name, rule_id, _set(path, attr, "ZZ9"), _set(path, attr, valid),
                                   id=f"{rule_id}-code")
        if spec.fixed is not None:
            value, rule_id = spec.fixed
            yield pytest.param(name, rule_id, _set(path, None, value + "X"), _set(path, None, f"  {value}\n"),
                               id=f"{rule_id}-fixed")
        for attr, value, rule_id in spec.fixed_attributes:
            yield pytest.param(name, rule_id, _set(path, attr, "0088"), _set(path, attr, value),
                               id=f"{rule_id}-fixed-attribute")
        if spec.unknown_rule is not None:
            absent = sorted(t for t in spec.allowed if t.startswith("cbc:") and el.find(qname(t)) is None)
            near = _append(path, absent[0]) if absent else None
            yield pytest.param(name, spec.unknown_rule, _append(path, "cbc:UBLVersionID"), near,
                               id=f"{spec.unknown_rule}-unknown")


def _remove(path: str, child: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        el = first(root, path)
        assert el is not None
        for found in el.findall(qname(child)):
            el.remove(found)
    return mutate


def _set(path: str, attr: str | None, value: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        el = first(root, path)
        assert el is not None
        if attr is None:
            el.text = value
        else:
            el.set(attr, value)
    return mutate


def _append(path: str, term: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        el = first(root, path)
        assert el is not None
        etree.SubElement(el, qname(term)).text = "1"
    return mutate


GENERATED = [case for name in BASES for case in _generated_cases(name)]


def test_base_documents_are_clean() -> None:
    for profile, _ in BASES.values():
        assert findings(base_order(profile)) == []


def test_generated_corpus_covers_the_base_documents() -> None:
    assert len(GENERATED) >= 150


@pytest.mark.parametrize(("name", "rule_id", "breaks", "nearly"), GENERATED)
def test_generated_rule(name: str, rule_id: str, breaks: Mutation, nearly: Mutation | None) -> None:
    profile, _ = BASES[name]
    broken = base_order(profile)
    breaks(broken)
    # the rule set itself: without a CustomizationID no validator can tell it is an EHF order
    fired = {(f.rule_id, f.flag) for f in RULE_SETS[name].check(broken)}
    assert (rule_id, Flag.FATAL) in fired
    near = base_order(profile)
    if nearly is not None:
        nearly(near)
    assert rule_id not in {f.rule_id for f in RULE_SETS[name].check(near)}


def _edit(path: str, fn: Callable[[etree._Element], None]) -> Mutation:
    def mutate(root: etree._Element) -> None:
        el = first(root, path)
        assert el is not None
        fn(el)
    return mutate


def _text(path: str, value: str) -> Mutation:
    return _set(path, None, value)


def _schema_location(root: etree._Element) -> None:
    root.set(f"{{{XSI}}}schemaLocation", "urn:oasis:names:specification:ubl:schema:xsd:Order-2 UBL-Order-2.1.xsd")


def _no_ns_schema_location(root: etree._Element) -> None:
    root.set(f"{{{XSI}}}noNamespaceSchemaLocation", "UBL-Order-2.1.xsd")


def _empty_contract(root: etree._Element) -> None:
    contract = first(root, "/cac:Contract")
    assert contract is not None
    for child in list(contract):
        contract.remove(child)


def _buyer_scheme(scheme: str, value: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        el = first(root, "/cac:BuyerCustomerParty/cac:Party/cbc:EndpointID")
        assert el is not None
        el.set("schemeID", scheme)
        el.text = value
    return mutate


def _line_total(delta: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        el = first(root, "/cac:AnticipatedMonetaryTotal/cbc:LineExtensionAmount")
        assert el is not None
        el.text = f"{Decimal(el.text or '0') + Decimal(delta):.2f}"
    return mutate


def _line_amount(delta: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        el = first(root, "/cac:OrderLine/cac:LineItem/cbc:LineExtensionAmount")
        assert el is not None
        el.text = f"{Decimal(el.text or '0') + Decimal(delta):.2f}"
    return mutate


def _percent_allowance(amount: str) -> Mutation:
    """A document-level allowance of 10 % of 100.00 stated as ``amount``."""
    def mutate(root: etree._Element) -> None:
        charge = first(root, "/cac:AllowanceCharge")
        assert charge is not None
        ac = etree.Element(f"{{{CAC}}}AllowanceCharge")
        for term, value in (("cbc:ChargeIndicator", "false"), ("cbc:AllowanceChargeReason", "Rabatt"),
                            ("cbc:MultiplierFactorNumeric", "10"), ("cbc:Amount", amount),
                            ("cbc:BaseAmount", "100.00")):
            etree.SubElement(ac, qname(term)).text = value
        for el in ac.iter(f"{{{CBC}}}Amount", f"{{{CBC}}}BaseAmount"):
            el.set("currencyID", "NOK")
        charge.addprevious(ac)
    return mutate


# (rule id, flag, breaks, nearly) on the EHF Order; texts checked where EHF's differ from Peppol's
HAND_WRITTEN = [
    ("EHF-COMMON-R001", Flag.FATAL, _text("/cbc:Note", ""), _text("/cbc:Note", " ")),
    ("EHF-COMMON-R002", Flag.FATAL, _empty_contract, _text("/cac:Contract/cbc:ID", "X")),
    ("EHF-COMMON-R003", Flag.FATAL, _text("/cac:SellerSupplierParty/cac:Party/cbc:EndpointID", "123456784"),
     _text("/cac:SellerSupplierParty/cac:Party/cbc:EndpointID", "987654325")),
    ("EHF-COMMON-R003", Flag.FATAL, _text("/cac:SellerSupplierParty/cac:Party/cbc:EndpointID", "NO123456785"),
     _text("/cac:SellerSupplierParty/cac:Party/cbc:EndpointID", " 123456785 ")),
    ("PEPPOL-COMMON-R003", Flag.WARNING, _schema_location, _no_ns_schema_location),
    ("EHF-T01-B00109", Flag.FATAL, _schema_location, _no_ns_schema_location),
    ("PEPPOL-COMMON-R030", Flag.FATAL, _text("/cbc:IssueDate", "2026-11-7"), _text("/cbc:IssueDate", "2026-11-07")),
    ("PEPPOL-COMMON-R040", Flag.FATAL, _buyer_scheme("0088", "7080000000001"), _buyer_scheme("0088", "7080000000005")),
    ("PEPPOL-COMMON-R049", Flag.WARNING, _buyer_scheme("0007", "556677889"), _buyer_scheme("0007", "5566778899")),
    ("PEPPOL-COMMON-R050", Flag.WARNING, _buyer_scheme("0151", "51824753555"),
     _buyer_scheme("0151", "51824753556")),
    ("PEPPOL-T01-R008", Flag.FATAL, _line_total("0.01"), _line_total("0.00")),
    # Peppol's (and EHF's) 0.02 tolerance: 0.03 off breaks, 0.02 off passes
    ("PEPPOL-T01-R024", Flag.FATAL, _line_amount("0.03"), _line_amount("-0.02")),
    ("PEPPOL-T01-R022", Flag.FATAL, _percent_allowance("10.03"), _percent_allowance("9.98")),
    ("PEPPOL-T01-R011", Flag.FATAL, _text("/cac:AnticipatedMonetaryTotal/cbc:TaxExclusiveAmount", "1.00"), None),
    ("PEPPOL-T01-R026", Flag.FATAL,
     _text("/cac:BuyerCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID", "987654325MVA"),
     _text("/cac:BuyerCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID", "SE987654325MVA")),
    ("EHF-T01-B00801", Flag.FATAL, _text("/cbc:OrderTypeCode", "105"), _text("/cbc:OrderTypeCode", "227")),
    ("EHF-T01-B00301", Flag.FATAL, _text("/cbc:ProfileID", "urn:fdc:peppol.eu:poacc:bis:ordering:3"),
     _text("/cbc:ProfileID", "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:02:1.0 ")),
    ("EHF-T01-B06902", Flag.FATAL, _edit("/cac:SellerSupplierParty/cac:Party/cbc:EndpointID",
                                         lambda el: el.set("schemeID", "0088")), None),
]

EHF_TEXTS = {
    "PEPPOL-T01-R011": "Expected total amount without VAT = Expected total sum of line amounts - Sum of allowances "
                       "on document level + Sum of charges on document level",
    "PEPPOL-T01-R026": "Party VAT identifiers SHALL have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by "
                       "which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.",
    "EHF-COMMON-R003": "MUST be a valid Norwegian organization number. Only numerical value allowed",
}


@pytest.mark.parametrize(("rule_id", "flag", "breaks", "nearly"), HAND_WRITTEN,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(HAND_WRITTEN)])
def test_hand_written_rule(rule_id: str, flag: Flag, breaks: Mutation, nearly: Mutation | None) -> None:
    broken = base_order(Profile.EHF_ORDERING)
    breaks(broken)
    fired = [f for f in findings(broken) if f.rule_id == rule_id]
    assert fired and all(f.flag is flag for f in fired)
    if rule_id in EHF_TEXTS:
        assert fired[0].message == EHF_TEXTS[rule_id]
    near = base_order(Profile.EHF_ORDERING)
    if nearly is not None:
        nearly(near)
    assert rule_id not in {f.rule_id for f in findings(near)}


def test_peppol_rules_replaced_in_ehf_documents() -> None:
    """Rules EHF does not have never appear for an EHF document: an empty element is
    EHF-COMMON-R001, not PEPPOL-COMMON-R001; a bad orgnr is EHF-COMMON-R003, not
    PEPPOL-COMMON-R041; the Peppol ProfileID rule R031 and R034 are not applied."""
    root = base_order(Profile.EHF_ORDERING)
    _text("/cbc:Note", "")(root)
    _text("/cac:SellerSupplierParty/cac:Party/cbc:EndpointID", "123456784")(root)
    ids = {f.rule_id for f in findings(root)}
    assert {"EHF-COMMON-R001", "EHF-COMMON-R003"} <= ids
    assert not ids & {"PEPPOL-COMMON-R001", "PEPPOL-COMMON-R041", "PEPPOL-T01-R031", "PEPPOL-T01-R034"}


def test_same_break_in_a_peppol_order_reports_peppol_rules() -> None:
    root = base_order(Profile.BIS_ORDERING)
    _text("/cbc:Note", "")(root)
    ids = {f.rule_id for f in findings(root)}
    assert "PEPPOL-COMMON-R001" in ids and not any(i.startswith("EHF-") for i in ids)


def test_corpus_documents_are_independent() -> None:
    a = base_order(Profile.EHF_ORDERING)
    b = copy.deepcopy(a)
    _text("/cbc:Note", "")(b)
    assert findings(a) == []


def test_table_sizes() -> None:
    sizes = {name: len(t.messages) for name, t in
             (("T01", ehf_tables.T01), ("P09_INIT", ehf_tables.P09_INIT), ("T76", ehf_tables.T76),
              ("P09_RESPONSE", ehf_tables.P09_RESPONSE), ("T16", ehf_tables.T16), ("T19", ehf_tables.T19))}
    assert sizes == {"T01": 255, "P09_INIT": 253, "T76": 94, "P09_RESPONSE": 94, "T16": 144, "T19": 204}
