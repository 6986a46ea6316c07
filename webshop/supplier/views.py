"""Supplier-side pages: simulator and transport settings (trainer), failed deliveries
(coordinator), supplier statistics, out-of-stock reports and quarantine (central
buyer), and the goods receipt / re-order / cancel actions on an order."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from webshop.catalogue.models import Agreement, Supplier
from webshop.delivery import failures
from webshop.extensions import db
from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import DeliveryState
from webshop.orders.views import load_visible_order
from webshop.orgs.models import Role
from webshop.params import BadNumber, to_decimal
from webshop.permissions import (
    can_change_simulation,
    can_configure_suppliers,
    can_follow_suppliers,
    can_handle_failed_deliveries,
    can_manage_inbound_tokens,
    can_receive_goods,
    can_view_suppliers,
)
from webshop.supplier import line_views, receipt, stats
from webshop.supplier import settings as supplier_settings
from webshop.supplier.errors import SupplierError
from webshop.supplier.forms import (
    BEHAVIOUR_LABELS,
    SIMULATOR_FIELDS,
    TRANSPORT_LABELS,
    LineActionForm,
    NewKeyForm,
    ReceiptForm,
    SettingsForm,
    SimulatorForm,
)
from webshop.supplier.models import SupplierSettings
from webshop.supplier.rules import Behaviour, LineState, TransportKind
from webshop.views_support import requires, transaction

bp = Blueprint("supplier", __name__, template_folder="templates")


def _collaboration_id() -> int:
    return current_user.organisation.collaboration_id


def _supplier_in_collaboration(supplier_id: int) -> Supplier:
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None or not db.session.scalar(select(Agreement.id).where(
            Agreement.supplier_id == supplier.id, Agreement.collaboration_id == _collaboration_id()).limit(1)):
        abort(404)
    return supplier


@bp.app_context_processor
def supplier_predicates() -> dict:
    return {"can_configure_suppliers": can_configure_suppliers, "can_follow_suppliers": can_follow_suppliers,
            "can_manage_inbound_tokens": can_manage_inbound_tokens, "can_view_suppliers": can_view_suppliers,
            "can_change_simulation": can_change_simulation}


@bp.app_template_global()
def supplier_order_panel(order: Order) -> dict:
    """Everything the order page's supplier section shows, in a few queries."""
    receiving = can_receive_goods(current_user, order)
    return {"lines": line_views.line_views(order, with_substitutes=receiving), "can_receive": receiving,
            "form": LineActionForm(formdata=None), "receipt_form": ReceiptForm(formdata=None)}


@bp.get("/leverandorer")
@requires(can_view_suppliers)
def settings_list():
    suppliers = stats.collaboration_suppliers(_collaboration_id())
    settings = {s.supplier_id: s for s in db.session.scalars(
        select(SupplierSettings).where(SupplierSettings.supplier_id.in_([s.id for s in suppliers])))}
    return render_template("supplier/settings_list.html", suppliers=suppliers, settings=settings,
                           labels=BEHAVIOUR_LABELS, transports=TRANSPORT_LABELS)


def _settings_form_class() -> type[SimulatorForm] | None:
    """The central buyer edits everything, the trainer the simulator only, a coordinator nothing."""
    if can_configure_suppliers(current_user):
        return SettingsForm
    return SimulatorForm if can_change_simulation(current_user) else None


def _settings_values(form: SimulatorForm) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(form, name).data for name in SIMULATOR_FIELDS}
    values["behaviour"] = Behaviour(form.behaviour.data)
    values["out_of_stock_items"] = form.out_of_stock_items.data or ""
    if isinstance(form, SettingsForm):
        values["transport"] = TransportKind(form.transport.data)
        values["endpoint_url"] = (form.endpoint_url.data or "").strip() or None
    return values


def _settings_page(supplier: Supplier, settings: SupplierSettings, form: SimulatorForm | None, **extra):
    return render_template("supplier/settings_edit.html", supplier=supplier, form=form, settings=settings,
                           token_form=extra.pop("token_form", None) or NewKeyForm(formdata=None),
                           labels=BEHAVIOUR_LABELS, transports=TRANSPORT_LABELS, **extra)


@bp.route("/leverandorer/<int:supplier_id>/innstillinger", methods=["GET", "POST"])
@requires(can_view_suppliers)
def edit_settings(supplier_id: int):
    form_class = _settings_form_class()
    if form_class is None and request.method == "POST":
        abort(403)
    supplier = _supplier_in_collaboration(supplier_id)
    settings = supplier_settings.settings_for(supplier)
    form = None if form_class is None else form_class(obj=settings) if request.method == "GET" else form_class()
    if form is not None and request.method == "POST" and form.validate():
        with transaction():
            supplier_settings.update_settings(settings, _settings_values(form), by=current_user)
        flash(_("Innstillingene for %(name)s er lagret.", name=supplier.name), "success")
        return redirect(url_for("supplier.settings_list"))
    db.session.rollback()  # settings_for may have added a row for a first visit: store it only on save
    return _settings_page(supplier, settings, form), 400 if request.method == "POST" else 200


