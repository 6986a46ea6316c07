"""Catalogue Response (T58): build, parse and validate with the Peppol or EHF rules."""
from __future__ import annotations

from datetime import date, time

import pytest
from lxml import etree

from ehf import (
    CatalogueResponse,
    CatalogueResponseCode,
    EhfError,
    PartyRef,
    build_catalogue_response,
    parse_catalogue_response,
    validate,
)
from ehf.validation import select
from tests.ehf.shared_paths import EXAMPLES, NEEDS_SHARED

BUYER = PartyRef(endpoint_id="987654325", endpoint_scheme="0192", party_id="987654325", party_id_scheme="0192",
                 name="Eksempel kommune")
SUPPLIER = PartyRef(endpoint_id="123456785", endpoint_scheme="0192", name="Kontorrekvisita AS")
RESPONSE = CatalogueResponse(id="CR-1", issue_date=date(2026, 12, 4), sender=BUYER, receiver=SUPPLIER,
                             code=CatalogueResponseCode.REJECTED, catalogue_id="KAT-2026-12",
                             catalogue_version="3", issue_time=time(9, 30), note="Prisene mangler mva-sats")


@pytest.mark.parametrize(("profile", "rule_set"), [("peppol", "PEPPOL-T58"), ("ehf", "EHF-T58")])
def test_built_response_is_valid_and_round_trips(profile: str, rule_set: str) -> None:
    data = build_catalogue_response(RESPONSE, profile=profile)
    assert validate(data) == []
    root = etree.fromstring(data)
    assert select(root).ruleset.name == rule_set
    assert root.findtext("{*}DocumentResponse/{*}Response/{*}ResponseCode") == "RE"
    assert parse_catalogue_response(data) == RESPONSE


def test_in_an_sbdh_from_sender_to_receiver() -> None:
    data = build_catalogue_response(RESPONSE, sbdh=True)
    assert b"0192:987654325" in data and b"0192:123456785" in data
    assert parse_catalogue_response(data) == RESPONSE


def test_refuses_another_document_and_an_unknown_code() -> None:
    with pytest.raises(EhfError, match="Expected a UBL ApplicationResponse"):
        parse_catalogue_response(b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>')
    data = build_catalogue_response(RESPONSE).replace(b">RE<", b">CA<")
    with pytest.raises(EhfError, match="catalogue response code 'CA'"):
        parse_catalogue_response(data)
    assert [f.rule_id for f in validate(data)] == ["PEPPOL-T58-B02601"]  # ResponseCode outside UNCL4343 (AB, AP, RE)


@NEEDS_SHARED
def test_official_example_is_read() -> None:
    resp = parse_catalogue_response((EXAMPLES / "catalogue-response/peppol/CatalogueResponse_Example.xml").read_bytes())
    assert (resp.id, resp.code, resp.catalogue_id, resp.catalogue_version) == (
        "imrid001", CatalogueResponseCode.ACCEPTED, "Cat-1", "2.0")
    assert (resp.sender.name, resp.receiver.party_id, resp.receiver.party_id_scheme) == (
        "Buyer organization", "987654325", "0192")
