"""Coordinator and unit-manager use cases: ordering authority, limits, budgets, tiers. Every change
is audited. (Who orders, how much and how seldom now lives in the leader's view: webshop/leader.)
Changes only affect orders submitted afterwards: routes are snapshotted per order."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from webshop import audit
from webshop.approvals.models import ApprovalPolicy, ApprovalTier, PersonLimit, UnitBudget
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.orgs.models import Role, RoleAssignment, Unit, User


class AdminError(DomainError):
    """A change that cannot be made; the message is shown to the user."""


def _fmt(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}"


def _not_yourself(user: User, by: User) -> None:
    if user.id == by.id:  # nobody changes their own authority
        raise AdminError(_("Du kan ikke endre din egen bestillerrett."))


def grant_authority(unit: Unit, user: User, *, by: User) -> None:
    _not_yourself(user, by)
    if user.organisation_id != unit.organisation_id:
        raise AdminError(_("Personen hører ikke til kommunen."))
    if unit.id in user.unit_ids(Role.ORDERER):
        raise AdminError(_("%(name)s kan allerede bestille for %(unit)s.", name=user.name, unit=unit.name))
    user.roles.append(RoleAssignment(role=Role.ORDERER, unit_id=unit.id))
    audit.record("authority_granted", by=by, organisation_id=unit.organisation_id,
                 comment=f"{user.name} ({user.email}) kan bestille for {unit.name}")
    db.session.flush()


def revoke_authority(unit: Unit, user: User, *, by: User) -> None:
    _not_yourself(user, by)
    row = next((r for r in user.roles if r.role == Role.ORDERER and r.unit_id == unit.id), None)
    if row is None:
        raise AdminError(_("%(name)s har ikke bestillerrett for %(unit)s.", name=user.name, unit=unit.name))
    user.roles.remove(row)
    audit.record("authority_revoked", by=by, organisation_id=unit.organisation_id,
                 comment=f"{user.name} ({user.email}) kan ikke lenger bestille for {unit.name}")
    db.session.flush()


def save_policy(organisation_id: int, *, auto_approve_below: Decimal, default_per_order: Decimal | None,
                default_per_month: Decimal | None, default_hard: bool, escalate_after_days: int, by: User) -> None:
    row = db.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.organisation_id == organisation_id))
    if row is None:
        row = ApprovalPolicy(organisation_id=organisation_id)
        db.session.add(row)
    row.auto_approve_below, row.default_per_order, row.default_per_month = (
        auto_approve_below, default_per_order, default_per_month)
    row.default_hard, row.escalate_after_days = default_hard, escalate_after_days
    audit.record("policy_changed", by=by, organisation_id=organisation_id, comment=(
        f"automatisk under {auto_approve_below}; per ordre {_fmt(default_per_order)}; per måned "
        f"{_fmt(default_per_month)}; {'hard' if default_hard else 'myk'} grense; eskaleres etter "
        f"{escalate_after_days} arbeidsdager"))
    db.session.flush()


def add_tier(organisation_id: int, *, name: str, required_above: Decimal | None, approver_user_id: int | None,
             by: User) -> ApprovalTier:
    levels = list(db.session.scalars(select(ApprovalTier.level).where(ApprovalTier.organisation_id == organisation_id)))
    if not levels:  # make the implicit first tier explicit
        db.session.add(ApprovalTier(organisation_id=organisation_id, level=1, name=_("Godkjenner for enheten"),
                                    approver_role=Role.APPROVER))
        levels = [1]
    if approver_user_id:
        person = db.session.get(User, approver_user_id)
        if person is None or person.organisation_id != organisation_id or not person.unit_ids(Role.APPROVER):
            raise AdminError(_("Velg en godkjenner i kommunen."))
    tier = ApprovalTier(organisation_id=organisation_id, level=max(levels) + 1, name=name,
                        required_above=required_above, approver_user_id=approver_user_id or None,
                        approver_role=None if approver_user_id else Role.UNIT_MANAGER)
    db.session.add(tier)
    audit.record("policy_changed", by=by, organisation_id=organisation_id,
                 comment=f"nytt godkjenningstrinn {tier.level}: {name} over {_fmt(required_above)}")
    db.session.flush()
    return tier


def remove_tier(organisation_id: int, tier_id: int, *, by: User) -> None:
    tier = db.session.get(ApprovalTier, tier_id)
    if tier is None or tier.organisation_id != organisation_id:
        raise AdminError(_("Fant ikke trinnet."))
    if tier.level == 1:
        raise AdminError(_("Første trinn kan ikke fjernes."))
    audit.record("policy_changed", by=by, organisation_id=organisation_id,
                 comment=f"godkjenningstrinn {tier.level} fjernet: {tier.name}")
    db.session.delete(tier)
    db.session.flush()


def save_unit_budget(unit: Unit, *, monthly: Decimal | None, hard: bool, by: User) -> None:
    row = db.session.scalar(select(UnitBudget).where(UnitBudget.unit_id == unit.id))
    if row is None:
        row = UnitBudget(unit_id=unit.id)
        db.session.add(row)
    row.monthly, row.hard = monthly, hard
    audit.record("budget_changed", by=by, organisation_id=unit.organisation_id,
                 comment=f"{unit.name}: månedsbudsjett {_fmt(monthly)} ({'hard' if hard else 'myk'})")
    db.session.flush()


def limit_scopes(by: User, person: User) -> list[Unit | None]:
    """Where ``by`` may set ``person``'s limits: None is the whole municipality (the coordinator);
    a unit is that unit's orders only (its manager, or the coordinator). Nobody sets their own."""
    if person.id == by.id or person.organisation_id != by.organisation_id:
        return []
    theirs = person.unit_ids(Role.ORDERER) | person.unit_ids(Role.APPROVER)
    coordinator = by.has_role(Role.COORDINATOR)
    allowed = theirs if coordinator else theirs & by.unit_ids(Role.UNIT_MANAGER)
    units: list[Unit | None] = list(db.session.scalars(
        select(Unit).where(Unit.id.in_(allowed), Unit.organisation_id == by.organisation_id).order_by(Unit.name)))
    return [None, *units] if coordinator else units


