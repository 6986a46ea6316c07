"""The training lab's pure rules: balanced assignment, counterbalanced orders, codes (issue 12)."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from webshop.lab.rules import balanced_assignment, counterbalanced_orders, orgnr_check_digit, participant_code


@pytest.mark.parametrize(("n", "expected"), [
    (1, "P01"), (9, "P09"), (10, "P10"), (99, "P99"), (100, "P100"),
])
def test_participant_codes(n, expected):
    assert participant_code(n) == expected


@pytest.mark.parametrize(("n", "keys", "sizes"), [
    (6, ["A", "B"], {"A": 3, "B": 3}),
    (4, ["A", "B", "C", "D"], {"A": 1, "B": 1, "C": 1, "D": 1}),
    (2, ["A", "B"], {"A": 1, "B": 1}),
])
def test_balanced_assignment_gives_every_condition_the_same_number(n, keys, sizes):
    for seed in range(20):
        assert Counter(balanced_assignment(n, keys, random.Random(seed))) == sizes


def test_an_odd_group_differs_by_one_and_the_bigger_condition_varies():
    bigger = set()
    for seed in range(40):
        counts = Counter(balanced_assignment(7, ["A", "B"], random.Random(seed)))
        assert sorted(counts.values()) == [3, 4]
        bigger.add(max(counts, key=lambda k: counts[k]))
    assert bigger == {"A", "B"}


def test_the_order_is_shuffled():
    orders = {tuple(balanced_assignment(6, ["A", "B"], random.Random(seed))) for seed in range(20)}
    assert len(orders) > 1


def test_counterbalanced_orders_use_each_sequence_equally():
    assert Counter(counterbalanced_orders(6, ["A", "B"], random.Random(3))) == {"AB": 3, "BA": 3}
    three = Counter(counterbalanced_orders(12, ["A", "B", "C"], random.Random(3)))
    assert three == {"ABC": 2, "ACB": 2, "BAC": 2, "BCA": 2, "CAB": 2, "CBA": 2}


def test_no_condition_is_refused():
    with pytest.raises(ValueError):
        balanced_assignment(3, [], random.Random(1))
    with pytest.raises(ValueError):
        counterbalanced_orders(3, [], random.Random(1))


@pytest.mark.parametrize(("orgnr", "valid"), [
    ("938472610", True), ("945183721", True), ("918273646", True), ("938472611", False),
])
def test_organisation_number_check_digit(orgnr, valid):
    assert (orgnr_check_digit(orgnr[:8]) == int(orgnr[8])) is valid
