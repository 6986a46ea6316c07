"""Our own corpus for the generated basic rules of the other post-award rule sets: Order
Response (Peppol T76, EHF T76, EHF Advanced Ordering response), Despatch Advice (Peppol T16,
EHF T16), Catalogue (Peppol T19, EHF T19) and Catalogue Response (Peppol T58, EHF T58).

Each base document is an official example of its profile, parsed and rebuilt by ``ehf``
(so the builders are part of what is tested), and is clean under its rule set. For every
element of the base the rules apply to, as in ``test_ehf_corpus.py``: a mandatory child
removed / kept, a code outside / inside the official list, a fixed value changed / padded
with whitespace, a foreign element added / an allowed one added. The broken document must
get the rule as a fatal finding, the nearly broken one must not get it at all. The Peppol
business rules of these types are checked against OpenPEPPOL's own unit tests
(``test_unit_tests_other.py``)."""
from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from ehf import Flag
from ehf.rules import ehf as ehf_rules
from ehf.rules import ehf_tables, peppol_tables, t16, t19, t58, t76, t110
from ehf.rules.engine import RuleSet
from ehf.rules.structure import Table
from tests.ehf.shared_paths import EXAMPLES, NEEDS_SHARED, shared_available
from tests.ehf.test_ehf_corpus import Mutation, _append, _remove, _set, first, qname
from tests.ehf.test_round_trip import rebuild

pytestmark = NEEDS_SHARED  # the bases are official examples (skipped when ../shared/peppol is absent)

# rule set -> (kind, official example, table, code lists, rule set)
BASES: dict[str, tuple[str, str, Table, dict[str, frozenset[str]], RuleSet]] = {
    "PEPPOL-T76": ("order-response", "order-response/peppol/OrderResponse_Example.xml", peppol_tables.T76,
                   peppol_tables.CODE_LISTS, t76.RULES),
    "EHF-T76": ("order-response", "order-response/ehf/OrderResponse_Example.xml", ehf_tables.T76,
                ehf_tables.CODE_LISTS, ehf_rules.ORDER_RESPONSE),
    "EHF-P09-RES": ("order-response", "order-response/ehf/Advanced_OrderResponse_Example.xml",
                    ehf_tables.P09_RESPONSE, ehf_tables.CODE_LISTS, ehf_rules.ADVANCED_ORDER_RESPONSE),
    "PEPPOL-T16": ("despatch-advice", "despatch-advice/peppol/DespatchAdvice_Example.xml", peppol_tables.T16,
                   peppol_tables.CODE_LISTS, t16.RULES),
    "EHF-T16": ("despatch-advice", "despatch-advice/ehf/DespatchAdvice_Example.xml", ehf_tables.T16,
                ehf_tables.CODE_LISTS, ehf_rules.DESPATCH_ADVICE),
    "PEPPOL-T19": ("catalogue", "catalogue/peppol/Catalogue_Example.xml", peppol_tables.T19,
                   peppol_tables.CODE_LISTS, t19.RULES),
    "EHF-T19": ("catalogue", "catalogue/ehf/Catalogue_Example.xml", ehf_tables.T19, ehf_tables.CODE_LISTS,
                ehf_rules.CATALOGUE),
    "PEPPOL-T110": ("order-agreement", "order-agreement/peppol/OrderAgreement_Example.xml", peppol_tables.T110,
                    peppol_tables.CODE_LISTS, t110.RULES),
    "EHF-T110": ("order-agreement", "order-agreement/ehf/OrderAgreement_Example.xml", ehf_tables.T110,
                 ehf_tables.CODE_LISTS, ehf_rules.ORDER_AGREEMENT),
    "PEPPOL-T58": ("catalogue-response", "catalogue-response/peppol/CatalogueResponse_Example.xml",
                   peppol_tables.T58, peppol_tables.CODE_LISTS, t58.RULES),
    "EHF-T58": ("catalogue-response", "catalogue-response/ehf/CatalogueResponse_Example.xml", ehf_tables.T58,
                ehf_tables.CODE_LISTS, ehf_rules.CATALOGUE_RESPONSE),
}


@cache
def _base_bytes(name: str) -> bytes:
    kind, example, *_ = BASES[name]
    return rebuild(kind, EXAMPLES / example)


def base(name: str) -> etree._Element:
    return etree.fromstring(_base_bytes(name))


