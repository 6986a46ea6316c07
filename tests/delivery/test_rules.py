"""Pure rules: retry timing, line states, statistics, and the simulator's documents (no app)."""
from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from ehf.despatch_advice import parse_despatch_advice
from ehf.findings import has_fatal
from ehf.order import build_order, parse_order
from ehf.order_response import LineStatus, ResponseCode, parse_order_response
from ehf.validation import validate
from webshop.delivery.rules import after_failure, backoff
from webshop.orders.rules import DeliveryState, OrderStatus
from webshop.supplier.rules import (
    Behaviour,
    LineFacts,
    LineResponse,
    LineState,
    OrderOutcome,
    check_receipt,
    line_state,
    min_order_shortfall,
    missing_quantity,
    order_status_from_lines,
    supplier_stats,
)
from webshop.supplier.simulator import SimConfig, simulate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ehf"))
from order_factory import make_order  # noqa: E402

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
D = Decimal


@pytest.mark.parametrize(("attempts", "expected"), [(0, 0), (1, 30), (2, 60), (3, 120), (8, 3600), (30, 3600)])
def test_backoff_doubles_and_is_capped(attempts, expected):
    assert backoff(attempts) == timedelta(seconds=expected)


def test_after_failure_retries_then_fails_visibly_then_stops():
    assert after_failure(1, NOW) == (DeliveryState.RETRYING, NOW + timedelta(seconds=30))
    assert after_failure(3, NOW)[0] == DeliveryState.FAILED and after_failure(3, NOW)[1] is not None
    assert after_failure(20, NOW) == (DeliveryState.FAILED, None)


@pytest.mark.parametrize(("facts", "state", "missing"), [
    (LineFacts(D(5)), LineState.AWAITING, D(0)),
    (LineFacts(D(5), LineResponse.ACCEPTED, D(5)), LineState.ACCEPTED, D(0)),
    (LineFacts(D(5), LineResponse.REJECTED, D(0)), LineState.REJECTED, D(5)),
    (LineFacts(D(5), LineResponse.CHANGED, D(3)), LineState.CHANGED, D(2)),
    (LineFacts(D(5), LineResponse.BACKORDERED, D(5)), LineState.BACKORDERED, D(0)),
    (LineFacts(D(5), LineResponse.ACCEPTED, D(5), delivered=D(2)), LineState.PARTLY_DELIVERED, D(0)),
    (LineFacts(D(5), LineResponse.ACCEPTED, D(5), delivered=D(5)), LineState.DELIVERED, D(0)),
    (LineFacts(D(5), delivered=D(5), received=D(5)), LineState.RECEIVED, D(0)),
    (LineFacts(D(5), delivered=D(5), received=D(5), damaged=D(2)), LineState.DELIVERED, D(2)),
    (LineFacts(D(5), LineResponse.REJECTED, D(0), cancelled=True), LineState.CANCELLED, D(0)),
    (LineFacts(D(5), LineResponse.REJECTED, D(0), reordered=True), LineState.REORDERED, D(0)),
])
def test_line_state_and_missing_quantity(facts, state, missing):
    assert line_state(facts) == state
    assert missing_quantity(facts) == missing


@pytest.mark.parametrize(("received", "damaged", "problem"), [
    (D(2), D(0), None), (D(-1), D(0), "negative"), (D(2), D(3), "damaged_over_received"),
    (D(6), D(0), "over_ordered")])
def test_check_receipt(received, damaged, problem):
    assert check_receipt(D(5), received, damaged) == problem


def test_min_order_shortfall():
    assert min_order_shortfall(D("104"), D("500")) == D("396.00")
    assert min_order_shortfall(D("500"), D("500")) is None
    assert min_order_shortfall(D("1"), D("0")) is None


def test_supplier_stats_response_time_and_shares():
    hour = timedelta(hours=1)
    outcomes = [
        OrderOutcome(NOW, NOW + hour, "AP", False, NOW + 2 * hour),
        OrderOutcome(NOW, NOW + 3 * hour, "RE", False, None),
        OrderOutcome(NOW, NOW + 2 * hour, "CA", True, NOW + timedelta(days=5)),
        OrderOutcome(NOW, None, None, False, None),
    ]
    stats = supplier_stats(outcomes, NOW + timedelta(days=10))
    assert (stats.orders, stats.answered, stats.median_response) == (4, 3, 2 * hour)
    assert (stats.rejected_share, stats.partial_share, stats.late_share) == (D("33.3"), D("33.3"), D("75.0"))
    assert supplier_stats([], NOW).rejected_share is None


def _sent(lines: int = 4):
    return parse_order(build_order(make_order(lines)))


def _valid(xml: bytes) -> bytes:
    assert not has_fatal(validate(xml)), [str(f) for f in validate(xml) if f.flag == "fatal"]
    return xml


def test_simulator_partial_two_lines_out_of_stock_in_two_parts():
    order = _sent(4)
    docs = simulate(order, SimConfig(Behaviour.PARTIAL, out_of_stock_lines=2, delivery_parts=2,
                                     part_interval=timedelta(days=1)), NOW)
    assert [(d.kind, d.delay) for d in docs] == [("order_response", timedelta(0)), ("despatch_advice", timedelta(0)),
                                                ("despatch_advice", timedelta(days=1))]
    response = parse_order_response(_valid(docs[0].xml))
    assert response.code is ResponseCode.CONDITIONALLY_ACCEPTED and response.order_id == order.id
    assert [ln.status for ln in response.lines] == [LineStatus.ACCEPTED] * 2 + [LineStatus.NOT_ACCEPTED] * 2
    parts = [parse_despatch_advice(_valid(d.xml)) for d in docs[1:]]
    delivered = {}
    for part in parts:
        for line in part.lines:
            delivered[line.order_line_id] = delivered.get(line.order_line_id, 0) + line.delivered_quantity
    assert delivered == {"1": D(2), "2": D(3)}  # lines 3 and 4 are out of stock


