"""The approver's inbox and the approve / reject actions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webshop.approvals import services
from webshop.approvals.forms import DecisionForm
from webshop.delivery.outbox import deliver_order
from webshop.extensions import db
from webshop.orders.queries import approval_inbox, paginate
from webshop.orders.services import AlreadyDecided, OrderError
from webshop.orders.views import load_visible_order
from webshop.permissions import is_approver

bp = Blueprint("approvals", __name__, template_folder="templates")


@bp.before_request
@login_required
def require_approver():
    if not is_approver(current_user):
        abort(403)


@bp.get("/godkjenning")
def inbox():
    page = request.args.get("side", 1, type=int)
    results = paginate(approval_inbox(current_user), max(page, 1))
    return render_template("approvals/inbox.html", results=results)


@bp.post("/godkjenning/<int:order_id>")
def decide(order_id: int):
    order = load_visible_order(order_id)
    form = DecisionForm()
    if not form.validate():
        abort(400)
    comment = form.comment.data or ""
    try:
        if form.reject.data:
            services.reject_order(order, by=current_user, comment=comment)
            message = _("Ordre %(number)s er avvist.", number=order.number)
            document = None
        else:
            document = services.approve_order(order, by=current_user, comment=comment)
            message = _("Ordre %(number)s er godkjent og sendt til %(supplier)s.", number=order.number,
                        supplier=order.supplier.name)
        db.session.commit()
    except AlreadyDecided as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for("orders.detail", order_id=order_id)), 303
    except OrderError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("orders.detail", order_id=order_id)), 303
    if document is not None:
        if not deliver_order(order, document):
            message = _("Ordre %(number)s er godkjent, men leveringen feilet. Den prøves igjen.", number=order.number)
        db.session.commit()
    flash(message, "success")
    return redirect(url_for("approvals.inbox"))