@bp.post("/leverandorer/<int:supplier_id>/innsendingsnokkel")
@requires(can_manage_inbound_tokens)
def new_inbound_token(supplier_id: int):
    supplier = _supplier_in_collaboration(supplier_id)
    form = NewKeyForm()
    if not form.validate():
        abort(400)
    settings = supplier_settings.settings_for(supplier)
    replacing = settings.inbound_token_hash is not None
    if replacing and not form.confirm_replace.data:  # replacing the real supplier's key is never a slip
        db.session.rollback()
        return _settings_page(supplier, settings, SettingsForm(formdata=None, obj=settings), token_form=form,
                              token_error=_("Kryss av for at du forstår at den gamle nøkkelen slutter å virke.")), 400
    with transaction():
        token = supplier_settings.create_inbound_token(settings, by=current_user)
    return render_template("supplier/token.html", supplier=supplier, token=token, replaced=replacing,
                           inbound_url=url_for("supplier_api.ehf_inbound", _external=True))


@bp.get("/leveranser/feilet")
@requires(can_handle_failed_deliveries)
def failed():
    return render_template("supplier/failed.html", rows=failures.failed_deliveries(current_user.organisation_id),
                           form=LineActionForm(formdata=None))


@bp.post("/leveranser/<int:document_id>/prov-igjen")
@requires(can_handle_failed_deliveries)
def retry(document_id: int):
    if not LineActionForm().validate():
        abort(403)
    document = db.session.get(OrderDocument, document_id)
    order = db.session.get(Order, document.order_id) if document else None
    if document is None or order is None or order.organisation_id != current_user.organisation_id:
        abort(404)
    with transaction(redirect_to=url_for("supplier.failed"), category="warning"):
        failures.retry_delivery(document, by=current_user)
    flash(_("Ordre %(number)s sendes på nytt ved neste runde.", number=order.number), "success")
    return redirect(url_for("supplier.failed"))


@bp.get("/leverandorer/statistikk")
@requires(can_follow_suppliers)
def statistics():
    return render_template("supplier/statistics.html", rows=stats.supplier_statistics(_collaboration_id()))


@bp.get("/leverandorer/utsolgt")
@requires(can_follow_suppliers)
def out_of_stock():
    return render_template("supplier/out_of_stock.html", items=stats.out_of_stock_items(_collaboration_id()))


@bp.get("/leverandorer/karantene")
@requires(can_follow_suppliers)
def quarantine():
    documents = stats.quarantined(current_user, collaboration_wide=current_user.has_role(Role.CENTRAL_BUYER))
    return render_template("supplier/quarantine.html", documents=documents)


def _receiving_order(order_id: int) -> Order:
    order = load_visible_order(order_id)
    if not can_receive_goods(current_user, order):
        abort(403)
    return order


def _quantity(name: str) -> Decimal:
    raw = (request.form.get(name) or "0").strip().replace(",", ".").replace(" ", "")
    try:
        Decimal(raw)
    except InvalidOperation:
        raise SupplierError(_("«%(value)s» er ikke et tall.", value=raw[:20])) from None
    try:  # bounded first: quantize() of 1e999990 raises instead of answering
        return to_decimal(raw, low=0, high=current_app.config["MAX_LINE_QUANTITY"], places=3)
    except BadNumber:
        raise SupplierError(_("«%(value)s» er ikke et gyldig antall.", value=raw[:20])) from None


@bp.post("/ordrer/<int:order_id>/mottak")
@login_required
def receive(order_id: int):
    order = _receiving_order(order_id)
    if not ReceiptForm().validate():
        abort(400)
    with transaction(redirect_to=url_for("orders.detail", order_id=order.id, _anchor="supplier-heading"), code=303,
                     message=lambda exc: _("Varemottaket er ikke lagret: %(error)s", error=str(exc))):
        if request.form.get("all"):
            receipt.receive_all(order, by=current_user)
        else:
            receipt.record_receipt(order, {line.id: (_quantity(f"received-{line.id}"), _quantity(f"damaged-{line.id}"))
                                           for line in order.lines}, by=current_user)
    flash(_("Varemottaket er registrert."), "success")
    return redirect(url_for("orders.detail", order_id=order.id)), 303


