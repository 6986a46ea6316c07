"""Invoice pages: an order's invoices (matched, waiting, in deviation) with accept/dispute, the
municipality's list of invoices ready for payment with its CSV export, and the tolerances."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webshop.extensions import db
from webshop.invoices import rules, services
from webshop.invoices.forms import DecisionForm, ToleranceForm
from webshop.invoices.models import SupplierInvoice
from webshop.orders.models import Order
from webshop.orders.views import load_visible_order
from webshop.orgs.models import Organisation, Role, User
from webshop.views_support import requires, transaction

bp = Blueprint("invoices", __name__, template_folder="templates")

DEVIATION_LABELS = {
    rules.Deviation.UNKNOWN_LINE: _l("linjen finnes ikke på ordren"),
    rules.Deviation.PRICE: _l("pris avviker fra avtalt pris"),
    rules.Deviation.OVER_ORDERED: _l("mer fakturert enn bestilt"),
    rules.Deviation.OVER_RECEIVED: _l("mer fakturert enn mottatt"),
    rules.Deviation.CREDIT_OVER_INVOICED: _l("kreditert mer enn fakturert"),
}


@bp.app_template_global()
def can_manage_invoices(user: User) -> bool:
    """The ready-for-payment list, its export and the tolerances: the municipality's coordinator."""
    return user.has_role(Role.COORDINATOR)


@bp.app_template_global()
def can_see_invoice_deviations(user: User) -> bool:
    """The deviation inbox in the menu: people who order or approve (anyone may open it; it lists only theirs)."""
    return bool(user.unit_ids(Role.ORDERER) or user.unit_ids(Role.APPROVER))


def can_decide_for_order(user: User, order: Order) -> bool:
    """Twin of ``services.can_decide_invoice`` for the order's page."""
    return user.organisation_id == order.organisation_id and (
        order.orderer_id == user.id or order.unit_id in user.unit_ids(Role.APPROVER))


@bp.app_template_global()
def order_invoice_summary(order: Order) -> services.OrderSummary | None:
    """For the order page: what is invoiced, matched and in deviation (None without invoices)."""
    invoices = services.order_invoices(order)
    return services.summary(invoices) if invoices else None


STATUS_LABELS = {
    rules.InvoiceStatus.MATCHED: _l("Avstemt"),
    rules.InvoiceStatus.AWAITING_RECEIPT: _l("Venter på varemottak"),
    rules.InvoiceStatus.DEVIATION: _l("Avvik"),
    rules.InvoiceStatus.ACCEPTED: _l("Avvik godtatt"),
    rules.InvoiceStatus.DISPUTED: _l("Bestridt"),
}


@bp.app_template_global()
def invoice_status_label(status: rules.InvoiceStatus) -> str:
    return str(STATUS_LABELS[status])


@bp.app_template_global()
def invoice_order_figures() -> tuple[int, int]:
    """For the leader's figures (``invoices/_leader_figures.html``): invoices with and without an order number."""
    return services.invoice_counts_with_and_without_order()


@bp.app_template_filter("deviation_labels")
def deviation_labels(value: str) -> str:
    return ", ".join(str(DEVIATION_LABELS.get(rules.Deviation(v), v)) for v in value.split(",") if v)


@bp.get("/ordrer/<int:order_id>/fakturaer")
@login_required
def for_order(order_id: int):
    order = load_visible_order(order_id)
    with transaction():
        services.rematch_order(order)  # a goods receipt since may have made an invoice match
    invoices = services.order_invoices(order)
    return render_template("invoices/order.html", order=order, invoices=invoices, summary=services.summary(invoices),
                           can_decide=can_decide_for_order(current_user, order), form=DecisionForm(formdata=None),
                           undecided=rules.UNDECIDED_DEVIATIONS)


@bp.post("/ordrer/<int:order_id>/fakturaer/vurdering")
@login_required
def decide(order_id: int):
    order = load_visible_order(order_id)
    if not can_decide_for_order(current_user, order):
        abort(403)
    back = url_for("invoices.for_order", order_id=order.id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Velg godta eller bestrid, og skriv en begrunnelse."), "danger")
        return redirect(back)
    invoice = db.session.get(SupplierInvoice, form.invoice_id.data)
    if invoice is None or invoice.order_id != order.id:
        abort(404)
    with transaction(back):
        services.decide_invoice(invoice, accept=form.decision.data == "accept", reason=form.reason.data,
                                by=current_user)
    flash(_("Fakturaen er godtatt.") if form.decision.data == "accept" else _("Fakturaen er bestridt."), "success")
    return redirect(back)


@bp.get("/fakturaer/avvik")
@login_required
def deviations():
    """The invoices in deviation the user may accept or dispute: their own orders and their units' as approver."""
    invoices = list(db.session.scalars(services.decidable_invoices(current_user)))
    return render_template("invoices/deviations.html", invoices=invoices)


@bp.get("/fakturaer/klar-til-betaling")
@requires(can_manage_invoices)
def ready():
    invoices = list(db.session.scalars(services.ready_for_payment(current_user.organisation_id)))
    return render_template("invoices/ready.html", invoices=invoices)


@bp.get("/fakturaer/klar-til-betaling.csv")
@requires(can_manage_invoices)
def ready_csv():
    invoices = list(db.session.scalars(services.ready_for_payment(current_user.organisation_id)))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(services.csv_rows(invoices))
    return Response(out.getvalue().encode("utf-8-sig"), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="klar-til-betaling.csv"'})


@bp.route("/fakturaer/toleranser", methods=["GET", "POST"])
@requires(can_manage_invoices)
def tolerances():
    current = services.tolerance_for(current_user.organisation_id)
    form = ToleranceForm(data={"quantity": current.quantity, "price": current.price, "three_way": current.three_way})
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, current_user.organisation_id)
        assert organisation is not None
        with transaction(url_for("invoices.tolerances")):
            services.set_tolerance(organisation, quantity=form.quantity.data or Decimal(0),
                                   price=form.price.data or Decimal(0), three_way=bool(form.three_way.data),
                                   by=current_user)
        flash(_("Toleransene er lagret, og åpne fakturaer er avstemt på nytt."), "success")
        return redirect(url_for("invoices.tolerances"))
    return render_template("invoices/tolerances.html", form=form), 400 if form.errors else 200