def person_limit(person: User, unit: Unit | None) -> PersonLimit | None:
    return db.session.scalar(select(PersonLimit).where(
        PersonLimit.user_id == person.id,
        PersonLimit.unit_id == unit.id if unit is not None else PersonLimit.unit_id.is_(None)))


def save_person_limit(user: User, unit: Unit | None, *, per_order: Decimal | None, per_month: Decimal | None,
                      hard: bool, agreement_ids: list[int] | None, unspsc_prefixes: str,
                      approval_limit: Decimal | None, by: User) -> None:
    """Set ``user``'s limits for orders of ``unit`` (None: the whole municipality); audited."""
    if unit not in limit_scopes(by, user):
        raise AdminError(_("Du kan ikke endre disse grensene."))
    prefixes = [p.strip() for p in unspsc_prefixes.replace(";", ",").split(",") if p.strip()]
    if any(not p.isdigit() or len(p) > 8 for p in prefixes):
        raise AdminError(_("UNSPSC-koder skrives som tall (2–8 siffer), skilt med komma."))
    row = person_limit(user, unit)
    if row is None:
        row = PersonLimit(user_id=user.id, unit_id=unit.id if unit is not None else None)
        db.session.add(row)
    row.per_order, row.per_month, row.hard, row.approval_limit = per_order, per_month, hard, approval_limit
    row.agreement_ids = ",".join(str(i) for i in agreement_ids) if agreement_ids else None
    row.unspsc_prefixes = ",".join(prefixes) if prefixes else None
    scope = unit.name if unit is not None else "hele kommunen"
    audit.record("limits_changed", by=by, organisation_id=user.organisation_id, comment=(
        f"{user.name} ({scope}): per ordre {_fmt(per_order)}, per måned {_fmt(per_month)} "
        f"({'hard' if hard else 'myk'}), "
        f"avtaler {row.agreement_ids or 'alle'}, kategorier {row.unspsc_prefixes or 'alle'}, "
        f"godkjenningsgrense {_fmt(approval_limit)}"))
    db.session.flush()
