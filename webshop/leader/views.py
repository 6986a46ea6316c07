"""The leader's pages: the overview (/leder), orderers and concentration, spend import and cost
centres, target and unit goals, the printable monthly report, CSV of every table, and
``GET /api/v1/adoption``. Read-only for leaders; the coordinator imports and sets goals."""
from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from typing import cast

from flask import Blueprint, Response, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webshop.api.openapi import BEARER, SESSION, Resp, described
from webshop.api.openapi_models import Adoption, AdoptionQuery, ApiError
from webshop.auth.tokens import user_for_token
from webshop.dbtypes import utcnow
from webshop.extensions import csrf, db
from webshop.leader import services, tables
from webshop.leader.access import adoption_units, can_manage_spend, can_view_adoption, sees_every_unit
from webshop.leader.cli import import_command, rebuild_command
from webshop.leader.forms import CostCentreForm, ProposalForm, SettingsForm, SpendImportForm, UnitGoalForm
from webshop.leader.rules import Month, SpendFileInvalid, months_between
from webshop.leader.services import Period
from webshop.leader.why import why_line
from webshop.orgs.models import Unit
from webshop.supplier.stats import supplier_statistics
from webshop.views_support import requires, transaction

bp = Blueprint("leader", __name__, template_folder="templates", cli_group="spend")
bp.cli.add_command(import_command)  # flask spend import FILE --organisation KEY
bp.cli.add_command(rebuild_command)  # flask spend rebuild
bp.add_app_template_global(can_view_adoption)  # the nav entry
bp.add_app_template_global(why_line)  # the orderer's "why" (leader/_why.html)
MAX_MONTHS = 60


def _this_month() -> Month:
    return Month.of_instant(utcnow())


def _default_month() -> Month:
    """The last month with accounting figures (the monthly follow-up), else this month."""
    latest = services.latest_spend_month(current_user.organisation_id)
    this = _this_month()
    return latest if latest is not None and latest <= this else this


def _period(first_arg: str = "fra", last_arg: str = "til", default_months: int = 12) -> Period:
    last = _month_arg(last_arg) or _default_month()
    first = _month_arg(first_arg)
    if first is None:
        first = last
        for _i in range(default_months - 1):
            first = Month(first.year - (first.month == 1), (first.month - 2) % 12 + 1)
    if first > last or len(_months(first, last)) > MAX_MONTHS:
        abort(400, _("Velg en periode på 1–%(n)s måneder, fra før til.", n=MAX_MONTHS))
    return Period(first, last)


def _months(first: Month, last: Month) -> list[Month]:
    return months_between(first, last)


def _month_arg(name: str) -> Month | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return Month.parse(raw)
    except ValueError:
        abort(400, _("Skriv måneden som ÅÅÅÅ-MM."))


def _units() -> list[Unit]:
    units = list(db.session.scalars(adoption_units(current_user).order_by(Unit.name)))
    wanted = request.args.get("enhet", type=int)
    if wanted is not None:
        units = [u for u in units if u.id == wanted]
        if not units:
            abort(404)
    return units


def _collect(period: Period, units: list[Unit], *, full: bool) -> dict[str, tables.Table]:
    org_id = current_user.organisation_id
    ids = [u.id for u in units]
    adoption = services.adoption(org_id, units, period.first, period.last)
    found = {t.name: t for t in (tables.by_month(adoption), tables.by_unit(adoption), tables.unit_goals(adoption),
                                 tables.line_mix(org_id, ids, period.last),
                                 tables.suppliers(org_id, ids, period, limit=None if full else 20),
                                 tables.authority(units),
                                 *tables.lead_times(org_id, ids, Period(period.last, period.last)),
                                 tables.searches(org_id, period))}
    if full and sees_every_unit(current_user):  # the whole collaboration's answers: the report and its CSV
        collaboration_id = current_user.organisation.collaboration_id
        found["leverandorytelse"] = services.cached(  # plain values: the table, not the ORM rows
            ("supplier_performance", collaboration_id), None,
            lambda: tables.supplier_performance(supplier_statistics(collaboration_id)))
    if full:
        found["bestillere"] = tables.orderers(units)
    g.adoption = adoption
    return found


