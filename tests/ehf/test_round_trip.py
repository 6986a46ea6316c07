"""Every official example of every type we model (Order, Order Response, Despatch Advice,
Catalogue), parsed and rebuilt with its own profile, is still valid for that profile; and the
party addresses and contacts of a Despatch Advice survive the trip element by element."""
from __future__ import annotations

import io
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
from ehf.sbdh import unwrap
from ehf.xmlsafe import parse_bytes
from tests.ehf.shared_paths import EXAMPLES, NEEDS_SHARED, examples, missing_param

pytestmark = NEEDS_SHARED  # reads ../shared/peppol (skipped when absent, fails with REQUIRE_SHARED=1)

KINDS = ["order", "order-response", "despatch-advice", "catalogue"]
CASES = [pytest.param(kind, p, id=str(p.relative_to(EXAMPLES)))
         for kind in KINDS for p in examples(kind) if isinstance(p, Path)] or missing_param(2)


def rebuild(kind: str, path: Path) -> bytes:
    data = path.read_bytes()
    profile = "ehf" if "/ehf/" in str(path) else "peppol"
    if kind == "order":
        return build_order(parse_order(data))
    if kind == "order-response":
        return build_order_response(parse_order_response(data), profile=profile)
    if kind == "despatch-advice":
        return build_despatch_advice(parse_despatch_advice(data), profile=profile)
    header, items = iter_catalogue(io.BytesIO(data))
    return build_catalogue(header, list(items), profile=profile)


def test_every_kind_has_examples() -> None:
    assert len(CASES) == 53


@pytest.mark.parametrize(("kind", "path"), CASES)
def test_rebuilt_example_is_valid(kind: str, path: Path) -> None:
    assert [(f.rule_id, f.location) for f in validate(rebuild(kind, path)) if f.flag is Flag.FATAL] == []


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
