"""Despatch Advice (T16): parse the official examples, build full and partial
deliveries, check them against the UBL 2.1 XSD and the T16 rules, round-trip."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from ehf.despatch_advice import (
    EHF_PROFILE,
    DespatchAdvice,
    DespatchLine,
    build_despatch_advice,
    parse_despatch_advice,
)
from ehf.errors import EhfError
from ehf.parties import PartyRef, Period
from ehf.rules import t16
from ehf.sbdh import unwrap
from ehf.validation import select
from ehf.xmlsafe import parse_bytes
from ehf.xsd import validate_xsd
from tests.ehf.shared_paths import NEEDS_SHARED, XSD_DIR, examples

SUPPLIER = PartyRef(endpoint_id="987654325", endpoint_scheme="0192", name="Leverandør AS", country_code="NO")
CUSTOMER = PartyRef(endpoint_id="123456785", endpoint_scheme="0192", name="Eksempel kommune", country_code="NO")
BUYER = PartyRef(party_id="123456785", party_id_scheme="0192", trade_name="Eksempel kommune")


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "maindoc" / "UBL-DespatchAdvice-2.1.xsd")))


def partial_delivery() -> DespatchAdvice:
    return DespatchAdvice(
        id="DA-1",
        issue_date=date(2026, 11, 28),
        supplier=SUPPLIER,
        delivery_customer=CUSTOMER,
        buyer=BUYER,
        seller=PartyRef(party_id="987654325", trade_name="Leverandør AS"),
        order_id="PO-1",
        despatch_date=date(2026, 11, 28),
        estimated_delivery=Period(date(2026, 11, 30), date(2026, 12, 1)),
        tracking_id="TRK-9",
        lines=(
            DespatchLine(
                "1", "1", "Kopipapir A4", Decimal("10"), "EA", sellers_item_id="SN-1", order_id="PO-1"
            ),
            DespatchLine.partial(
                "2",
                "2",
                "Blekkpatron",
                ordered=Decimal(5),
                delivered=Decimal(3),
                unit_code="EA",
                reason="Restordre, levering uke 50",
                sellers_item_id="SN-2",
                standard_item_id="7080000374200",
                standard_item_scheme="0160",
            ),
        ),
    )


@pytest.mark.parametrize("path", examples("despatch-advice"), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_parse_official_examples(path: Path) -> None:
    advice = parse_despatch_advice(path.read_bytes())
    assert advice.lines and all(line.order_line_id for line in advice.lines)
    rebuilt = build_despatch_advice(advice)
    assert parse_despatch_advice(rebuilt) == advice
    assert schema().validate(etree.fromstring(rebuilt)), schema().error_log


@NEEDS_SHARED
def test_official_example_details() -> None:
    path = next(
        p for p in examples("despatch-advice") if p.parent.name == "peppol" and p.name.startswith("Despatch")
    )
    advice = parse_despatch_advice(path.read_bytes())
    assert (advice.id, advice.order_id, advice.despatch_date) == ("565899", "AEG012345", date(2018, 9, 25))
    line = advice.lines[0]
    assert (line.delivered_quantity, line.outstanding_quantity, line.outstanding_reason) == (10, 2, "text")
    assert (line.order_line_id, line.sellers_item_id, line.standard_item_scheme) == ("1", "17589683", "0160")
    assert advice.estimated_delivery == Period(date(2018, 9, 25), date(2018, 9, 27), time(12), time(12))


@pytest.mark.parametrize("profile", ["peppol", "ehf"])
def test_partial_delivery_is_valid_and_round_trips(profile: str) -> None:
    advice = partial_delivery()
    data = build_despatch_advice(advice, profile=profile)
    root = etree.fromstring(data)
    assert schema().validate(root), schema().error_log
    assert select(root).ruleset.check(root) == []  # PEPPOL-T16, or EHF-T16 for the EHF profile
    if profile == "ehf":  # EHF requires the order reference on every line: the advice's order
        advice = dataclasses.replace(advice, lines=tuple(dataclasses.replace(line, order_id=line.order_id or "PO-1")
                                                          for line in advice.lines))
    assert parse_despatch_advice(data) == advice
    assert (root.findtext("{*}ProfileID") == EHF_PROFILE) == (profile == "ehf")
    assert b"UBLVersionID" not in data


def test_sbdh_envelope_round_trips_and_passes_the_xsd() -> None:
    data = build_despatch_advice(partial_delivery(), sbdh=True)
    assert etree.QName(etree.fromstring(data)).localname == "StandardBusinessDocument"
    assert validate_xsd(data) == []
    assert parse_despatch_advice(data) == partial_delivery()


def test_partial_line_computes_the_outstanding_quantity() -> None:
    line = DespatchLine.partial("1", "1", "x", ordered=Decimal(5), delivered=Decimal(5), unit_code="EA")
    assert (line.outstanding_quantity, line.outstanding_reason) == (None, None)
    line = DespatchLine.partial("1", "1", "x", ordered=Decimal(5), delivered=Decimal(2), unit_code="EA")
    assert (line.outstanding_quantity, line.outstanding_reason) == (3, "Restordre")
    with pytest.raises(EhfError):
        DespatchLine.partial("1", "1", "x", ordered=Decimal(5), delivered=Decimal(6), unit_code="EA")


def test_rules_flag_missing_reason_and_negative_quantity() -> None:
    bad = DespatchAdvice(
        id="DA-2",
        issue_date=date(2026, 1, 1),
        supplier=SUPPLIER,
        delivery_customer=CUSTOMER,
        lines=(
            DespatchLine(
                "1", "1", "x", Decimal(-1), "EA", outstanding_quantity=Decimal(1), sellers_item_id="A"
            ),
        ),
    )
    ids = sorted(f.rule_id for f in t16.RULES.check(etree.fromstring(build_despatch_advice(bad))))
    assert ids == ["PEPPOL-T16-R006", "PEPPOL-T16-R007"]


def test_a_despatch_advice_needs_lines() -> None:
    with pytest.raises(EhfError):
        DespatchAdvice(
            id="DA", issue_date=date(2026, 1, 1), supplier=SUPPLIER, delivery_customer=CUSTOMER, lines=()
        )


@pytest.mark.parametrize(
    "data",
    [b"<x", b'<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2"/>'],
)
def test_bad_input_raises_ehf_error(data: bytes) -> None:
    with pytest.raises(EhfError):
        parse_despatch_advice(data)


@NEEDS_SHARED
def test_official_example_item_instances_round_trip() -> None:
    """Serial and lot numbers (Item/ItemInstance) survive parse -> build -> parse, and the
    rebuilt XML carries the same values as the official example."""
    path = next(p for p in examples("despatch-advice") if p.parent.name == "peppol" and p.name.startswith("Despatch"))
    advice = parse_despatch_advice(path.read_bytes())
    first = advice.lines[0].instances[0]
    assert (first.serial_id, first.lot_number, first.lot_expiry, first.trace_scheme, first.best_before) == (
        "4558784", "546378239", date(2010, 1, 1), "UDI", date(2018, 12, 1))
    rebuilt = build_despatch_advice(advice)
    assert parse_despatch_advice(rebuilt) == advice
    assert [select(etree.fromstring(rebuilt)).ruleset.check(etree.fromstring(rebuilt))] == [[]]

    def serials(data: bytes) -> list[str]:
        return sorted(e.text or "" for e in etree.fromstring(data).iter("{*}SerialID"))
    assert serials(rebuilt) == serials(unwrap_bytes(path.read_bytes())) != []


def unwrap_bytes(data: bytes) -> bytes:
    return bytes(etree.tostring(unwrap(parse_bytes(data))))
