"""Order list, order page with status timeline, and the EHF download."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from webshop.approvals.forms import DecisionForm
from webshop.extensions import db
from webshop.forms import EmptyForm
from webshop.orders import notices
from webshop.orders.models import Order, OrderDocument
from webshop.orders.queries import paginate
from webshop.orders.rules import OrderStatus
from webshop.orders.services import can_cancel_order, cancel_order
from webshop.params import page_arg
from webshop.permissions import can_view_order, visible_orders
from webshop.views_support import transaction

bp = Blueprint("orders", __name__, template_folder="templates")


def load_visible_order(order_id: int) -> Order:
    """404 for orders the user may not see, so other municipalities' order ids reveal nothing."""
    order = db.session.get(Order, order_id, options=[selectinload(Order.lines), selectinload(Order.events)])
    if order is None or not can_view_order(current_user, order):
        abort(404)
    return order


@bp.get("/ordrer")
@login_required
def mine():
    results = paginate(visible_orders(current_user), page_arg())
    return render_template("orders/list.html", results=results)


@bp.get("/ordrer/<int:order_id>")
@login_required
def detail(order_id: int):
    order = load_visible_order(order_id)
    return render_template("orders/detail.html", order=order, decision_form=DecisionForm(formdata=None),
                           cancel_form=EmptyForm(formdata=None), status_sentence=notices.status_sentence(order),
                           order_notices=notices.notices_for_order(order))


@bp.get("/ordrer/<int:order_id>/ehf/<int:document_id>")
@login_required
def download(order_id: int, document_id: int):
    order = load_visible_order(order_id)
    document = db.session.get(OrderDocument, document_id)
    if document is None or document.order_id != order.id:
        abort(404)
    return Response(document.xml, mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{document.filename}"'})


@bp.post("/ordrer/<int:order_id>/kanseller")
@login_required
def cancel(order_id: int):
    """The orderer (or the municipality's coordinator) withdraws an order nobody has decided on yet."""
    order = load_visible_order(order_id)
    if not EmptyForm().validate():
        abort(400)
    if not can_cancel_order(current_user, order) and order.status == OrderStatus.PENDING_APPROVAL:
        abort(403)  # an order already decided gets the service's "no longer pending" message instead
    with transaction(redirect_to=url_for("orders.detail", order_id=order.id), code=303):
        cancel_order(order, by=current_user)
    flash(_("Ordre %(number)s er kansellert.", number=order.number), "success")
    return redirect(url_for("orders.detail", order_id=order.id), 303)