def _cases(name: str) -> Iterator[object]:
    _, _, table, lists, _ = BASES[name]
    root = base(name)
    for path, spec in table.nodes.items():
        el = first(root, path)
        if el is None:
            continue
        for child, rule_id in spec.mandatory:
            if el.find(qname(child)) is not None:
                yield pytest.param(name, rule_id, _remove(path, child), None, id=f"{rule_id}-missing-{child}")
        for attr, code_lists, rule_id in spec.codes:
            if attr is None or el.get(attr) is not None:
                valid = sorted(lists[code_lists[0]])[0]
                yield pytest.param(name, rule_id, _set(path, attr, "ZZ9"), _set(path, attr, valid),
                                   id=f"{rule_id}-code")
        if spec.fixed is not None:
            value, rule_id = spec.fixed
            yield pytest.param(name, rule_id, _set(path, None, value + "X"), _set(path, None, f"  {value}\n"),
                               id=f"{rule_id}-fixed")
        for attr, value, rule_id in spec.fixed_attributes:
            if el.get(attr) is not None:
                yield pytest.param(name, rule_id, _set(path, attr, "0088"), _set(path, attr, value),
                                   id=f"{rule_id}-fixed-attribute")
        if spec.unknown_rule is not None:
            absent = sorted(t for t in spec.allowed if t.startswith("cbc:") and el.find(qname(t)) is None)
            near = _append(path, absent[0]) if absent else None
            yield pytest.param(name, spec.unknown_rule, _append(path, "cbc:UBLVersionID"), near,
                               id=f"{spec.unknown_rule}-unknown")


CASES = [case for name in BASES for case in _cases(name)] if shared_available() else []


@pytest.mark.parametrize("name", BASES)
def test_base_document_is_clean(name: str) -> None:
    assert BASES[name][4].check(base(name)) == []


def test_corpus_covers_every_rule_set() -> None:
    per_set = {name: len([c for c in CASES if c.values[0] == name]) for name in BASES}  # type: ignore[attr-defined]
    assert all(n >= 20 for n in per_set.values()), per_set
    assert len(CASES) >= 1200


@pytest.mark.parametrize(("name", "rule_id", "breaks", "nearly"), CASES)
def test_generated_rule(name: str, rule_id: str, breaks: Mutation, nearly: Mutation | None) -> None:
    rules = BASES[name][4]
    broken = base(name)
    breaks(broken)
    assert (rule_id, Flag.FATAL) in {(f.rule_id, f.flag) for f in rules.check(broken)}
    near = base(name)
    if nearly is not None:
        nearly(near)
    assert rule_id not in {f.rule_id for f in rules.check(near)}


def test_schema_location_is_fatal_in_every_rule_set() -> None:
    xsi = "http://www.w3.org/2001/XMLSchema-instance"
    for name, (_, _, table, _, rules) in BASES.items():
        root = base(name)
        root.set(f"{{{xsi}}}schemaLocation", "urn:x doc.xsd")
        assert (table.schema_location_rule, Flag.FATAL) in {(f.rule_id, f.flag) for f in rules.check(root)}
        root = base(name)
        root.set(f"{{{xsi}}}noNamespaceSchemaLocation", "doc.xsd")  # not a schemaLocation attribute
        assert table.schema_location_rule not in {f.rule_id for f in rules.check(root)}


def test_examples_are_where_the_corpus_expects_them() -> None:
    assert all(Path(EXAMPLES / example).is_file() for _, example, *_ in BASES.values())


def _text(path: str, value: str) -> Mutation:
    return _set(path, None, value)


def _remove_all(path: str, child: str) -> Mutation:
    return _remove(path, child)


