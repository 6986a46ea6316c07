"""Ordering and approval policy (pure: no Flask, no SQLAlchemy).

``required_route(order, policy)`` decides, from plain values, whether an order is
blocked (a hard cap), may be approved automatically, or which approval steps it
must pass and why. The service layer loads the municipality's, unit's and
person's settings into these dataclasses and snapshots the resulting route onto
the order, so later changes to limits never alter a route already taken.

Boundaries: a limit of 5 000 kr allows an order of exactly 5 000 kr; a tier
"above 50 000 kr" is needed from 50 000.01 kr; auto-approval applies strictly
*below* its threshold, and a threshold of 0 means every order needs approval.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

import holidays

ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    approval_limit: Decimal | None = None  # largest order this person may give the final approval for


@dataclass(frozen=True, slots=True)
class OrdererRules:
    """Limits for one orderer (the person's own settings, else the municipality's defaults)."""

    per_order: Decimal | None = None
    per_month: Decimal | None = None
    hard: bool = False  # True: over the limit is blocked; False: over the limit needs approval
    agreement_ids: frozenset[int] | None = None  # None: every agreement of the municipality
    unspsc_prefixes: frozenset[str] | None = None  # None: every category


@dataclass(frozen=True, slots=True)
class UnitBudget:
    monthly: Decimal | None = None
    hard: bool = False


@dataclass(frozen=True, slots=True)
class Tier:
    """One level of an approval route. ``required_above`` None: always part of the route."""

    name: str
    approvers: tuple[Person, ...]
    required_above: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    tiers: tuple[Tier, ...]
    auto_approve_below: Decimal = ZERO
    orderer: OrdererRules = field(default_factory=OrdererRules)
    unit_budget: UnitBudget = field(default_factory=UnitBudget)
    fallback_approvers: tuple[Person, ...] = ()  # e.g. the coordinators, when a tier has nobody eligible
    # Last resort, so nobody is stuck without an approver: the approvers of the municipality's other units.
    reserve_approvers: tuple[Person, ...] = ()


@dataclass(frozen=True, slots=True)
class OrderFacts:
    total: Decimal
    orderer_id: int
    agreement_id: int | None = None
    free_text_lines: int = 0
    unspsc_codes: tuple[str | None, ...] = ()  # of the catalogue lines
    orderer_month_spend: Decimal = ZERO  # already ordered this month, this order not included
    unit_month_spend: Decimal = ZERO


class Check(StrEnum):
    OVER_ORDER_LIMIT = "over_order_limit"
    OVER_MONTH_LIMIT = "over_month_limit"
    OVER_UNIT_BUDGET = "over_unit_budget"
    AGREEMENT_NOT_ALLOWED = "agreement_not_allowed"
    CATEGORY_NOT_ALLOWED = "category_not_allowed"
    FREE_TEXT = "free_text"
    NO_AUTO_APPROVAL = "no_auto_approval"
    NOT_BELOW_AUTO_LIMIT = "not_below_auto_limit"
    TIER_ABOVE = "tier_above"
    NOBODY_CAN_APPROVE = "nobody_can_approve"
    AUTO_APPROVED = "auto_approved"


@dataclass(frozen=True, slots=True)
class Finding:
    check: Check
    limit: Decimal | None = None
    amount: Decimal | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    name: str
    approvers: tuple[Person, ...]
    required_above: Decimal | None = None
    via: Fallback | None = None  # who stands in when the tier's own approvers cannot approve


class Fallback(StrEnum):
    """Who stands in for a tier with no eligible approver, in this order (stated in the route)."""

    COORDINATOR = "coordinator"
    NEXT_TIER = "next_tier"
    OTHER_UNIT = "other_unit"


@dataclass(frozen=True, slots=True)
class Route:
    blocked: tuple[Finding, ...] = ()
    reasons: tuple[Finding, ...] = ()  # why people must approve, or why it was approved automatically
    steps: tuple[Step, ...] = ()

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked)

    @property
    def is_auto_approved(self) -> bool:
        return not self.blocked and not self.steps


def _over(limit: Decimal | None, amount: Decimal) -> bool:
    return limit is not None and amount > limit


def limit_findings(order: OrderFacts, policy: Policy) -> tuple[list[Finding], list[Finding]]:
    """Return (hard findings that block the order, soft findings that need an approver)."""
    blocked: list[Finding] = []
    soft: list[Finding] = []
    rules, budget = policy.orderer, policy.unit_budget
    total = order.total
    if _over(rules.per_order, total):
        (blocked if rules.hard else soft).append(Finding(Check.OVER_ORDER_LIMIT, rules.per_order, total))
    month = order.orderer_month_spend + total
    if _over(rules.per_month, month):
        (blocked if rules.hard else soft).append(Finding(Check.OVER_MONTH_LIMIT, rules.per_month, month))
    unit_month = order.unit_month_spend + total
    if _over(budget.monthly, unit_month):
        (blocked if budget.hard else soft).append(Finding(Check.OVER_UNIT_BUDGET, budget.monthly, unit_month))
    if rules.agreement_ids is not None and order.agreement_id not in rules.agreement_ids:
        blocked.append(Finding(Check.AGREEMENT_NOT_ALLOWED))
    if rules.unspsc_prefixes is not None:
        outside = sorted({code or "?" for code in order.unspsc_codes
                          if not code or not any(code.startswith(p) for p in rules.unspsc_prefixes)})
        if outside:
            blocked.append(Finding(Check.CATEGORY_NOT_ALLOWED, detail=", ".join(outside)))
    if order.free_text_lines:
        soft.append(Finding(Check.FREE_TEXT, amount=Decimal(order.free_text_lines)))
    return blocked, soft


def required_route(order: OrderFacts, policy: Policy) -> Route:
    """The route ``order`` must take under ``policy``, with the reasons in findings."""
    blocked, reasons = limit_findings(order, policy)
    if not reasons:
        if policy.auto_approve_below <= 0:
            reasons.append(Finding(Check.NO_AUTO_APPROVAL))
        elif order.total >= policy.auto_approve_below:
            reasons.append(Finding(Check.NOT_BELOW_AUTO_LIMIT, policy.auto_approve_below, order.total))
    if blocked:
        return Route(tuple(blocked), tuple(reasons))
    if not reasons:
        return Route(reasons=(Finding(Check.AUTO_APPROVED, policy.auto_approve_below, order.total),))
    tiers = [t for t in policy.tiers if t.required_above is None or order.total > t.required_above]
    if not tiers and policy.tiers:
        tiers = [policy.tiers[0]]
    steps: list[Step] = []
    for number, tier in enumerate(tiers, start=1):
        last = number == len(tiers)
        eligible, via = _stand_ins(policy, tier, order, final=last)
        steps.append(Step(number, tier.name, eligible, tier.required_above, via))
        if tier.required_above is not None:
            reasons.append(Finding(Check.TIER_ABOVE, tier.required_above, order.total, tier.name))
    if not steps or not has_distinct_approvers([s.approvers for s in steps]):
        names = ", ".join(s.name for s in steps if not s.approvers) or ", ".join(t.name for t in tiers)
        return Route((Finding(Check.NOBODY_CAN_APPROVE, detail=names),), tuple(reasons), tuple(steps))
    return Route((), tuple(reasons), tuple(steps))


def _stand_ins(policy: Policy, tier: Tier, order: OrderFacts, *, final: bool) -> tuple[tuple[Person, ...],
                                                                                       Fallback | None]:
    """The tier's eligible approvers; if none, the coordinators; then the next tier's approvers;
    then the approvers of the municipality's other units (so an orderer who is her unit's only
    approver and the only coordinator can still order). Returns (people, who stood in)."""
    eligible = _eligible(tier.approvers, order, final=final)
    if eligible:
        return eligible, None
    later = policy.tiers[policy.tiers.index(tier) + 1:] if tier in policy.tiers else ()
    for via, people in ((Fallback.COORDINATOR, policy.fallback_approvers),
                        (Fallback.NEXT_TIER, tuple(p for t in later for p in t.approvers)),
                        (Fallback.OTHER_UNIT, policy.reserve_approvers)):
        eligible = _eligible(_unique(people), order, final=final)
        if eligible:
            return eligible, via
    return (), None


def _unique(people: Iterable[Person]) -> tuple[Person, ...]:
    return tuple({p.id: p for p in people}.values())


def _eligible(people: Iterable[Person], order: OrderFacts, *, final: bool) -> tuple[Person, ...]:
    """Never the orderer; for the final step only people whose authority covers the total."""
    return tuple(
        p for p in people
        if p.id != order.orderer_id and (not final or p.approval_limit is None or p.approval_limit >= order.total)
    )


def has_distinct_approvers(steps: Sequence[Iterable[Person]]) -> bool:
    """Can every step be filled by a different person? (One person never fills two steps.)"""
    sets = [frozenset(p.id for p in s) for s in steps]

    def fill(i: int, used: frozenset[int]) -> bool:
        if i == len(sets):
            return True
        return any(fill(i + 1, used | {pid}) for pid in sets[i] - used)

    return fill(0, frozenset())


# --------------------------------------------------------------------- deciding


@dataclass(frozen=True, slots=True)
class Absence:
    approver_id: int
    deputy_id: int
    starts_on: date
    ends_on: date

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def effective_approvers(approver_ids: Iterable[int], absences: Iterable[Absence], day: date) -> frozenset[int]:
    """Who can decide a step today: absent approvers hand over to their deputies, and get it back after."""
    active = {a.approver_id: a.deputy_id for a in absences if a.covers(day)}
    result: set[int] = set()
    for pid in approver_ids:
        result.add(active.get(pid, pid))
    return frozenset(result)


@lru_cache(maxsize=64)
def norwegian_holidays(year: int) -> frozenset[date]:
    """Norway's public holidays in ``year`` (Easter, Ascension, Whit Monday, 17 May, Christmas …).

    From the maintained ``holidays`` package, so moving feasts need no hand-kept list.
    """
    return frozenset(holidays.country_holidays("NO", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in norwegian_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days (Monday–Friday, not Norwegian public holidays) after ``start`` up to and including ``end``."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            days += 1
    return days
