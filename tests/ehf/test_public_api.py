"""The documented public API (ehf/README.md, "Public API"): exactly these names are
exported from ``ehf``, the documented modules expose their documented names, and the
removed compatibility shims stay removed."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import ehf

README = Path(ehf.__file__).resolve().parent / "README.md"

# written out by hand: adding or removing a public name must change this test and the README
PUBLIC = {
    "EhfError", "Finding", "Flag", "has_fatal",
    "register", "validate", "validate_xsd",
    "Address", "AllowanceCharge", "Classification", "Contact", "Delivery", "DocumentReference", "MonetaryTotal",
    "Order",
    "OrderLine", "Party", "Profile", "TaxCategory", "build_order", "parse_order",
    "is_valid_gln", "is_valid_gtin", "is_valid_orgnr",
    "PartyRef", "Period",
    "LineStatus", "OrderResponse", "OrderResponseLine", "ResponseCode", "SubstituteItem",
    "build_order_response", "parse_order_response",
    "DespatchAdvice", "DespatchLine", "ItemInstance", "build_despatch_advice", "parse_despatch_advice",
    "CatalogueHeader", "CatalogueItem", "CatalogueReader", "build_catalogue", "iter_catalogue",
    "write_catalogue",
    "CatalogueResponse", "CatalogueResponseCode", "build_catalogue_response", "parse_catalogue_response",
    "AgreementLine", "OrderAgreement", "build_order_agreement", "parse_order_agreement",
}

# the documented modules beside the package root, and what they offer
MODULES = {
    "ehf.model": ["Order", "OrderLine", "Party", "Address", "Contact", "Delivery"],
    "ehf.profiles": ["Profile", "is_ehf_profile"],
    "ehf.validation": ["validate", "validate_root", "select", "register"],
    "ehf.xsd": ["validate_xsd", "xsd_dir", "DEFAULT_XSD_DIR"],
    "ehf.sbdh": ["wrap", "unwrap", "is_sbdh"],
    "ehf.codelists": ["UNECEREC20", "UNECEREC21", "ISO4217"],
    "ehf.orgnr": ["is_valid_orgnr", "is_valid_gln", "is_valid_gtin"],
    "ehf.catalogue": ["Classification", "iter_catalogue", "Certificate", "RelatedItem", "Relation", "Comparison"],
    "ehf.components": ["Measure", "ItemProperty", "ItemInstance", "HazardousItem", "Dimension"],
    "ehf.despatch_advice": ["HandlingUnit", "LineShipment", "Package", "Consignment"],
}


def test_exports_exactly_the_documented_names() -> None:
    assert len(ehf.__all__) == len(set(ehf.__all__))
    assert set(ehf.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(ehf, name) is not None


def test_readme_lists_every_public_name() -> None:
    section = README.read_text().split("## Public API", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`(\w+)`", section))
    assert PUBLIC - listed == set()


@pytest.mark.parametrize("module", MODULES)
def test_documented_modules(module: str) -> None:
    mod = importlib.import_module(module)
    assert [n for n in MODULES[module] if not hasattr(mod, n)] == []


def test_validate_is_the_function_and_the_old_module_is_gone() -> None:
    assert callable(ehf.validate) and ehf.validate is ehf.validation.validate
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("ehf.validate")


@pytest.mark.parametrize(("module", "name"), [
    ("ehf.order_response", "Party"), ("ehf.despatch_advice", "Party"), ("ehf.catalogue", "Party"),
    ("ehf.order_response", "to_decimal"), ("ehf.order_response", "root_nsmap"),
    ("ehf.rules.t76", "round2"), ("ehf.rules.t76", "xround"),
])
def test_removed_aliases_stay_removed(module: str, name: str) -> None:
    assert not hasattr(importlib.import_module(module), name)


def test_the_two_party_types_are_different() -> None:
    assert ehf.Party is ehf.model.Party
    assert ehf.PartyRef is not ehf.Party
