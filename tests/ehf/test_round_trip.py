"""Every official example of every type (Order, Order Response, Order Agreement, Despatch
Advice, Catalogue, Catalogue Response), parsed and rebuilt with its own profile, is still valid
for that profile and keeps, element by element, every value and attribute its profile's data
model allows."""
from __future__ import annotations

import dataclasses
import io
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from lxml import etree

from ehf import (
    Flag,
    build_catalogue,
    build_despatch_advice,
    build_order,
    build_order_response,
    iter_catalogue,
    parse_despatch_advice,
    parse_order,
    parse_order_response,
    validate,
)
from ehf.catalogue import PEPPOL_PROFILE_WITHOUT_RESPONSE
from ehf.catalogue_response import build_catalogue_response, parse_catalogue_response
from ehf.order_agreement import build_order_agreement, parse_order_agreement
from ehf.rules import ehf_tables, peppol_tables, t01_table
from ehf.rules.data_model_attributes import ATTRIBUTES
from ehf.rules.structure import NodeSpec, term
from ehf.sbdh import unwrap
from ehf.xmlsafe import parse_bytes
from tests.ehf.shared_paths import EXAMPLES, NEEDS_SHARED, examples, missing_param

pytestmark = NEEDS_SHARED  # reads ../shared/peppol (skipped when absent, fails with REQUIRE_SHARED=1)

KINDS = ["order", "order-response", "despatch-advice", "catalogue", "catalogue-response", "order-agreement"]
CASES = [pytest.param(kind, p, id=str(p.relative_to(EXAMPLES)))
         for kind in KINDS for p in examples(kind) if isinstance(p, Path)] or missing_param(2)


def rebuild(kind: str, path: Path) -> bytes:
    data = path.read_bytes()
    profile = "ehf" if "/ehf/" in str(path) else "peppol"
    if kind == "order":
        return build_order(parse_order(data))
    if kind == "order-response":
        if b"postaward:g3:09" in data:
            profile = "ehf-advanced"
        return build_order_response(parse_order_response(data), profile=profile)
    if kind == "despatch-advice":
        return build_despatch_advice(parse_despatch_advice(data), profile=profile)
    if kind == "catalogue-response":
        return build_catalogue_response(parse_catalogue_response(data), profile=profile)
    if kind == "order-agreement":
        return build_order_agreement(parse_order_agreement(data), profile=profile)
    header, items = iter_catalogue(io.BytesIO(data))
    with_response = header.profile_id != PEPPOL_PROFILE_WITHOUT_RESPONSE
    return build_catalogue(header, list(items), profile=profile, with_response=with_response)


def test_every_kind_has_examples() -> None:
    assert len(CASES) == 59


@pytest.mark.parametrize(("kind", "path"), CASES)
def test_rebuilt_example_is_valid(kind: str, path: Path) -> None:
    assert [(f.rule_id, f.location) for f in validate(rebuild(kind, path)) if f.flag is Flag.FATAL] == []


def data_model(kind: str, root: etree._Element) -> tuple[str, dict[str, NodeSpec]]:
    """The data model (table key, element table) of the profile ``root`` declares."""
    ehf = "anskaffelser.no" in (root.findtext("{*}CustomizationID") or "")
    advanced = "g3:09" in (root.findtext("{*}ProfileID") or "")
    if kind == "order":
        if not ehf:
            return "PEPPOL-T01", t01_table.NODES
        return ("EHF-P09_INIT", ehf_tables.P09_INIT.nodes) if advanced else ("EHF-T01", ehf_tables.T01.nodes)
    key = {"order-response": "T76", "despatch-advice": "T16", "catalogue": "T19", "catalogue-response": "T58",
           "order-agreement": "T110"}[kind]
    if ehf and advanced and key == "T76":
        key = "P09_RESPONSE"
    table = getattr(ehf_tables if ehf else peppol_tables, key)
    return f"{'EHF' if ehf else 'PEPPOL'}-{key}", table.nodes


def _normal(value: str) -> str:
    value = " ".join(value.split())
    try:
        return str(Decimal(value).normalize()) if value[:1].isdigit() or value[:1] == "-" else value
    except InvalidOperation:
        return value


