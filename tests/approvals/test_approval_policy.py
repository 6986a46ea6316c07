"""The pure policy: routes, limits at their boundaries, substitutes, working days (no app, no database)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webshop.approvals.policy import (
    Absence,
    Check,
    OrdererRules,
    OrderFacts,
    Person,
    Policy,
    Tier,
    UnitBudget,
    effective_approvers,
    has_distinct_approvers,
    is_working_day,
    required_route,
    working_days_between,
)

KARI = Person(2, "Kari Nordmann", D("50000"))
PER = Person(3, "Per Leder")
DIREKTOR = Person(9, "Gunnhild Sektor")
ONE_TIER = (Tier("Godkjenner", (KARI, PER)),)
TIERED = (Tier("Enhetsleder", (KARI,)), Tier("Sektordirektør", (DIREKTOR,), D("50000")))


def order(total: str, **kw) -> OrderFacts:
    return OrderFacts(total=D(total), orderer_id=1, **kw)


def checks(route) -> set[Check]:
    return {f.check for f in route.blocked + route.reasons}


@pytest.mark.parametrize("total, hard, blocked, over", [
    ("4999.99", True, False, False), ("5000.00", True, False, False), ("5000.01", True, True, True),
    ("4999.99", False, False, False), ("5000.00", False, False, False), ("5000.01", False, False, True),
])
def test_per_order_limit_boundaries(total, hard, blocked, over):
    policy = Policy(ONE_TIER, auto_approve_below=D("100000"), orderer=OrdererRules(per_order=D("5000"), hard=hard))
    route = required_route(order(total), policy)
    assert route.is_blocked is blocked
    assert (Check.OVER_ORDER_LIMIT in checks(route)) is over
    if not over:
        assert route.is_auto_approved  # under every limit and under the auto-approval threshold
    elif not hard:
        assert [s.name for s in route.steps] == ["Godkjenner"]


@pytest.mark.parametrize("spent, blocked", [("9000.00", False), ("9000.01", True)])
def test_month_limit_counts_what_is_already_ordered(spent, blocked):
    policy = Policy(ONE_TIER, orderer=OrdererRules(per_month=D("10000"), hard=True))
    assert required_route(order("1000", orderer_month_spend=D(spent)), policy).is_blocked is blocked


@pytest.mark.parametrize("spent, over", [("49000.00", False), ("49000.01", True)])
def test_unit_budget_soft_needs_approval(spent, over):
    policy = Policy(ONE_TIER, auto_approve_below=D("5000"), unit_budget=UnitBudget(D("50000")))
    route = required_route(order("1000", unit_month_spend=D(spent)), policy)
    assert route.is_auto_approved is not over
    assert (Check.OVER_UNIT_BUDGET in checks(route)) is over


@pytest.mark.parametrize("total, auto", [("1999.99", True), ("2000.00", False), ("2000.01", False)])
def test_auto_approval_strictly_below_threshold(total, auto):
    route = required_route(order(total), Policy(ONE_TIER, auto_approve_below=D("2000")))
    assert route.is_auto_approved is auto


def test_zero_threshold_means_every_order_needs_approval():
    route = required_route(order("0.01"), Policy(ONE_TIER))
    assert not route.is_auto_approved and Check.NO_AUTO_APPROVAL in checks(route)


def test_free_text_always_needs_approval_even_under_the_threshold():
    route = required_route(order("10", free_text_lines=1), Policy(ONE_TIER, auto_approve_below=D("2000")))
    assert not route.is_auto_approved and Check.FREE_TEXT in checks(route)


@pytest.mark.parametrize("total, steps", [
    ("49999.99", ["Enhetsleder"]), ("50000.00", ["Enhetsleder"]), ("50000.01", ["Enhetsleder", "Sektordirektør"]),
])
def test_tiers_by_amount(total, steps):
    route = required_route(order(total), Policy(TIERED))
    assert [s.name for s in route.steps] == steps
    assert [s.number for s in route.steps] == list(range(1, len(steps) + 1))


@pytest.mark.parametrize("total, eligible", [("50000.00", {2, 3}), ("50000.01", {3})])
def test_approver_authority_limit_applies_to_the_final_step(total, eligible):
    route = required_route(order(total), Policy(ONE_TIER))
    assert {p.id for p in route.steps[-1].approvers} == eligible


def test_the_orderer_is_never_an_approver_and_falls_back_to_the_coordinator():
    coordinator = Person(7, "Koordinator")
    route = required_route(OrderFacts(total=D("100"), orderer_id=2),
                           Policy((Tier("Godkjenner", (KARI,)),), fallback_approvers=(coordinator,)))
    assert [p.id for p in route.steps[0].approvers] == [7]


def test_one_person_cannot_fill_two_steps():
    same = (Tier("A", (KARI,)), Tier("B", (KARI,), D("10")))
    route = required_route(order("100"), Policy(same))
    assert route.is_blocked and Check.NOBODY_CAN_APPROVE in checks(route)
    assert has_distinct_approvers([(KARI, PER), (KARI,)])
    assert not has_distinct_approvers([(KARI,), (KARI,)])


def test_agreements_and_categories_an_orderer_may_buy_from():
    rules = OrdererRules(agreement_ids=frozenset({5}), unspsc_prefixes=frozenset({"4412"}))
    policy = Policy(ONE_TIER, auto_approve_below=D("1000"), orderer=rules)
    assert required_route(order("10", agreement_id=5, unspsc_codes=("44121704",)), policy).is_auto_approved
    assert Check.AGREEMENT_NOT_ALLOWED in checks(required_route(order("10", agreement_id=6), policy))
    route = required_route(order("10", agreement_id=5, unspsc_codes=("14111507",)), policy)
    assert route.is_blocked and route.blocked[0].detail == "14111507"


def test_substitute_takes_over_for_the_date_range_and_gives_back():
    away = [Absence(2, 8, date(2026, 7, 1), date(2026, 7, 14))]
    assert effective_approvers({2, 3}, away, date(2026, 6, 30)) == {2, 3}
    assert effective_approvers({2, 3}, away, date(2026, 7, 1)) == {8, 3}
    assert effective_approvers({2, 3}, away, date(2026, 7, 14)) == {8, 3}
    assert effective_approvers({2, 3}, away, date(2026, 7, 15)) == {2, 3}


@pytest.mark.parametrize("start, end, days", [
    (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday → Monday
    (date(2026, 11, 27), date(2026, 11, 28), 0),  # Friday → Saturday
    (date(2026, 11, 23), date(2026, 11, 27), 4),
    # Easter 2026: Maundy Thursday 2 April, Good Friday 3 April, Easter Monday 6 April.
    (date(2026, 4, 1), date(2026, 4, 2), 0),
    (date(2026, 4, 1), date(2026, 4, 6), 0),
    (date(2026, 4, 1), date(2026, 4, 7), 1),
    (date(2026, 3, 31), date(2026, 4, 1), 1),  # the day before Maundy Thursday is a working day
    # Ascension Day 14 May 2026; 17 May 2027 is a Monday; Whit Monday 25 May 2026.
    (date(2026, 5, 13), date(2026, 5, 15), 1),
    (date(2027, 5, 14), date(2027, 5, 17), 0),
    (date(2027, 5, 14), date(2027, 5, 18), 1),
    (date(2026, 5, 22), date(2026, 5, 26), 1),
    # Christmas 2026: 24 December is a working day, 25 (Friday) and 26 December are not.
    (date(2026, 12, 23), date(2026, 12, 24), 1),
    (date(2026, 12, 24), date(2026, 12, 28), 1),
    (date(2026, 12, 23), date(2026, 12, 28), 2),
    (date(2027, 12, 24), date(2027, 12, 27), 1),  # 25/26 December 2027 fall on the weekend: no day in lieu
    (date(2026, 12, 31), date(2027, 1, 1), 0),  # New Year's Day
])
def test_working_days(start, end, days):
    assert working_days_between(start, end) == days


@pytest.mark.parametrize("day, working", [
    (date(2026, 5, 1), False), (date(2026, 5, 18), True), (date(2027, 5, 17), False), (date(2026, 12, 24), True),
    (date(2026, 12, 25), False), (date(2026, 4, 2), False), (date(2026, 4, 8), True), (date(2026, 5, 25), False),
])
def test_norwegian_public_holidays_are_not_working_days(day, working):
    assert is_working_day(day) is working


money = st.decimals(min_value=D("0"), max_value=D("200000"), places=2)
optional_money = st.none() | money
people = st.lists(st.builds(Person, st.integers(1, 6), st.just("P"), optional_money), max_size=3)


@settings(max_examples=300, deadline=None)
@given(total=money, orderer=st.integers(1, 6), free=st.integers(0, 2), auto=money, per_order=optional_money,
       per_month=optional_money, hard=st.booleans(), spent=money, tier1=people, tier2=people, above=money)
def test_route_always_satisfies_the_policy(total, orderer, free, auto, per_order, per_month, hard, spent,
                                           tier1, tier2, above):
    policy = Policy((Tier("1", tuple(tier1)), Tier("2", tuple(tier2), above)), auto_approve_below=auto,
                    orderer=OrdererRules(per_order, per_month, hard))
    facts = OrderFacts(total=total, orderer_id=orderer, free_text_lines=free, orderer_month_spend=spent)
    route = required_route(facts, policy)
    over = (per_order is not None and total > per_order) or (per_month is not None and spent + total > per_month)
    if route.is_auto_approved:
        assert free == 0 and total < auto and not over
    if hard and over:
        assert route.is_blocked
    if not route.is_blocked and not route.is_auto_approved:
        assert has_distinct_approvers([s.approvers for s in route.steps])
        assert all(p.id != orderer for s in route.steps for p in s.approvers)
        assert len(route.steps) == (2 if total > above else 1)
        final = route.steps[-1]
        assert all(p.approval_limit is None or p.approval_limit >= total for p in final.approvers)
