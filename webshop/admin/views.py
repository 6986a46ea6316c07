"""Coordinator and unit-manager pages: units and roles, ordering authority, limits,
budgets, approval tiers and the "fewer orderers" proposal (its figures: webshop/leader)."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from webshop.admin import services
from webshop.admin.forms import BudgetForm, GrantForm, PersonLimitForm, PolicyForm, ProposalForm, TierForm
from webshop.approvals.models import ApprovalTier, UnitBudget
from webshop.approvals.services import organisation_policy, tiers_of
from webshop.catalogue.models import Agreement, agreement_members
from webshop.extensions import db
from webshop.leader import services as leader_services
from webshop.orgs.models import Role, RoleAssignment, Unit, User
from webshop.permissions import (
    can_administer,
    can_edit_policy,
    can_manage_person,
    can_manage_unit,
    manageable_units,
)
from webshop.views_support import guard, requires, transaction

bp = Blueprint("admin", __name__, template_folder="templates")
guard(bp, can_administer)


def _my_units() -> list[Unit]:
    return list(db.session.scalars(manageable_units(current_user).order_by(Unit.name)))


def _load_unit(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.organisation_id != current_user.organisation_id:
        abort(404)
    if not can_manage_unit(current_user, unit):
        abort(403)
    return unit


@bp.get("/admin")
def overview():
    """Coordinators see every unit; unit managers see the units they manage."""
    units = _my_units()
    assignments = db.session.scalars(
        select(RoleAssignment)
        .where(RoleAssignment.unit_id.in_([u.id for u in units]))
        .options(selectinload(RoleAssignment.user))
    )
    people: dict[int | None, dict[Role, list[User]]] = defaultdict(lambda: defaultdict(list))
    for assignment in assignments:
        people[assignment.unit_id][assignment.role].append(assignment.user)
    return render_template("admin/overview.html", units=units, people=people, Role=Role)


# ------------------------------------------------------------------ municipality policy


def _approver_choices() -> list[SelectChoice]:
    people = db.session.scalars(select(User).join(RoleAssignment).where(
        User.organisation_id == current_user.organisation_id, RoleAssignment.role == Role.APPROVER)
        .distinct().order_by(User.name))
    return [SelectChoice(0, _("Enhetslederen for enheten"))] + [SelectChoice(u.id, u.name) for u in people]


def _render_policy(policy_form=None, tier_form=None, errors=None, status=200):
    org_policy = organisation_policy(current_user.organisation_id)
    policy_form = policy_form or PolicyForm(formdata=None, obj=org_policy)
    tier_form = tier_form or TierForm(formdata=None)
    tier_form.approver_user_id.choices = _approver_choices()
    return render_template("admin/policy.html", policy_form=policy_form, tier_form=tier_form,
                           tiers=tiers_of(current_user.organisation_id), errors=errors or []), status


@bp.get("/admin/regler")
@requires(can_edit_policy)
def policy():
    return _render_policy()


@bp.post("/admin/regler")
@requires(can_edit_policy)
def save_policy():
    form = PolicyForm()
    if not form.validate():
        return _render_policy(policy_form=form, status=400)
    with transaction(render=lambda exc: _render_policy(policy_form=form, errors=[str(exc)], status=400)):
        services.save_policy(current_user.organisation_id, auto_approve_below=form.auto_approve_below.data,
                             default_per_order=form.default_per_order.data,
                             default_per_month=form.default_per_month.data, default_hard=form.default_hard.data,
                             escalate_after_days=form.escalate_after_days.data, by=current_user)
    flash(_("Reglene er lagret. De gjelder ordrer som sendes fra nå av."), "success")
    return redirect(url_for("admin.policy"))


@bp.post("/admin/regler/trinn")
@requires(can_edit_policy)
def add_tier():
    form = TierForm()
    form.approver_user_id.choices = _approver_choices()
    if not form.validate():
        return _render_policy(tier_form=form, status=400)
    with transaction(render=lambda exc: _render_policy(tier_form=form, errors=[str(exc)], status=400)):
        services.add_tier(current_user.organisation_id, name=form.name.data, required_above=form.required_above.data,
                          approver_user_id=form.approver_user_id.data or None, by=current_user)
    flash(_("Godkjenningstrinnet er lagt til."), "success")
    return redirect(url_for("admin.policy"))


@bp.post("/admin/regler/trinn/<int:tier_id>/slett")
@requires(can_edit_policy)
def remove_tier(tier_id: int):
    tier = db.session.get(ApprovalTier, tier_id)
    if tier is None or tier.organisation_id != current_user.organisation_id:
        abort(404)  # another municipality's tier: not found, as every object of theirs
    with transaction(render=lambda exc: _render_policy(errors=[str(exc)], status=400)):
        services.remove_tier(current_user.organisation_id, tier_id, by=current_user)
    flash(_("Godkjenningstrinnet er fjernet."), "success")
    return redirect(url_for("admin.policy"))


# ------------------------------------------------------------------ a unit: authority, budget, statistics


def _render_unit(unit: Unit, grant_form=None, budget_form=None, errors=None, status=200):
    stats = leader_services.orderer_stats([unit])[unit.id]
    orderer_ids = {s.user.id for s in stats}
    grant_form = grant_form or GrantForm(formdata=None)
    candidates = db.session.scalars(select(User).where(User.organisation_id == unit.organisation_id,
                                                       User.active.is_(True)).order_by(User.name))
    grant_form.user_id.choices = [SelectChoice(u.id, u.name) for u in candidates
                                  if u.id not in orderer_ids and u.id != current_user.id]
    budget = db.session.scalar(select(UnitBudget).where(UnitBudget.unit_id == unit.id))
    budget_form = budget_form or BudgetForm(formdata=None, obj=budget)
    proposal_form = ProposalForm(request.args)
    proposal = None
    if "antall" in request.args:
        if proposal_form.validate():
            proposal = leader_services.proposal(unit, stats, proposal_form.antall.data)
        else:
            status = 400
    return render_template("admin/unit.html", unit=unit, stats=stats, grant_form=grant_form,
                           budget_form=budget_form, proposal_form=proposal_form, proposal=proposal,
                           errors=errors or []), status


@bp.get("/admin/enheter/<int:unit_id>")
def unit(unit_id: int):
    return _render_unit(_load_unit(unit_id))


@bp.post("/admin/enheter/<int:unit_id>/bestillere")
def grant(unit_id: int):
    unit = _load_unit(unit_id)
    form = GrantForm()
    form.user_id.choices = [SelectChoice(u.id, u.name) for u in db.session.scalars(
        select(User).where(User.organisation_id == unit.organisation_id))]
    if not form.validate():
        return _render_unit(unit, grant_form=form, status=400)
    user = db.session.get(User, form.user_id.data)
    if user is None:  # deleted since the form was drawn
        abort(404)
    with transaction(render=lambda exc: _render_unit(unit, errors=[str(exc)], status=400)):
        services.grant_authority(unit, user, by=current_user)
    flash(_("%(name)s kan nå bestille for %(unit)s.", name=user.name, unit=unit.name), "success")
    return redirect(url_for("admin.unit", unit_id=unit.id))


@bp.post("/admin/enheter/<int:unit_id>/bestillere/<int:user_id>/fjern")
def revoke(unit_id: int, user_id: int):
    unit = _load_unit(unit_id)
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != unit.organisation_id:
        abort(404)
    with transaction(render=lambda exc: _render_unit(unit, errors=[str(exc)], status=400)):
        services.revoke_authority(unit, user, by=current_user)
    flash(_("%(name)s kan ikke lenger bestille for %(unit)s.", name=user.name, unit=unit.name), "success")
    return redirect(url_for("admin.unit", unit_id=unit.id))


@bp.post("/admin/enheter/<int:unit_id>/budsjett")
def budget(unit_id: int):
    unit = _load_unit(unit_id)
    form = BudgetForm()
    if not form.validate():
        return _render_unit(unit, budget_form=form, status=400)
    with transaction(render=lambda exc: _render_unit(unit, budget_form=form, errors=[str(exc)], status=400)):
        services.save_unit_budget(unit, monthly=form.monthly.data, hard=form.hard.data, by=current_user)
    flash(_("Budsjettet er lagret."), "success")
    return redirect(url_for("admin.unit", unit_id=unit.id))


# ------------------------------------------------------------------ a person's limits


def _load_person(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or person.organisation_id != current_user.organisation_id:
        abort(404)
    if not can_manage_person(current_user, person):
        abort(403)
    return person


def _scope(person: User) -> tuple[Unit | None, list[Unit | None]]:
    """The limits being edited (``?enhet=``: a unit's; none: the municipality's for the coordinator,
    else the first unit the manager shares with the person) and every scope the user may edit."""
    scopes = services.limit_scopes(current_user, person)
    if not scopes:
        abort(403)
    wanted = request.args.get("enhet")
    if wanted is None:
        return scopes[0], scopes
    chosen = next((u for u in scopes if u is not None and str(u.id) == wanted), None)
    if chosen is None:
        abort(404)
    return chosen, scopes


def _person_form(person: User, unit: Unit | None, form: PersonLimitForm | None = None) -> PersonLimitForm:
    row = services.person_limit(person, unit)
    if form is None:
        form = PersonLimitForm(formdata=None, obj=row)
        form.agreement_ids.data = [int(x) for x in (row.agreement_ids or "").split(",") if x] if row else []
    agreements = db.session.scalars(select(Agreement).join(
        agreement_members, agreement_members.c.agreement_id == Agreement.id)
        .where(agreement_members.c.organisation_id == person.organisation_id).order_by(Agreement.title))
    form.agreement_ids.choices = [SelectChoice(a.id, f"{a.title} ({a.reference})") for a in agreements]
    return form


def _person_page(person: User, unit: Unit | None, scopes: list[Unit | None], form: PersonLimitForm,
                 errors: list[str] | None = None, status: int = 200):
    return render_template("admin/person.html", person=person, form=form, unit=unit, scopes=scopes,
                           errors=errors or []), status


@bp.get("/admin/personer/<int:user_id>/grenser")
def person(user_id: int):
    person = _load_person(user_id)
    unit, scopes = _scope(person)
    return _person_page(person, unit, scopes, _person_form(person, unit))


@bp.post("/admin/personer/<int:user_id>/grenser")
def save_person(user_id: int):
    person = _load_person(user_id)
    unit, scopes = _scope(person)
    form = _person_form(person, unit, PersonLimitForm())
    if not form.validate():
        return _person_page(person, unit, scopes, form, status=400)
    with transaction(render=lambda exc: _person_page(person, unit, scopes, form, [str(exc)], 400)):
        services.save_person_limit(person, unit, per_order=form.per_order.data, per_month=form.per_month.data,
                                   hard=form.hard.data, agreement_ids=form.agreement_ids.data or None,
                                   unspsc_prefixes=form.unspsc_prefixes.data or "",
                                   approval_limit=form.approval_limit.data, by=current_user)
    flash(_("Grensene for %(name)s er lagret. De gjelder ordrer som sendes fra nå av.", name=person.name), "success")
    return redirect(url_for("admin.person", user_id=person.id, enhet=unit.id if unit is not None else None))


@bp.get("/admin/statistikk")
def statistics():
    """Moved to the leader's view (issue 13): orderers, concentration and the fewer-orderers proposal."""
    return redirect(url_for("leader.orderers"), 301)