def test_simulator_named_items_backorder_change_reject_and_silent():
    order = _sent(3)
    named = simulate(order, SimConfig.from_text(Behaviour.PARTIAL, "SKU-2", backorder_days=7), NOW)
    line = parse_order_response(_valid(named[0].xml)).lines[1]
    assert line.status is LineStatus.CHANGED and line.promised_delivery.end_date == NOW.date() + timedelta(days=7)
    changed = simulate(order, SimConfig(Behaviour.CHANGE, quantity_change_percent=-50,
                                        price_change_percent=D(10)), NOW)
    first = parse_order_response(_valid(changed[0].xml)).lines[0]
    assert (first.status, first.quantity) == (LineStatus.CHANGED, D(1))
    rejected = simulate(order, SimConfig(Behaviour.REJECT, answer_delay=timedelta(minutes=5)), NOW)
    assert len(rejected) == 1 and rejected[0].delay == timedelta(minutes=5)
    assert parse_order_response(_valid(rejected[0].xml)).code is ResponseCode.REJECTED
    assert simulate(order, SimConfig(Behaviour.SILENT), NOW) == []
    accepted = simulate(order, SimConfig(Behaviour.ACCEPT, out_of_stock_lines=2), NOW)
    assert parse_order_response(_valid(accepted[0].xml)).code is ResponseCode.ACCEPTED


def test_simulator_despatch_for_a_free_text_line_is_valid():
    from dataclasses import replace

    order = _sent(2)
    order = replace(order, lines=(order.lines[0], replace(order.lines[1], seller_item_id=None,
                                                          standard_item_id=None, standard_item_scheme=None)))
    for doc in simulate(order, SimConfig(Behaviour.ACCEPT), NOW):
        _valid(doc.xml)


ACC, REJ, CHG, BO = LineResponse.ACCEPTED, LineResponse.REJECTED, LineResponse.CHANGED, LineResponse.BACKORDERED


@pytest.mark.parametrize(("lines", "expected"), [
    ([], None),
    ([LineFacts(D(5)), LineFacts(D(2))], None),  # no answer yet (or only "acknowledged")
    ([LineFacts(D(5), ACC, D(5)), LineFacts(D(2), ACC, D(2))], OrderStatus.CONFIRMED),
    ([LineFacts(D(5), ACC, D(5)), LineFacts(D(2), REJ, D(0))], OrderStatus.CONFIRMED),  # conditionally
    ([LineFacts(D(5), CHG, D(3)), LineFacts(D(2), BO, D(2))], OrderStatus.CONFIRMED),
    ([LineFacts(D(5), REJ, D(0)), LineFacts(D(2), REJ, D(0))], OrderStatus.REJECTED_BY_SUPPLIER),
    ([LineFacts(D(5), REJ, D(0), reordered=True), LineFacts(D(2), REJ, D(0), cancelled=True)],
     OrderStatus.REJECTED_BY_SUPPLIER),
    # something arrived, more is coming
    ([LineFacts(D(5), ACC, D(5), delivered=D(5)), LineFacts(D(2), ACC, D(2))], OrderStatus.PARTLY_DELIVERED),
    ([LineFacts(D(5), ACC, D(5), delivered=D(3))], OrderStatus.PARTLY_DELIVERED),
    # everything the supplier promised arrived, but rejected lines are still missing until re-ordered/cancelled
    ([LineFacts(D(5), ACC, D(5), delivered=D(5)), LineFacts(D(2), REJ, D(0))], OrderStatus.PARTLY_DELIVERED),
    ([LineFacts(D(5), ACC, D(5), delivered=D(5)), LineFacts(D(2), REJ, D(0), reordered=True)],
     OrderStatus.DELIVERED),
    ([LineFacts(D(5), CHG, D(3), delivered=D(3)), LineFacts(D(2), REJ, D(0), cancelled=True)],
     OrderStatus.PARTLY_DELIVERED),  # two of line 1 still missing
    ([LineFacts(D(5), CHG, D(3), delivered=D(3), cancelled=True)], OrderStatus.DELIVERED),
    ([LineFacts(D(5), ACC, D(5), delivered=D(5)), LineFacts(D(2), ACC, D(2), delivered=D(2))],
     OrderStatus.DELIVERED),
    # goods receipt without any despatch advice
    ([LineFacts(D(5), ACC, D(5), received=D(5)), LineFacts(D(2), ACC, D(2), received=D(2))], OrderStatus.DELIVERED),
    ([LineFacts(D(5), ACC, D(5), received=D(2)), LineFacts(D(2), ACC, D(2))], OrderStatus.PARTLY_DELIVERED),
    ([LineFacts(D(5), None, None, received=D(5))], OrderStatus.DELIVERED),  # arrived without an answer
    # damaged goods are missing until re-ordered or cancelled
    ([LineFacts(D(5), ACC, D(5), delivered=D(5), received=D(5), damaged=D(1))], OrderStatus.PARTLY_DELIVERED),
    ([LineFacts(D(5), ACC, D(5), delivered=D(5), received=D(5), damaged=D(1), reordered=True)],
     OrderStatus.DELIVERED),
])
def test_order_status_follows_the_lines(lines, expected):
    assert order_status_from_lines(lines) == expected
