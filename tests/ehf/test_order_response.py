"""Order Response (T76): parse the official examples, build the four answers a
supplier gives (accept, reject, partial, changed), check them against the UBL 2.1
XSD and the T76 rules, and round-trip parse(build(x)) == x."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ehf.errors import EhfError
from ehf.findings import Flag
from ehf.order_response import (
    EHF_CUSTOMIZATION,
    EHF_PROFILE,
    PEPPOL_CUSTOMIZATION,
    LineStatus,
    OrderResponse,
    OrderResponseLine,
    ResponseCode,
    SubstituteItem,
    build_order_response,
    parse_order_response,
)
from ehf.parties import PartyRef, Period
from ehf.rules import t76
from ehf.validation import select
from ehf.xsd import validate_xsd
from tests.ehf.shared_paths import NEEDS_SHARED, XSD_DIR, examples

SELLER = PartyRef(
    endpoint_id="987654325",
    endpoint_scheme="0192",
    party_id="987654325",
    party_id_scheme="0192",
    name="Leverandør AS",
)
BUYER = PartyRef(endpoint_id="123456785", endpoint_scheme="0192", name="Eksempel kommune")
HEADER = dict(id="OR-1", issue_date=date(2026, 11, 27), seller=SELLER, buyer=BUYER, currency="NOK")


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "maindoc" / "UBL-OrderResponse-2.1.xsd")))


def assert_valid(data: bytes) -> None:
    root = etree.fromstring(data)
    assert schema().validate(root), schema().error_log
    fatal = [f for f in select(root).ruleset.check(root) if f.flag is Flag.FATAL]  # PEPPOL-T76 or EHF-T76
    assert fatal == []
    assert b"UBLVersionID" not in data
    assert not [el for el in root.iter() if len(el) == 0 and not (el.text or "").strip(" \t\r\n")], (
        "empty element"
    )


def accept() -> OrderResponse:
    return OrderResponse.accepted(
        "PO-1", **HEADER, promised_delivery=Period(date(2026, 12, 1), date(2026, 12, 3))
    )


def reject() -> OrderResponse:
    return OrderResponse.rejected("PO-1", "Varene er utgått av sortimentet.", **HEADER)


def partial() -> OrderResponse:
    return OrderResponse.conditionally_accepted(
        "PO-1",
        [
            OrderResponseLine.accepted("1", "Kopipapir A4"),
            OrderResponseLine.changed(
                "2",
                "Blekkpatron",
                quantity=Decimal("3"),
                unit_code="EA",
                note="Kun 3 på lager",
                max_backorder_quantity=Decimal("2"),
            ),
            OrderResponseLine.rejected("3", "Tusj", "Utgått"),
        ],
        **HEADER,
    )


def changed() -> OrderResponse:
    return OrderResponse.conditionally_accepted(
        "PO-1",
        [
            OrderResponseLine.changed(
                "1",
                "Kopipapir A4",
                price=Decimal("45.50"),
                promised_delivery=Period(date(2026, 12, 10), date(2026, 12, 12), time(8), time(16)),
                sellers_item_id="SN-1",
                substitute=SubstituteItem(
                    "1",
                    name="Kopipapir A4 resirkulert",
                    sellers_item_id="SN-2",
                    standard_item_id="7080000374200",
                    standard_item_scheme="0160",
                    tax_category="S",
                    tax_percent=Decimal("25"),
                ),
            )
        ],
        **HEADER,
    )


BUILDERS = {"accept": accept, "reject": reject, "partial": partial, "changed": changed}


@pytest.mark.parametrize("path", examples("order-response"), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_parse_official_examples(path: Path) -> None:
    resp = parse_order_response(path.read_bytes())
    assert resp.id and resp.order_id
    assert (resp.code is ResponseCode.CONDITIONALLY_ACCEPTED) == bool(resp.lines)
    # Rebuilding an official example keeps the model and is schema- and rule-valid.
    rebuilt = build_order_response(resp)
    assert parse_order_response(rebuilt) == resp
    assert schema().validate(etree.fromstring(rebuilt)), schema().error_log


@NEEDS_SHARED
def test_parse_official_example_details() -> None:
    path = next(
        p
        for p in examples("order-response")
        if p.parent.name == "peppol" and p.name == "OrderResponse_Example.xml"
    )
    resp = parse_order_response(path.read_bytes())
    assert (resp.id, resp.order_id, resp.code, resp.currency) == (
        "101",
        "11233",
        ResponseCode.CONDITIONALLY_ACCEPTED,
        "EUR",
    )
    assert resp.seller.name == "The Supplier AB" and resp.buyer.endpoint_scheme == "0088"
    assert resp.promised_delivery == Period(date(2013, 7, 15), date(2013, 7, 16), time(12, 30), time(18))
    first = resp.lines[0]
    assert (first.order_line_id, first.status, first.quantity, first.unit_code) == (
        "1",
        LineStatus.CHANGED,
        10,
        "C62",
    )
    assert (first.price, first.price_base_quantity, first.max_backorder_quantity) == (Decimal("1.50"), 1, 3)
    assert first.substitute is not None and first.substitute.sellers_item_id == "SN-34"
    assert resp.lines[1].status is LineStatus.ACCEPTED


def without_line_times(resp: OrderResponse) -> OrderResponse:
    """What an EHF Order Response keeps: its data model has no times in a line's
    PromisedDeliveryPeriod (the header period keeps them)."""
    def strip(line: OrderResponseLine) -> OrderResponseLine:
        period = line.promised_delivery
        if period is None:
            return line
        return dataclasses.replace(line, promised_delivery=Period(period.start_date, period.end_date))
    return dataclasses.replace(resp, lines=tuple(strip(line) for line in resp.lines))


def test_ehf_response_leaves_out_line_delivery_times() -> None:
    data = build_order_response(BUILDERS["changed"](), profile="ehf")
    assert b"<cbc:StartTime>" not in data.split(b"<cac:OrderLine>", 1)[1]
    assert b"<cbc:StartTime>08:00:00</cbc:StartTime>" in build_order_response(BUILDERS["changed"]())


@pytest.mark.parametrize("name", BUILDERS)
@pytest.mark.parametrize("profile", ["peppol", "ehf"])
def test_built_responses_are_valid_and_round_trip(name: str, profile: str) -> None:
    resp = BUILDERS[name]()
    data = build_order_response(resp, profile=profile)
    assert_valid(data)
    assert parse_order_response(data) == (resp if profile == "peppol" else without_line_times(resp))
    root = etree.fromstring(data)
    customization = root.findtext("{*}CustomizationID")
    if profile == "ehf":
        assert (customization, root.findtext("{*}ProfileID")) == (EHF_CUSTOMIZATION, EHF_PROFILE)
    else:
        assert customization == PEPPOL_CUSTOMIZATION


def test_response_codes_of_the_helpers() -> None:
    assert [BUILDERS[n]().code.value for n in BUILDERS] == ["AP", "RE", "CA", "CA"]
    assert reject().note == "Varene er utgått av sortimentet."
    assert [line.status.value for line in partial().lines] == ["5", "3", "7"]
    assert OrderResponse.acknowledged("PO-1", **HEADER).lines == ()


def test_conditional_acceptance_needs_lines() -> None:
    with pytest.raises(EhfError):
        OrderResponse.conditionally_accepted("PO-1", [], **HEADER)


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(EhfError):
        OrderResponse(order_id="PO-1", code="XX", **HEADER)  # type: ignore[arg-type]
    with pytest.raises(EhfError):
        OrderResponseLine("1", "9", "x")  # type: ignore[arg-type]


def test_rules_catch_lines_on_an_accepted_response() -> None:
    bad = OrderResponse(
        order_id="PO-1", code=ResponseCode.ACCEPTED, lines=(OrderResponseLine.accepted("1", "x"),), **HEADER
    )
    ids = {f.rule_id for f in t76.RULES.check(etree.fromstring(build_order_response(bad)))}
    assert "PEPPOL-T76-R008" in ids


def test_element_order_follows_the_schema() -> None:
    root = etree.fromstring(build_order_response(changed()))
    top = [etree.QName(c).localname for c in root]
    assert top == [
        "CustomizationID",
        "ProfileID",
        "ID",
        "IssueDate",
        "OrderResponseCode",
        "DocumentCurrencyCode",
        "OrderReference",
        "SellerSupplierParty",
        "BuyerCustomerParty",
        "OrderLine",
    ]
    line = [etree.QName(c).localname for c in root.find("{*}OrderLine")]
    assert line == ["LineItem", "SellerSubstitutedLineItem", "OrderLineReference"]


@pytest.mark.parametrize(
    "data",
    [
        b"not xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
        b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
        b'<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2"/>',
    ],
)
def test_bad_input_raises_ehf_error(data: bytes) -> None:
    with pytest.raises(EhfError):
        parse_order_response(data)


def test_bad_number_raises_ehf_error() -> None:
    data = build_order_response(partial()).replace(b">3</cbc:Quantity>", b">three</cbc:Quantity>")
    with pytest.raises(EhfError):
        parse_order_response(data)


def test_sbdh_envelope_round_trips_and_passes_the_xsd() -> None:
    data = build_order_response(partial(), sbdh=True)
    root = etree.fromstring(data)
    assert etree.QName(root).localname == "StandardBusinessDocument"
    assert b"0192:987654325" in data and b"0192:123456785" in data
    assert validate_xsd(data) == []
    assert parse_order_response(data) == partial()


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(EhfError):
        build_order_response(accept(), profile="x")


# ------------------------------------------------------------------ property test

words = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x24F, exclude_characters="<>&"), min_size=1, max_size=12
)
amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
periods = st.builds(lambda a, b: Period(min(a, b), max(a, b)), dates, dates)
changed_lines = st.builds(
    OrderResponseLine.changed,
    words,
    words,
    quantity=amounts,
    unit_code=st.sampled_from(["EA", "C62", "KGM"]),
    price=st.one_of(st.none(), amounts),
    promised_delivery=st.one_of(st.none(), periods),
    note=st.one_of(st.none(), words),
)
other_lines = st.builds(
    lambda status, line_id, name: OrderResponseLine(line_id, status, name),
    st.sampled_from([LineStatus.ACCEPTED, LineStatus.NOT_ACCEPTED]),
    words,
    words,
)


@st.composite
def responses(draw: st.DrawFn) -> OrderResponse:
    header = dict(
        id=draw(words),
        issue_date=draw(dates),
        seller=SELLER,
        buyer=BUYER,
        currency=draw(st.sampled_from(["NOK", "EUR", "SEK"])),
        note=draw(st.one_of(st.none(), words)),
        promised_delivery=draw(st.one_of(st.none(), periods)),
    )
    kind = draw(st.sampled_from(["accepted", "rejected", "acknowledged", "conditional"]))
    if kind == "conditional":
        lines = draw(
            st.lists(
                st.one_of(changed_lines, other_lines),
                min_size=1,
                max_size=5,
                unique_by=lambda line: line.order_line_id,
            )
        )
        return OrderResponse.conditionally_accepted(draw(words), lines, **header)
    header.pop("note") if kind == "rejected" else None
    return getattr(OrderResponse, kind)(draw(words), **header)  # type: ignore[no-any-return]


@settings(max_examples=50, deadline=None, database=None)
@given(responses(), st.sampled_from(["peppol", "ehf"]))
def test_round_trip_property(resp: OrderResponse, profile: str) -> None:
    data = build_order_response(resp, profile=profile)
    assert parse_order_response(data) == resp
    assert_valid(data)
