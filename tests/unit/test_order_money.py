"""The money rules (orders.money), each with expected values worked out by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from webshop.orders.money import cart_line_price, line_savings, line_total, order_total, vat_total

D = Decimal


@pytest.mark.parametrize("catalogue, estimate, expected", [
    (D("52.00"), None, D("52.00")),  # a catalogue line: the catalogue price
    (D("52.00"), D("10"), D("52.00")),  # the catalogue wins over anything else on the line
    (None, D("250"), D("250")),  # a free-text line: the orderer's estimate
    (None, None, D("0")),  # a free-text line without an estimate
    (D("0.00"), D("99"), D("0.00")),  # a free catalogue item stays free
])
def test_cart_line_price(catalogue, estimate, expected):
    assert cart_line_price(catalogue, estimate) == expected


@pytest.mark.parametrize("quantity, price, expected", [
    ("4", "52.00", "208.00"),
    ("10", "4.90", "49.00"),
    ("0.5", "31.333", "15.67"),  # 15.6665 -> 15.67
    ("3", "0.005", "0.02"),  # 0.015 half up -> 0.02
    ("1.5", "0.01", "0.02"),  # 0.015 -> 0.02, never banker's 0.02/0.01 surprises
    ("2", "0.0025", "0.01"),  # 0.005 -> 0.01
])
def test_line_total(quantity, price, expected):
    assert line_total(D(quantity), D(price)) == D(expected)


def test_order_total_sums_the_rounded_lines():
    assert order_total([D("208.00"), D("49.00"), D("250.00")]) == D("507.00")
    assert order_total([]) == D("0.00")
    # three lines of 1/3 øre-rounded each: 0.33 * 3 = 0.99, not the 1.00 of the unrounded sum
    assert order_total([line_total(D(1), D("0.333"))] * 3) == D("0.99")


def test_vat_total_rounds_per_rate():
    # 25 %: (208 + 49 + 250) * 0.25 = 126.75 ; 15 %: 31.50 * 0.15 = 4.725 -> 4.73
    assert vat_total([(D("208.00"), D(25)), (D("49.00"), D(25)), (D("250.00"), D(25))]) == D("126.75")
    assert vat_total([(D("31.50"), D(15))]) == D("4.73")
    assert vat_total([(D("31.50"), D(15)), (D("100.00"), D(25))]) == D("29.73")
    assert vat_total([(D("10.00"), D(0))]) == D("0.00")


@pytest.mark.parametrize("quantity, unit_price, list_price, expected", [
    ("4", "52.00", "67.30", "61.20"),  # (67.30 - 52.00) * 4
    ("3", "52.00", "52.00", "0.00"),  # no saving
    ("3", "52.00", "50.00", "0.00"),  # list price below the agreement price: no negative saving
    ("3", "52.00", None, "0.00"),
    ("0.5", "1.00", "1.333", "0.17"),  # 0.1665 -> 0.17
])
def test_line_savings(quantity, unit_price, list_price, expected):
    assert line_savings(D(quantity), D(unit_price), D(list_price) if list_price else None) == D(expected)
