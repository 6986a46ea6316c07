"""The cart: add, change, remove, free-text lines, and submit."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from webshop.approvals.queries import current_step
from webshop.approvals.services import preview_cart
from webshop.cart import services
from webshop.cart.forms import FreeTextForm, QuantityForm, SubmitCartForm
from webshop.catalogue.forms import AddToCartForm
from webshop.catalogue.personal import cart_line_status, refusal_to_order
from webshop.extensions import db
from webshop.orders import notices
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.orders.services import submit_cart
from webshop.orgs.models import Role, Unit
from webshop.params import BadNumber, int_list, to_int
from webshop.permissions import can_order, can_view_order
from webshop.supplier.cart_notes import delivery_days
from webshop.urls import is_safe_next
from webshop.views_support import guard, transaction

bp = Blueprint("cart", __name__, template_folder="templates")
guard(bp, can_order)
bp.add_app_template_filter(services.cart_line_total, "cart_line_total")  # what a line will cost


def _forms(free_text: FreeTextForm | None = None, submit: SubmitCartForm | None = None):
    free_text = free_text or FreeTextForm(formdata=None)
    free_text.supplier_id.choices = [SelectChoice(s.id, s.name) for s in services.suppliers_for(current_user)]
    if submit is None:  # a substitute from an order keeps that order's reference and says what it replaces
        defaults = session.get("cart_defaults") or {}
        submit = SubmitCartForm(formdata=None, data={k: defaults.get(k) for k in ("buyer_reference", "note")})
    units = db.session.query(Unit).filter(Unit.id.in_(current_user.unit_ids(Role.ORDERER))).order_by(Unit.name)
    submit.unit_id.choices = [SelectChoice(u.id, u.name) for u in units]
    return free_text, submit


def _render(status: int = 200, **forms):
    free_text, submit = _forms(forms.get("free_text"), forms.get("submit"))
    lines = services.cart_lines(current_user)
    choices = [c.value for c in submit.unit_id.choices]
    last = services.last_unit_id(current_user)
    chosen = submit.unit_id.data if submit.unit_id.data in choices else None  # a refused choice is no unit
    unit_id = chosen or (last if last in choices else (choices[0] if choices else None))
    submit.unit_id.data = unit_id  # the unit last ordered for, not the first in the alphabet (issue 15)
    groups = services.supplier_groups(current_user, lines)
    previews = {name: (route, text) for name, _total, route, text in preview_cart(current_user, unit_id)} \
        if lines else {}
    return render_template("cart/cart.html", lines=lines, groups=groups, free_text_form=free_text,
                           submit_form=submit, line_statuses=cart_line_status(current_user, lines),
                           previews=previews, delivery_days=delivery_days,
                           all_auto=bool(previews) and all(r.is_auto_approved for r, _t in previews.values()),
                           total=sum((g.total for g in groups), Decimal("0")),
                           returned=notices.returned_notices(current_user),
                           error_form=forms.get("free_text") or forms.get("submit"),
                           errors=forms.get("errors", [])), status


@bp.get("/handlekurv")
def show():
    return _render()


@bp.post("/handlekurv/legg-til")
def add():
    form = AddToCartForm()
    back = request.form.get("next")
    target = back if is_safe_next(back) else url_for("cart.show")
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return redirect(target)
    try:
        item_id = to_int(str(form.item_id.data))
    except BadNumber:
        flash(_("Ugyldig vare."), "danger")
        return redirect(target)
    with transaction(redirect_to=target):
        refusal = refusal_to_order(current_user.organisation_id, item_id)
        if refusal:  # hidden, discontinued or sold out: say so, and what to order instead
            raise services.CartError(refusal)
        line = services.add_item(current_user, item_id, form.quantity.data)
    flash(_("%(name)s er lagt i handlekurven.", name=line.item.name if line.item else line.description), "success")
    return redirect(target)


@bp.post("/handlekurv/<int:line_id>/antall")
def update(line_id: int):
    if not any(line.id == line_id for line in services.cart_lines(current_user)):
        abort(404)  # someone else's line: not found, before the form is looked at
    form = QuantityForm()
    if not form.validate():
        return _render(400, errors=[e for errs in form.errors.values() for e in errs])
    with transaction(render=lambda exc: _render(400, errors=[str(exc)])):
        services.update_quantity(current_user, line_id, form.quantity.data)
    flash(_("Antallet er endret."), "success")
    return redirect(url_for("cart.show"))


@bp.post("/handlekurv/<int:line_id>/fjern")
def remove(line_id: int):
    with transaction(render=lambda exc: _render(404, errors=[str(exc)])):
        services.remove_line(current_user, line_id)
    flash(_("Linjen er fjernet."), "success")
    return redirect(url_for("cart.show"))


@bp.post("/handlekurv/fritekst")
def add_free_text():
    form, _submit = _forms(FreeTextForm())
    if not form.validate():
        return _render(400, free_text=form, errors=[e for errs in form.errors.values() for e in errs])
    with transaction(render=lambda exc: _render(400, free_text=form, errors=[str(exc)])):
        services.add_free_text(current_user, supplier_id=form.supplier_id.data, description=form.description.data,
                               quantity=form.quantity.data, unit_code=form.unit_code.data,
                               estimated_price=form.estimated_price.data)
    flash(_("Fritekstlinjen er lagt til. Den må godkjennes før den sendes."), "success")
    return redirect(url_for("cart.show"))


@bp.post("/handlekurv/send")
def submit():
    _free, form = _forms(submit=SubmitCartForm())
    if not form.validate():
        return _render(400, submit=form, errors=[e for errs in form.errors.values() for e in errs])
    with transaction(render=lambda exc: _render(400, submit=form, errors=[str(exc)])):
        orders = submit_cart(current_user, unit_id=form.unit_id.data, note=form.note.data or "",
                             buyer_reference=form.buyer_reference.data or "")
    session.pop("cart_defaults", None)
    flash(_submitted_message(orders), "success")
    return redirect(url_for("cart.submitted", ordre=[o.id for o in orders]))


def _submitted_message(orders: list[Order]) -> str:
    """Auto-approved orders are on their way, not «sent for approval» (issue 15)."""
    waiting = [o.number for o in orders if o.status == OrderStatus.PENDING_APPROVAL]
    approved = [o.number for o in orders if o.status != OrderStatus.PENDING_APPROVAL]
    if waiting and not approved:
        return _("Bestillingen er sendt til godkjenning: %(numbers)s.", numbers=", ".join(waiting))
    if approved and not waiting:
        return _("Bestillingen er godkjent automatisk og sendes til leverandøren: %(numbers)s.",
                 numbers=", ".join(approved))
    return _("Bestillingen er sendt: %(approved)s godkjent automatisk, %(waiting)s venter på godkjenning.",
             approved=", ".join(approved), waiting=", ".join(waiting))


@bp.get("/handlekurv/sendt")
def submitted():
    """What one basket became: the orders, their routes and totals, after submit."""
    ids = int_list(request.args.getlist("ordre"))[:20]  # a 400 on a bad id
    orders = [o for o in (db.session.get(Order, i) for i in ids)
              if o is not None and o.orderer_id == current_user.id and can_view_order(current_user, o)]
    if not orders:  # nothing of mine to show (an old link, someone else's ids): the order list
        return redirect(url_for("orders.mine"))
    return render_template("cart/submitted.html", orders=orders,
                           total=sum((o.total for o in orders), Decimal("0")),
                           sentences={o.id: notices.status_sentence(o) for o in orders},
                           steps={o.id: current_step(o) for o in orders})
