"""EHF 3.0 documents are checked by the EHF rule sets (EHF-COMMON + the generated EHF
basic rules + the Peppol business rules as DFØ applies them), and the webshop builds EHF
orders that contain only what the EHF data model allows."""
from __future__ import annotations

import dataclasses

import pytest
from lxml import etree

from ehf import Flag, Profile, build_order, validate
from ehf.namespaces import CAC, CBC
from ehf.sbdh import unwrap
from ehf.validation import select
from ehf.xmlsafe import parse_bytes
from tests.ehf.order_factory import make_line, make_order
from tests.ehf.shared_paths import EXAMPLES, NEEDS_SHARED

EHF_EXAMPLES = {
    "order/ehf/Order_Example.xml": "EHF-T01",
    "order/ehf/Advanced_Order_Example.xml": "EHF-P09-INIT",
    "order-response/ehf/OrderResponse_Example.xml": "EHF-T76",
    "order-response/ehf/Advanced_OrderResponse_Example.xml": "EHF-P09-RES",
    "despatch-advice/ehf/DespatchAdvice_Example.xml": "EHF-T16",
    "catalogue/ehf/Catalogue_Example.xml": "EHF-T19",
    "catalogue-response/ehf/CatalogueResponse_Example.xml": "EHF-T58",
    "order-agreement/ehf/OrderAgreement_Example.xml": "EHF-T110",
}


def fatal_ids(xml: bytes) -> list[str]:
    return sorted({f.rule_id for f in validate(xml) if f.flag is Flag.FATAL})


def ruleset_name(xml: bytes) -> str:
    return select(unwrap(parse_bytes(xml))).ruleset.name


@NEEDS_SHARED
@pytest.mark.parametrize("name", EHF_EXAMPLES)
def test_official_ehf_examples_pass_their_ehf_rule_set(name: str) -> None:
    xml = (EXAMPLES / name).read_bytes()
    assert ruleset_name(xml) == EHF_EXAMPLES[name]
    assert validate(xml) == []


def with_manufacturer_id(profile: Profile) -> bytes:
    line = make_line(1, manufacturer_item_id="MFR-1")
    return build_order(dataclasses.replace(make_order(profile=profile), lines=(line,)))


@pytest.mark.parametrize("profile", [Profile.EHF_ORDERING, Profile.EHF_ADVANCED_ORDERING])
def test_ehf_order_leaves_out_what_the_ehf_data_model_lacks(profile: Profile) -> None:
    xml = with_manufacturer_id(profile)
    root = etree.fromstring(xml)
    assert root.find(f".//{{{CAC}}}ManufacturersItemIdentification") is None
    assert root.find(f".//{{{CAC}}}SellersItemIdentification/{{{CBC}}}ID").text == "SKU-1"
    assert ruleset_name(xml) == {"ehf_ordering": "EHF-T01", "ehf_advanced_ordering": "EHF-P09-INIT"}[profile.value]
    assert fatal_ids(xml) == []


@pytest.mark.parametrize("profile", [Profile.BIS_ORDER_ONLY, Profile.BIS_ORDERING, Profile.BIS_ADVANCED_ORDERING])
def test_peppol_order_keeps_the_manufacturer_id(profile: Profile) -> None:
    xml = with_manufacturer_id(profile)
    assert etree.fromstring(xml).find(f".//{{{CAC}}}ManufacturersItemIdentification/{{{CBC}}}ID").text == "MFR-1"
    assert ruleset_name(xml) == "PEPPOL-T01"
    assert fatal_ids(xml) == []


def test_manufacturer_id_in_an_ehf_order_is_outside_the_data_model() -> None:
    """The official verdict on what the demo used to send: EHF-T01-B25202 ("not part of the
    data model", on cac:Item, element 252 of the EHF Order structure) is fatal; the same
    content under BIS Ordering passes."""
    ehf = with_manufacturer_id(Profile.EHF_ORDERING)
    item = b"<cac:SellersItemIdentification><cbc:ID>SKU-1</cbc:ID></cac:SellersItemIdentification>"
    added = item + b"<cac:ManufacturersItemIdentification><cbc:ID>MFR-1</cbc:ID></cac:ManufacturersItemIdentification>"
    broken = ehf.replace(item, added)
    assert broken != ehf
    assert fatal_ids(broken) == ["EHF-T01-B25202"]
