"""The approver's inbox (filters, bulk approve), the decision page and the deputy page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from webshop.approvals import services
from webshop.approvals.access import approvable_orders, can_approve
from webshop.approvals.forms import BulkApproveForm, DecisionForm, InboxFilterForm, SubstituteForm
from webshop.approvals.models import ApprovalSubstitute, Notification
from webshop.approvals.queries import current_step, month_spend
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.orders.errors import OrderError
from webshop.orders.models import OrderLine
from webshop.orders.queries import paginate
from webshop.orders.views import load_visible_order
from webshop.orgs.models import Role, RoleAssignment, Unit, User
from webshop.params import int_list, page_arg
from webshop.permissions import can_open_approvals
from webshop.views_support import guard, transaction

bp = Blueprint("approvals", __name__, template_folder="templates")
guard(bp, can_open_approvals)


def _filter_form() -> InboxFilterForm:
    form = InboxFilterForm(request.args)
    units = db.session.scalars(select(Unit).where(Unit.id.in_(current_user.unit_ids(Role.APPROVER)))
                               .order_by(Unit.name))
    form.enhet.choices = [SelectChoice(0, _("Alle enheter"))] + [SelectChoice(u.id, u.name) for u in units]
    return form


@bp.get("/godkjenning")
def inbox():
    form = _filter_form()
    valid = form.validate() if request.args else True
    page = page_arg()
    query = approvable_orders(current_user, unit_id=form.enhet.data if valid else None,
                              catalogue_only=valid and form.type.data == "katalog",
                              min_total=form.fra_belop.data if valid else None)
    results = paginate(query, max(page, 1))
    free_text_ids = set(db.session.scalars(select(OrderLine.order_id).where(
        OrderLine.order_id.in_([o.id for o in results.items]), OrderLine.is_free_text.is_(True))))
    notes = list(db.session.scalars(select(Notification).where(
        Notification.user_id == current_user.id, Notification.read_at.is_(None)).order_by(Notification.id.desc())
        .limit(20)))
    args = {k: v for k, v in request.args.items() if k != "side"}
    return render_template("approvals/inbox.html", results=results, filter_form=form, bulk_form=BulkApproveForm(),
                           notes=notes, free_text_ids=free_text_ids, args=args), 200 if valid else 400


@bp.get("/godkjenning/<int:order_id>")
def review(order_id: int):
    order = load_visible_order(order_id)
    spend = month_spend(orderer_id=order.orderer_id)
    return render_template("approvals/review.html", order=order, form=DecisionForm(formdata=None),
                           month_spend=spend, step=current_step(order), may_decide=can_approve(current_user, order))


@bp.post("/godkjenning/<int:order_id>")
def decide(order_id: int):
    order = load_visible_order(order_id)
    form = DecisionForm()
    if not form.validate():
        abort(400)
    with transaction(redirect_to=url_for("approvals.review", order_id=order_id), code=303):
        message = _decide(order, form)
    # Approval only queues the EHF message (the outbox row, same transaction); the delivery worker sends it.
    flash(message, "success")
    return redirect(url_for("approvals.inbox"))


def _decide(order, form: DecisionForm) -> str:
    """Apply the button the approver pressed; return what to tell them."""
    comment = form.comment.data or ""
    if form.reject.data:
        services.reject_order(order, by=current_user, comment=comment)
        return _("Ordre %(number)s er avvist.", number=order.number)
    if form.return_order.data:
        services.return_order(order, by=current_user, comment=comment)
        return _("Ordre %(number)s er sendt tilbake til bestilleren for endring.", number=order.number)
    if services.approve_order(order, by=current_user, comment=comment) is None:
        return _("Ordre %(number)s er godkjent på ditt trinn og går videre til neste godkjenner.",
                 number=order.number)
    return _("Ordre %(number)s er godkjent og sendes til %(supplier)s.", number=order.number,
             supplier=order.supplier.name)


@bp.post("/godkjenning/flere")
def bulk_approve():
    """Approve several catalogue-only orders at once; each is its own transaction."""
    if not BulkApproveForm().validate():
        abort(400)
    ids = int_list(request.form.getlist("order_id"))
    if not ids:
        flash(_("Velg minst én ordre."), "danger")
        return redirect(url_for("approvals.inbox"))
    done, problems = [], []
    for order_id in ids:
        order = load_visible_order(order_id)
        if order.has_free_text:
            problems.append(_("%(number)s har fritekstlinjer og må åpnes enkeltvis.", number=order.number))
            continue
        try:
            with transaction():  # one transaction per order: a refusal leaves the others approved
                services.approve_order(order, by=current_user)
        except OrderError as exc:
            problems.append(f"{order.number}: {exc}")
            continue
        done.append(order.number)
    if done:
        flash(_("Godkjent: %(numbers)s.", numbers=", ".join(done)), "success")
    for problem in problems:
        flash(problem, "warning")
    return redirect(url_for("approvals.inbox"))


@bp.post("/godkjenning/varsler/lest")
def notifications_read():
    if not BulkApproveForm().validate():
        abort(400)
    with transaction():
        for note in db.session.scalars(select(Notification).where(Notification.user_id == current_user.id,
                                                                  Notification.read_at.is_(None))):
            note.read_at = utcnow()
    return redirect(url_for("approvals.inbox"))


def _substitute_form(form: SubstituteForm | None = None) -> SubstituteForm:
    form = form or SubstituteForm(formdata=None)
    people = db.session.scalars(
        select(User).join(RoleAssignment).where(User.organisation_id == current_user.organisation_id,
                                                RoleAssignment.role.in_(services.DEPUTY_ROLES),
                                                User.id != current_user.id,
                                                User.active.is_(True)).distinct().order_by(User.name))
    form.deputy_id.choices = [SelectChoice(u.id, u.name) for u in people]
    return form


def _render_substitutes(form: SubstituteForm, errors: list[str] | None = None, status: int = 200):
    rows = list(db.session.scalars(select(ApprovalSubstitute).where(
        ApprovalSubstitute.approver_id == current_user.id).order_by(ApprovalSubstitute.starts_on.desc())))
    covering = list(db.session.scalars(select(ApprovalSubstitute).where(
        ApprovalSubstitute.deputy_id == current_user.id).order_by(ApprovalSubstitute.starts_on.desc())))
    return render_template("approvals/substitutes.html", form=form, rows=rows, covering=covering,
                           errors=errors or []), status


@bp.get("/godkjenning/stedfortreder")
def substitutes():
    return _render_substitutes(_substitute_form())


@bp.post("/godkjenning/stedfortreder")
def add_substitute():
    form = _substitute_form(SubstituteForm())
    if not form.validate():
        return _render_substitutes(form, status=400)
    with transaction(render=lambda exc: _render_substitutes(form, [str(exc)], 400)):
        services.add_substitute(current_user, deputy_id=form.deputy_id.data, starts_on=form.starts_on.data,
                                ends_on=form.ends_on.data)
    flash(_("Stedfortreder er lagt inn. Ordrer som venter på deg i perioden går til stedfortrederen."), "success")
    return redirect(url_for("approvals.substitutes"))


@bp.post("/godkjenning/stedfortreder/<int:substitute_id>/slett")
def remove_substitute(substitute_id: int):
    if not BulkApproveForm().validate():
        abort(400)
    with transaction(render=lambda exc: abort(404)):
        services.remove_substitute(current_user, substitute_id)
    flash(_("Stedfortreder er fjernet. Ordrene går tilbake til deg."), "success")
    return redirect(url_for("approvals.substitutes"))