@bp.get("/leder")
@requires(can_view_adoption)
def overview():
    started = time.perf_counter()
    period = _period()
    units = _units()
    found = _collect(period, units, full=False)
    all_units = list(db.session.scalars(adoption_units(current_user).order_by(Unit.name)))
    response = Response(render_template("leader/overview.html", period=period, units=units, tables=found,
                                        all_units=all_units,
                                        adoption=g.adoption, unit_id=request.args.get("enhet", type=int),
                                        printable=False, can_manage=can_manage_spend(current_user)))
    response.headers["Server-Timing"] = f"leader;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


@bp.get("/leder/rapport")
@requires(can_view_adoption)
def report():
    """The printable monthly report: one month, every table visible, the year's trend."""
    month = _month_arg("maned") or _default_month()
    units = _units()
    found = _collect(Period(month, month), units, full=True)
    trend = services.adoption(current_user.organisation_id, units, Month(month.year, 1), month)
    return render_template("leader/report.html", month=month, units=units, tables=found, adoption=g.adoption,
                           trend=trend, printable=True)


@bp.get("/leder/csv/<name>")
@requires(can_view_adoption)
def export_csv(name: str):
    period = _period()
    units = _units()
    found = _collect(period, units, full=True)
    if name not in found:
        abort(404)
    filename = f"{name}-{period.first}-{period.last}.csv"
    return Response(tables.to_csv(found[name]), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/leder/bestillere")
@requires(can_view_adoption)
def orderers():
    """Ordering authority and concentration (moved here from the admin statistics)."""
    units = _units()
    stats = services.orderer_stats(units)
    form = ProposalForm(request.args)
    proposal = None
    if "antall" in request.args and form.validate():
        unit = next((u for u in units if u.id == form.enhet.data), None)
        if unit is None:
            abort(404)
        proposal = services.proposal(unit, stats[unit.id], form.antall.data)
    total = sum((s.spend for rows in stats.values() for s in rows), services.ZERO)
    return render_template("leader/orderers.html", units=units, stats=stats, total=total, form=form,
                           proposal=proposal, table=tables.orderers(units))


# ------------------------------------------------------------------ the coordinator's settings


def _unit_choices() -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in db.session.scalars(adoption_units(current_user).order_by(Unit.name))]


def _spend_page(form: SpendImportForm | None = None, errors: list[str] | None = None, status: int = 200):
    centre_form = CostCentreForm(prefix="cc")
    centre_form.unit_id.choices = _unit_choices()
    return render_template("leader/spend.html", form=form or SpendImportForm(), centre_form=centre_form,
                           errors=errors or [], imports=services.spend_imports(current_user.organisation_id),
                           mapping=services.cost_centre_map(current_user.organisation_id),
                           units={u.id: u.name for u in current_user.organisation.units}), status


@bp.get("/leder/regnskap")
@requires(can_manage_spend)
def spend():
    return _spend_page()


@bp.post("/leder/regnskap")
@requires(can_manage_spend)
def spend_import():
    form = SpendImportForm()
    if not form.validate():
        return _spend_page(form, status=400)
    upload = form.file.data
    try:
        with transaction():
            record = services.import_spend(current_user.organisation, upload.read(), upload.filename or "regnskap.csv",
                                           by=current_user)
    except SpendFileInvalid as exc:
        db.session.rollback()
        return _spend_page(form, [str(e) for e in exc.errors[:200]], status=400)
    except services.LeaderError as exc:
        return _spend_page(form, [str(exc)], status=400)
    flash(_("%(n)s rader er importert (%(file)s).", n=record.rows, file=record.filename), "success")
    return redirect(url_for("leader.spend"), 303)


@bp.post("/leder/regnskap/koststed")
@requires(can_manage_spend)
def cost_centre():
    form = CostCentreForm(prefix="cc")
    form.unit_id.choices = _unit_choices()
    if not form.validate():
        return _spend_page(errors=[e for errs in form.errors.values() for e in errs], status=400)
    unit = db.session.get(Unit, form.unit_id.data)
    if unit is None or unit.organisation_id != current_user.organisation_id:
        abort(404)
    with transaction(redirect_to=url_for("leader.spend"), code=303):
        services.map_cost_centre(current_user.organisation, form.code.data, unit, by=current_user)
    flash(_("Koststed %(code)s hører nå til %(unit)s.", code=form.code.data.strip(), unit=unit.name), "success")
    return redirect(url_for("leader.spend"), 303)