def _duplicate_last(path: str, child: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        el = first(root, path)
        assert el is not None
        found = el.findall(qname(child))
        found[-1].addnext(copy.deepcopy(found[-1]))
    return mutate


def _both(*mutations: Mutation) -> Mutation:
    def mutate(root: etree._Element) -> None:
        for m in mutations:
            m(root)
    return mutate


T76_LINE = "/cac:OrderLine/cac:LineItem"
T16_LINE = "/cac:DespatchLine"
T19_LINE = "/cac:CatalogueLine"
T19_PRICE = f"{T19_LINE}/cac:RequiredItemLocationQuantity/cac:Price"

# (rule set, rule id, flag, breaks, nearly): written out by hand, one per business rule the
# base document can exercise, on the EHF rule sets (the Peppol sets have OpenPEPPOL's unit tests)
HAND_WRITTEN = [
    # EHF-COMMON on every type
    ("EHF-T76", "EHF-COMMON-R001", Flag.FATAL, _text("/cbc:Note", ""), _text("/cbc:Note", "x")),
    ("EHF-T16", "EHF-COMMON-R001", Flag.FATAL, _text("/cbc:Note", ""), _text("/cbc:Note", "x")),
    ("EHF-T19", "EHF-COMMON-R001", Flag.FATAL, _text("/cbc:Name", ""), _text("/cbc:Name", "x")),
    ("EHF-T76", "EHF-COMMON-R003", Flag.FATAL, _text("/cac:SellerSupplierParty/cac:Party/cbc:EndpointID", "987654321"),
     _text("/cac:SellerSupplierParty/cac:Party/cbc:EndpointID", "123456785")),
    ("EHF-T16", "EHF-COMMON-R003", Flag.FATAL,
     _text("/cac:DespatchSupplierParty/cac:Party/cbc:EndpointID", "98765432A"),
     _text("/cac:DespatchSupplierParty/cac:Party/cbc:EndpointID", "123456785")),
    ("EHF-T19", "EHF-COMMON-R003", Flag.FATAL, _text("/cac:ProviderParty/cbc:EndpointID", "98765432"),
     _text("/cac:ProviderParty/cbc:EndpointID", "123456785")),
    ("EHF-T16", "PEPPOL-COMMON-R030", Flag.FATAL, _text("/cbc:IssueDate", "2018-9-20"),
     _text("/cbc:IssueDate", "2018-09-02")),
    ("EHF-T58", "EHF-COMMON-R001", Flag.FATAL, _text("/cbc:Note", ""), _text("/cbc:Note", "x")),
    ("PEPPOL-T58", "PEPPOL-T58-R001", Flag.FATAL,
     _text("/cbc:CustomizationID", "urn:fdc:peppol.eu:poacc:trns:catalogue:3"),
     _text("/cbc:CustomizationID", " urn:fdc:peppol.eu:poacc:trns:catalogue_response:3:x")),
    ("PEPPOL-T58", "PEPPOL-COMMON-R040", Flag.FATAL, _text("/cac:SenderParty/cbc:EndpointID", "5798000012348"),
     _text("/cac:SenderParty/cbc:EndpointID", "5798000012349")),
    # Order Response
    ("EHF-T76", "PEPPOL-T76-R005", Flag.FATAL, _set(f"{T76_LINE}/cac:Price/cbc:PriceAmount", "currencyID", "NOK"),
     _both(_text("/cbc:DocumentCurrencyCode", "NOK"),
           _set(f"{T76_LINE}/cac:Price/cbc:PriceAmount", "currencyID", "NOK"))),
    ("EHF-T76", "PEPPOL-T76-R004", Flag.FATAL, _text("/cac:Delivery/cac:PromisedDeliveryPeriod/cbc:EndDate",
                                                     "2013-07-14"),
     _text("/cac:Delivery/cac:PromisedDeliveryPeriod/cbc:EndDate", "2013-07-15")),
    ("EHF-T76", "PEPPOL-T76-R003", Flag.FATAL, _duplicate_last("", "cac:OrderLine"), None),
    ("EHF-T76", "PEPPOL-T76-R007", Flag.FATAL, _remove_all("", "cac:OrderLine"), None),
    ("EHF-T76", "PEPPOL-T76-R008", Flag.FATAL, _text("/cbc:OrderResponseCode", "AP"),
     _both(_text("/cbc:OrderResponseCode", "AP"), _remove_all("", "cac:OrderLine"))),
    ("EHF-T76", "PEPPOL-T76-R009", Flag.FATAL, _text("/cbc:OrderResponseCode", "RE"),
     _both(_text("/cbc:OrderResponseCode", "RE"), _remove_all("", "cac:OrderLine"))),
    ("EHF-T76", "PEPPOL-T76-R010", Flag.FATAL, _text("/cbc:OrderResponseCode", "AB"),
     _both(_text("/cbc:OrderResponseCode", "AB"), _remove_all("", "cac:OrderLine"))),
    ("EHF-T76", "PEPPOL-T76-R001", Flag.FATAL,
     _both(_remove_all("/cac:BuyerCustomerParty/cac:Party", "cac:PartyIdentification"),
           _remove_all("/cac:BuyerCustomerParty/cac:Party", "cac:PartyLegalEntity")),
     _remove_all("/cac:BuyerCustomerParty/cac:Party", "cac:PartyIdentification")),
    # Despatch Advice
    ("EHF-T16", "PEPPOL-T16-R006", Flag.FATAL, _text(f"{T16_LINE}/cbc:DeliveredQuantity", "-1"),
     _text(f"{T16_LINE}/cbc:DeliveredQuantity", "0")),
    ("EHF-T16", "PEPPOL-T16-R007", Flag.WARNING, _remove_all(T16_LINE, "cbc:OutstandingReason"),
     _both(_remove_all(T16_LINE, "cbc:OutstandingReason"), _remove_all(T16_LINE, "cbc:OutstandingQuantity"))),
    ("EHF-T16", "PEPPOL-T16-R003", Flag.FATAL,
     _both(_remove_all(f"{T16_LINE}/cac:Item", "cac:SellersItemIdentification"),
           _remove_all(f"{T16_LINE}/cac:Item", "cac:StandardItemIdentification")),
     _remove_all(f"{T16_LINE}/cac:Item", "cac:SellersItemIdentification")),
    ("EHF-T16", "PEPPOL-T16-R008", Flag.FATAL,
     _both(_remove_all("/cac:BuyerCustomerParty/cac:Party", "cac:PartyIdentification"),
           _remove_all("/cac:BuyerCustomerParty/cac:Party", "cac:PartyName")),
     _remove_all("/cac:BuyerCustomerParty/cac:Party", "cac:PartyIdentification")),
    ("EHF-T16", "PEPPOL-T16-R010", Flag.FATAL,
     _both(_remove_all("/cac:OriginatorCustomerParty/cac:Party", "cac:PartyIdentification"),
           _remove_all("/cac:OriginatorCustomerParty/cac:Party", "cac:PartyName")),
     _remove_all("/cac:OriginatorCustomerParty/cac:Party", "cac:PartyName")),
    # Catalogue
    ("EHF-T19", "PEPPOL-T19-R006", Flag.FATAL, _text(f"{T19_PRICE}/cbc:PriceAmount", "-0.01"),
     _text(f"{T19_PRICE}/cbc:PriceAmount", "0.00")),
    # the official assertions refuse negative quantities only, whatever the text says
    ("EHF-T19", "PEPPOL-T19-R009", Flag.FATAL, _text(f"{T19_LINE}/cbc:MinimumOrderQuantity", "-1"),
     _text(f"{T19_LINE}/cbc:MinimumOrderQuantity", "0")),
    ("EHF-T19", "PEPPOL-T19-R010", Flag.FATAL, _text(f"{T19_LINE}/cbc:MinimumOrderQuantity", "101"),
     _text(f"{T19_LINE}/cbc:MinimumOrderQuantity", "100")),
    ("EHF-T19", "PEPPOL-T19-R008", Flag.FATAL, _text(f"{T19_LINE}/cbc:MaximumOrderQuantity", "-1"),
     _both(_text(f"{T19_LINE}/cbc:MaximumOrderQuantity", "0"), _text(f"{T19_LINE}/cbc:MinimumOrderQuantity", "0"))),
    ("EHF-T19", "PEPPOL-T19-R015", Flag.FATAL, _text(f"{T19_LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", "0"),
     _both(_text(f"{T19_LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", "0"),
           _text(f"{T19_LINE}/cac:Item/cac:ClassifiedTaxCategory/cbc:ID", "Z"))),
    ("EHF-T19", "PEPPOL-T19-R001", Flag.FATAL, _text("/cac:ValidityPeriod/cbc:EndDate", "2018-08-31"),
     _text("/cac:ValidityPeriod/cbc:EndDate", "2018-09-01")),
    ("EHF-T19", "PEPPOL-T19-R013", Flag.FATAL, _text(f"{T19_LINE}/cac:LineValidityPeriod/cbc:EndDate", "2018-09-25"),
     _text(f"{T19_LINE}/cac:LineValidityPeriod/cbc:EndDate", "2018-09-26")),
    ("EHF-T19", "PEPPOL-T19-R016", Flag.FATAL, _text(f"{T19_PRICE}/cac:ValidityPeriod/cbc:EndDate", "2018-09-30"),
     _text(f"{T19_PRICE}/cac:ValidityPeriod/cbc:EndDate", "2018-10-01")),
    ("EHF-T19", "PEPPOL-T19-R007", Flag.FATAL, _text(f"{T19_LINE}/cac:LineValidityPeriod/cbc:EndDate", "2019-09-01"),
     _text(f"{T19_LINE}/cac:LineValidityPeriod/cbc:EndDate", "2019-08-31")),
    ("EHF-T19", "PEPPOL-T19-R012", Flag.FATAL,
     _both(_remove_all(f"{T19_LINE}/cac:Item", "cac:SellersItemIdentification"),
           _remove_all(f"{T19_LINE}/cac:Item", "cac:StandardItemIdentification")),
     _remove_all(f"{T19_LINE}/cac:Item", "cac:StandardItemIdentification")),
]


@pytest.mark.parametrize(("name", "rule_id", "flag", "breaks", "nearly"), HAND_WRITTEN,
                         ids=[f"{c[0]}-{c[1]}" for c in HAND_WRITTEN])
def test_hand_written_rule(name: str, rule_id: str, flag: Flag, breaks: Mutation, nearly: Mutation | None) -> None:
    rules = BASES[name][4]
    broken = base(name)
    breaks(broken)
    assert (rule_id, flag) in {(f.rule_id, f.flag) for f in rules.check(broken)}
    near = base(name)
    if nearly is not None:
        nearly(near)
    assert rule_id not in {f.rule_id for f in rules.check(near)}
