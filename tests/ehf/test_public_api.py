"""The public API: everything in ``ehf.__all__`` imports, and the module paths the
webshop and older code use keep working after the library was reorganised."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import ehf

LEGACY_NAMES = {
    # webshop / tests outside tests/ehf
    "ehf.validate": ["validate", "validate_root", "register", "select", "RULESETS", "Registration"],
    "ehf.xsd": ["validate_xsd"],
    "ehf.order": ["build_order", "parse_order"],
    "ehf.findings": ["Finding", "has_fatal"],
    "ehf.profiles": ["Profile"],
    "ehf.orgnr": ["is_valid_orgnr", "is_valid_gtin"],
    "ehf.codelists": ["UNECEREC20", "UNECEREC21"],
    # helpers that moved to ehf._ubl, ehf.parties and ehf.rules.xpath
    "ehf.order_response": ["Party", "Period", "NSMAP", "XML_SPACE", "add", "add_id", "add_party", "add_period",
                           "attr", "date_value", "decimal", "document_root", "fmt", "identifiers", "party",
                           "period", "prune_empty", "required_party", "required_text", "root_nsmap",
                           "serialize", "text", "texts", "time_value", "to_decimal", "unless_same"],
    "ehf.despatch_advice": ["Party", "Period"],
    "ehf.catalogue": ["Party", "Period", "Classification", "Attachment", "parse_catalogue_line"],
    "ehf.rules.t76": ["XNS", "COMMON", "common_includes", "customization_not_starting_with", "exists",
                      "first_decimal", "first_number", "lines_with_non_unique_id", "normalize",
                      "party_without_name_or_id", "raw_strings", "round2", "string_value", "strings",
                      "xdecimal", "xnumber", "xp", "xround"],
}


def test_all_names_import() -> None:
    assert sorted(ehf.__all__) == sorted(set(ehf.__all__))
    for name in ehf.__all__:
        assert getattr(ehf, name) is not None


@pytest.mark.parametrize("module", LEGACY_NAMES)
def test_legacy_import_paths(module: str) -> None:
    mod = importlib.import_module(module)
    missing = [n for n in LEGACY_NAMES[module] if not hasattr(mod, n)]
    assert missing == []


def test_party_aliases_are_the_same_type() -> None:
    from ehf import catalogue, despatch_advice, order_response, parties

    assert order_response.Party is despatch_advice.Party is catalogue.Party is parties.PartyRef is ehf.PartyRef
    assert ehf.Party is not ehf.PartyRef  # the full Order party (ehf.model.Party) is a different type


def test_ehf_validate_stays_the_function_whatever_is_imported_first() -> None:
    """``ehf.validate`` (the function) shadows the old module of that name; importing the
    old module path in any order must not turn the attribute back into a module."""
    code = ("from ehf.validate import validate as v; import ehf, ehf.validation; "
            "assert ehf.validate is v is ehf.validation.validate and callable(ehf.validate); print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(ehf.__file__).resolve().parents[1])
    assert out.stdout.strip() == "ok", out.stderr