def _goals_page(settings_form: SettingsForm | None = None, goal_form: UnitGoalForm | None = None, status: int = 200):
    current = services.settings_of(current_user.organisation_id)
    if settings_form is None:
        settings_form = SettingsForm(prefix="s", data={"target_percent": current.target_percent,
                                                       "large_order_limit": current.large_order_limit})
    if goal_form is None:
        goal_form = UnitGoalForm(prefix="g")
    goal_form.unit_id.choices = _unit_choices()
    units = list(db.session.scalars(adoption_units(current_user).order_by(Unit.name)))
    return render_template("leader/goals.html", settings_form=settings_form, goal_form=goal_form, units=units,
                           goals=services.unit_goals(u.id for u in units), current=current), status


@bp.get("/leder/mal")
@requires(can_manage_spend)
def goals():
    return _goals_page()


@bp.post("/leder/mal")
@requires(can_manage_spend)
def save_settings():
    form = SettingsForm(prefix="s")
    if not form.validate():
        return _goals_page(settings_form=form, status=400)
    with transaction(redirect_to=url_for("leader.goals"), code=303):
        services.save_settings(current_user.organisation, target_percent=cast(Decimal, form.target_percent.data),
                               large_order_limit=cast(Decimal, form.large_order_limit.data), by=current_user)
    flash(_("Kommunens mål er lagret."), "success")
    return redirect(url_for("leader.goals"), 303)


@bp.post("/leder/mal/enhet")
@requires(can_manage_spend)
def save_unit_goal():
    form = UnitGoalForm(prefix="g")
    form.unit_id.choices = _unit_choices()
    if not form.validate():
        return _goals_page(goal_form=form, status=400)
    unit = db.session.get(Unit, form.unit_id.data)
    if unit is None or unit.organisation_id != current_user.organisation_id:
        abort(404)
    with transaction(redirect_to=url_for("leader.goals"), code=303):
        services.save_unit_goal(unit, form.target_percent.data, by=current_user)
    flash(_("Målet for %(unit)s er lagret.", unit=unit.name), "success")
    return redirect(url_for("leader.goals"), 303)


# ------------------------------------------------------------------ JSON


def _api_user():
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return user_for_token(header[7:].strip())
    return current_user if current_user.is_authenticated else None


def _json_month(cell: services.UnitMonth) -> dict[str, object]:
    def text(value):
        return None if value is None else str(value)

    return {"month": str(cell.month), "spend_total": str(cell.spend_total), "spend_e_ordering": str(cell.e_spend),
            "spend_agreement_suppliers": str(cell.spend_agreement), "share_of_total": text(cell.share_of_total),
            "share_of_potential": text(cell.share_of_potential), "target": str(cell.target),
            "large_orders": str(cell.large_orders)}


@bp.get("/api/v1/adoption")
@described(query=AdoptionQuery, resp=Resp(HTTP_200=Adoption, HTTP_400=ApiError, HTTP_401=ApiError,
                                          HTTP_403=ApiError), tags=["leader"], security=[BEARER, SESSION])
@csrf.exempt
def api_adoption():
    """Per unit and month: spend, spend through e-ordering, with agreement suppliers, both shares and
    the target, for the caller's municipality (leaders, coordinators, unit managers: their units)."""
    with transaction():  # the token's last_used_at
        user = _api_user()
    if user is None:
        return jsonify(error="unauthorized", message="Logg inn eller send Authorization: Bearer <token>."), 401
    if not can_view_adoption(user):
        return jsonify(error="forbidden", message="Bare ledere, e-handelskoordinatorer og enhetsledere."), 403
    try:
        first = Month.parse(request.args.get("from", ""))
        last = Month.parse(request.args.get("to", ""))
    except ValueError:
        return jsonify(error="bad_request", message="from og to må være ÅÅÅÅ-MM."), 400
    if first > last or len(_months(first, last)) > MAX_MONTHS:
        return jsonify(error="bad_request", message=f"Høyst {MAX_MONTHS} måneder, from før to."), 400
    units = list(db.session.scalars(adoption_units(user).order_by(Unit.name)))
    result = services.adoption(user.organisation_id, units, first, last)
    return jsonify({
        "organisation": {"id": user.organisation_id, "name": user.organisation.name},
        "from": str(first), "to": str(last), "target": str(result.target), "currency": "NOK",
        "units": [{"id": u.id, "name": u.name, "months": [_json_month(c) for c in result.by_unit[u.id]]}
                  for u in units],
        "total": [_json_month(c) for c in result.total],
        "generated_on": date.today().isoformat(),
    })