@bp.post("/ordrer/<int:order_id>/linjer/<int:line_id>/bestill-igjen")
@login_required
def reorder(order_id: int, line_id: int):
    order = _receiving_order(order_id)
    if not LineActionForm().validate():
        abort(400)
    if request.form.get("substitute") == "1":
        return _substitute_to_cart(order, line_id)
    with transaction(redirect_to=url_for("orders.detail", order_id=order.id), code=303):
        new = receipt.reorder_line(order, line_id, by=current_user, substitute=False)
    flash(_("Ny ordre %(number)s er laget og sendt til godkjenning.", number=new.number), "success")
    return redirect(url_for("orders.detail", order_id=new.id)), 303


def _substitute_to_cart(order: Order, line_id: int):
    """«Bestill erstatning» (issue 15): the substitute goes into the cart in the same amount
    (converted by pack size, or the orderer is asked), with the order's buyer reference."""
    back = url_for("orders.detail", order_id=order.id)
    try:
        offer = receipt.substitute_offer(order, line_id)
    except SupplierError as exc:
        flash(str(exc), "warning")
        return redirect(back), 303
    quantity = offer.quantity
    if request.form.get("quantity"):
        try:
            quantity = to_decimal(request.form["quantity"].replace(",", "."), low=Decimal("0.001"),
                                  high=current_app.config["MAX_LINE_QUANTITY"], places=3)
        except BadNumber as exc:
            return render_template("supplier/substitute_ask.html", order=order, offer=offer,
                                   form=LineActionForm(formdata=None), error=str(exc)), 400
    if quantity is None:  # the packs cannot be compared: the orderer decides
        return render_template("supplier/substitute_ask.html", order=order, offer=offer,
                               form=LineActionForm(formdata=None), error=None)
    with transaction(redirect_to=back, code=303):
        receipt.substitute_to_cart(order, line_id, by=current_user, quantity=quantity)
    session["cart_defaults"] = {"buyer_reference": order.buyer_reference or "",
                                "note": _("Erstatter linje %(no)s i ordre %(number)s", no=offer.line.line_no,
                                          number=order.number)}
    if offer.quantity is not None and offer.old is not None and offer.new is not None and \
            offer.quantity != offer.missing:
        missing, converted = format(offer.missing.normalize(), "f"), format(quantity.normalize(), "f")
        flash(_("%(missing)s × %(old)s tilsvarer %(quantity)s × %(new)s: %(name)s er lagt i handlekurven. "
                "Se over og send.", missing=missing, old=offer.old.label(), quantity=converted,
                new=offer.new.label(), name=offer.item.name), "success")
    else:
        flash(_("%(name)s er lagt i handlekurven. Se over og send.", name=offer.item.name), "success")
    return redirect(url_for("cart.show")), 303


@bp.post("/ordrer/<int:order_id>/linjer/<int:line_id>/kanseller")
@login_required
def cancel(order_id: int, line_id: int):
    order = _receiving_order(order_id)
    if not LineActionForm().validate():
        abort(400)
    with transaction(redirect_to=url_for("orders.detail", order_id=order.id), code=303):
        receipt.cancel_line(order, line_id, by=current_user)
    flash(_("Resten av linjen er kansellert."), "success")
    return redirect(url_for("orders.detail", order_id=order.id)), 303


LINE_STATE_COLORS = {
    LineState.AWAITING: "neutral", LineState.ACCEPTED: "success", LineState.REJECTED: "danger",
    LineState.CHANGED: "warning", LineState.BACKORDERED: "warning", LineState.PARTLY_DELIVERED: "warning",
    LineState.DELIVERED: "success", LineState.RECEIVED: "success", LineState.CANCELLED: "neutral",
    LineState.REORDERED: "info",
}


@bp.app_template_filter("line_state_color")
def line_state_color(state: LineState) -> str:
    return LINE_STATE_COLORS.get(state, "neutral")


LINE_STATE_LABELS = {
    LineState.AWAITING: _l("Venter på svar"), LineState.ACCEPTED: _l("Bekreftet"), LineState.REJECTED: _l("Avvist"),
    LineState.CHANGED: _l("Endret av leverandør"), LineState.BACKORDERED: _l("Restordre"),
    LineState.PARTLY_DELIVERED: _l("Delvis levert"), LineState.DELIVERED: _l("Levert"),
    LineState.RECEIVED: _l("Mottatt"), LineState.CANCELLED: _l("Kansellert"),
    LineState.REORDERED: _l("Bestilt på nytt"),
}
DELIVERY_LABELS = {
    DeliveryState.QUEUED: _l("I kø for sending"), DeliveryState.RETRYING: _l("Prøves igjen"),
    DeliveryState.FAILED: _l("Levering feilet"), DeliveryState.DELIVERED: _l("Levert til leverandøren"),
}


@bp.app_template_filter("line_state_label")
def line_state_label(state: LineState) -> str:
    return str(LINE_STATE_LABELS.get(state, state))


@bp.app_template_filter("delivery_label")
def delivery_label(state: DeliveryState) -> str:
    return str(DELIVERY_LABELS.get(state, state))
