"""Jinja filters and globals: Norwegian money, Oslo times, labels, permission predicates."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from webshop import permissions
from webshop.cart.services import cart_line_price
from webshop.orders.money import line_savings
from webshop.orders.rules import OrderStatus
from webshop.orders.services import can_cancel_order
from webshop.orgs.models import Role

STATUS_LABELS = {
    OrderStatus.PENDING_APPROVAL: _l("Venter på godkjenning"),
    OrderStatus.APPROVED: _l("Godkjent"),
    OrderStatus.REJECTED: _l("Avvist"),
    OrderStatus.RETURNED: _l("Sendt tilbake for endring"),
    OrderStatus.SENT: _l("Sendt til leverandør"),
    OrderStatus.CONFIRMED: _l("Bekreftet av leverandør"),
    OrderStatus.REJECTED_BY_SUPPLIER: _l("Avvist av leverandør"),
    OrderStatus.PARTLY_DELIVERED: _l("Delvis levert"),
    OrderStatus.DELIVERED: _l("Levert"),
    OrderStatus.CANCELLED: _l("Kansellert"),
}
STATUS_COLORS = {
    OrderStatus.PENDING_APPROVAL: "warning",
    OrderStatus.APPROVED: "info",
    OrderStatus.REJECTED: "danger",
    OrderStatus.RETURNED: "warning",
    OrderStatus.SENT: "success",
    OrderStatus.CONFIRMED: "success",
    OrderStatus.REJECTED_BY_SUPPLIER: "danger",
    OrderStatus.PARTLY_DELIVERED: "warning",
    OrderStatus.DELIVERED: "success",
    OrderStatus.CANCELLED: "neutral",
}
ACTION_LABELS = {
    "submitted": _l("Sendt til godkjenning"),
    "approved": _l("Godkjent"),
    "rejected": _l("Avvist"),
    "ehf_built": _l("EHF-ordre laget og kontrollert"),
    "sent": _l("Levert til leverandøren"),
    "delivery_failed": _l("Levering feilet"),
    "step_approved": _l("Godkjent på ett trinn, venter på neste"),
    "auto_approved": _l("Godkjent automatisk"),
    "returned": _l("Sendt tilbake for endring"),
    "escalated": _l("Eskalert: venter for lenge"),
    "confirmed": _l("Bekreftet av leverandør"),
    "rejected_by_supplier": _l("Avvist av leverandør"),
    "partly_delivered": _l("Delvis levert"),
    "delivered": _l("Levert"),
    "supplier_response": _l("Ordresvar fra leverandør"),
    "despatch_advice": _l("Pakkseddel fra leverandør"),
    "goods_received": _l("Varemottak registrert"),
    "line_cancelled": _l("Linje kansellert"),
    "line_reordered": _l("Linje bestilt på nytt"),
    "delivery_retry": _l("Sending prøves på nytt"),
    "cancelled": _l("Kansellert"),
}
ROLE_LABELS = {
    Role.ORDERER: _l("Bestiller"),
    Role.APPROVER: _l("Godkjenner"),
    Role.UNIT_MANAGER: _l("Enhetsleder"),
    Role.COORDINATOR: _l("E-handelskoordinator"),
    Role.CENTRAL_BUYER: _l("Sentral innkjøper"),
    Role.TRAINER: _l("Opplæringsansvarlig"),
    Role.LEADER: _l("Leder"),
}
UNIT_LABELS = {
    "EA": _l("stk"), "H87": _l("stk"), "XPK": _l("pakke"), "XBX": _l("eske"), "KGM": _l("kg"), "GRM": _l("g"),
    "LTR": _l("liter"), "XRO": _l("rull"), "PR": _l("par"), "XCT": _l("kartong"), "MTR": _l("meter"),
    "SET": _l("sett"), "HUR": _l("time"),
}


def money(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return str(format_currency(value, "NOK"))  # Flask-Babel is untyped


def quantity(value: Decimal) -> str:
    return str(format_decimal(value.normalize(), format="#,##0.###"))


def oslo_time(value: datetime | None) -> str:
    return str(format_datetime(value, "short")) if value else ""


def register_templating(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(quantity)
    app.add_template_filter(oslo_time)
    app.add_template_filter(cart_line_price)  # the price a cart line will be ordered at (orders.money)
    app.add_template_filter(lambda d: format(d.normalize(), "f"), "plain_number")
    app.add_template_filter(lambda s: STATUS_LABELS.get(s, s), "status_label")
    app.add_template_filter(lambda s: STATUS_COLORS.get(s, "neutral"), "status_color")
    app.add_template_filter(lambda s: ACTION_LABELS.get(s, s), "action_label")
    app.add_template_filter(lambda s: ROLE_LABELS.get(s, s), "role_label")
    app.add_template_filter(lambda s: UNIT_LABELS.get(s, s), "unit_label")
    app.jinja_env.globals.update(
        line_savings=line_savings,
        can_cancel_order=can_cancel_order,
        can_approve=permissions.can_approve,
        can_order=permissions.can_order,
        is_approver=permissions.is_approver,
        can_open_approvals=permissions.can_open_approvals,
        can_administer=permissions.can_administer,
        current_locale=lambda: str(get_locale()),
    )
