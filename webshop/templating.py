"""Jinja filters and globals: money, numbers, percentages, dates and Oslo times in the user's language
(through Babel: «1 234,50 kr», «4,9 %», «01.12.2026, 18:41» in Norwegian; «NOK 1,234.50», «4.9%»,
«1 Dec 2026, 18:41» in English), order numbers that never wrap, labels, permission predicates."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from webshop import permissions
from webshop.cart.services import cart_line_price
from webshop.orders.money import line_savings
from webshop.orders.rules import OrderStatus
from webshop.orders.services import can_cancel_order
from webshop.orgs.models import Role
from webshop.params import input_number

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
    # accounts and catalogue versions (issue 16)
    "user_invited": _l("Invitert"),
    "users_imported": _l("Brukere importert"),
    "user_deactivated": _l("Deaktivert"),
    "user_reactivated": _l("Aktivert igjen"),
    "role_granted": _l("Rolle gitt"),
    "role_revoked": _l("Rolle tatt"),
    "password_set": _l("Passord valgt"),
    "password_reset": _l("Nytt passord satt"),
    "password_reset_requested": _l("Ba om nytt passord"),
    "catalogue_draft": _l("Katalogutkast lastet opp"),
    "catalogue_published": _l("Katalogversjon publisert"),
    "catalogue_restored": _l("Tidligere katalogversjon publisert igjen"),
    "item_request_answered": _l("Etterlysning besvart"),
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
    # the other units a catalogue may use (webshop/catalogue/units.py, issue 16)
    "C62": _l("stk"), "XPA": _l("pakke"), "XCS": _l("kasse"), "XBO": _l("flaske"), "XBG": _l("pose"),
    "XSA": _l("sekk"), "XTU": _l("tube"), "XBJ": _l("spann"), "XCA": _l("boks"), "XPX": _l("pall"),
    "XBE": _l("bunt"), "XSH": _l("pose"), "TNE": _l("tonn"), "MLT": _l("ml"), "DLT": _l("dl"), "CMT": _l("cm"),
    "MMT": _l("mm"), "KMT": _l("km"), "MTK": _l("m²"), "MTQ": _l("m³"), "DZN": _l("dusin"), "DAY": _l("døgn"),
    "MON": _l("måned"), "ANN": _l("år"),
}


def _english() -> bool:
    return str(get_locale()) == "en"


def money(value: Decimal | None) -> str:
    if value is None:
        return "–"
    if _english():  # Babel's English pattern glues the code to the amount: «NOK260.00»
        return str(format_currency(value, "NOK", format="¤\u00a0#,##0.00", currency_digits=False))
    return str(format_currency(value, "NOK"))  # Flask-Babel is untyped


def quantity(value: Decimal) -> str:
    return str(format_decimal(value.normalize(), format="#,##0.###"))


def number(value: Decimal | float | int | None, digits: int = 1) -> str:
    """A measured number with at most ``digits`` decimals: «0,7» / «0.7», «1 234,5» / «1,234.5»."""
    if value is None:
        return "–"
    return str(format_decimal(value, format="#,##0." + "#" * digits if digits else "#,##0"))


def percent(value: Decimal | float | int | None, digits: int = 1) -> str:
    """A percentage given in per cent (4.9 for 4.9 %): «4,9 %» in Norwegian, «4.9%» in English."""
    if value is None:
        return "–"
    return number(value, digits) + ("%" if _english() else "\u00a0%")


def oslo_time(value: datetime | None) -> str:
    if not value:
        return ""
    if _english():  # not the American «12/1/26, 6:41 PM»
        return str(format_datetime(value, "d MMM y, HH:mm"))
    return str(format_datetime(value, "short"))


def day(value: date | datetime | None) -> str:
    """A date: «4. des. 2026» / «4 Dec 2026»."""
    if not value:
        return ""
    return str(format_date(value, "d MMM y" if _english() else "medium"))


def long_date(value: date | None) -> str:
    return str(format_date(value, "d MMMM y" if _english() else "long")) if value else ""


def order_no(number: str | None) -> Markup:
    """An order number («IK-000023») kept on one line wherever it is shown."""
    return Markup('<span class="order-no">%s</span>') % escape(number or "–")


def register_templating(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(quantity)
    app.add_template_filter(oslo_time)
    app.add_template_filter(number)
    app.add_template_filter(percent)
    app.add_template_filter(day)
    app.add_template_filter(long_date)
    app.add_template_filter(order_no)
    app.add_template_filter(cart_line_price)  # the price a cart line will be ordered at (orders.money)
    app.add_template_filter(input_number, "plain_number")  # a number in a text field: «2,5»
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