def model_values(kind: str, root: etree._Element) -> Counter[tuple[str, str]]:
    """(path, value) of every leaf and every attribute of ``root`` that its profile's data
    model has (numbers compared by value), counted."""
    key, nodes = data_model(kind, root)
    attributes = ATTRIBUTES[key]
    out: Counter[tuple[str, str]] = Counter()

    def walk(el: etree._Element, path: str) -> None:
        for name, value in el.attrib.items():
            if f"{path}@{name}" in attributes:
                out[(f"{path}@{name}", _normal(value))] += 1
        children = [c for c in el if isinstance(c.tag, str)]
        if not children and (el.text or "").strip():
            out[(path, _normal(el.text or ""))] += 1
        allowed = nodes[path].allowed if path in nodes else None
        for child in children:
            if allowed is None or term(child) in allowed:
                walk(child, f"{path}/{term(child)}")

    walk(root, "")
    return out


@pytest.mark.parametrize(("kind", "path"), CASES)
def test_rebuilt_example_keeps_every_value_of_the_data_model(kind: str, path: Path) -> None:
    original = unwrap(parse_bytes(path.read_bytes()))
    rebuilt = parse_bytes(rebuild(kind, path))
    before, after = model_values(kind, original), model_values(kind, rebuilt)
    assert before, "nothing compared"
    assert sorted((before - after).items()) == []  # nothing lost or changed
    assert sorted((after - before).items()) == []  # and nothing invented


def test_value_comparison_can_fail() -> None:
    """The comparison notices a lost value, a changed unit and a lost attribute."""
    path = EXAMPLES / "catalogue/peppol/Catalogue_Example.xml"
    root = unwrap(parse_bytes(path.read_bytes()))
    before = model_values("catalogue", root)
    line = root.find("{*}CatalogueLine")
    assert line is not None
    quantity = line.find("{*}Item/{*}PackQuantity")
    assert quantity is not None and quantity.get("unitCode") == "LBR"
    quantity.set("unitCode", "KGM")
    assert before - model_values("catalogue", root) == Counter(
        {("/cac:CatalogueLine/cac:Item/cbc:PackQuantity@unitCode", "LBR"): 1})


PARTY_PATHS = [
    "{*}DespatchSupplierParty/{*}Party/{*}Contact/{*}Name",
    "{*}DespatchSupplierParty/{*}Party/{*}Contact/{*}ElectronicMail",
    "{*}DeliveryCustomerParty/{*}Party/{*}PostalAddress/{*}StreetName",
    "{*}DeliveryCustomerParty/{*}Party/{*}PostalAddress/{*}CityName",
    "{*}DeliveryCustomerParty/{*}Party/{*}PostalAddress/{*}PostalZone",
]


@pytest.mark.parametrize("path", [p for p in examples("despatch-advice") if isinstance(p, Path)] or
                         missing_param(), ids=str)
def test_despatch_advice_parties_keep_address_and_contact(path: Path) -> None:
    original = unwrap(parse_bytes(path.read_bytes()))
    rebuilt = etree.fromstring(rebuild("despatch-advice", path))
    for where in PARTY_PATHS:
        assert [e.text for e in original.iterfind(where)] == [e.text for e in rebuilt.iterfind(where)], where


def test_party_paths_occur_in_the_examples() -> None:
    roots = [unwrap(parse_bytes(p.read_bytes())) for p in examples("despatch-advice") if isinstance(p, Path)]
    assert all(any(r.find(where) is not None for r in roots) for where in PARTY_PATHS)


def test_fields_outside_the_profile_are_left_out_not_sent() -> None:
    """A PartyRef may carry a legal company id (the Catalogue has one); the Despatch Advice
    data model has none, so a rebuilt advice leaves it out and stays valid."""
    for profile in ("peppol", "ehf"):
        path = EXAMPLES / f"despatch-advice/{profile}/DespatchAdvice_Example.xml"
        advice = parse_despatch_advice(path.read_bytes())
        supplier = dataclasses.replace(advice.supplier, company_id="987654325", company_id_scheme="0192")
        data = build_despatch_advice(dataclasses.replace(advice, supplier=supplier), profile=profile)
        assert b"CompanyID" not in data
        assert [f.rule_id for f in validate(data) if f.flag is Flag.FATAL] == []
