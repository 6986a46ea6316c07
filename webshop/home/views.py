"""The start page per role, the orderer's notices, and the counts in the header."""
from __future__ import annotations

from typing import Any

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func

from webshop.approvals.access import approvable_orders
from webshop.catalogue import personal
from webshop.catalogue.forms import AddToCartForm
from webshop.delivery.failures import failed_deliveries
from webshop.extensions import db
from webshop.forms import EmptyForm
from webshop.home import services
from webshop.orders import notices
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.permissions import can_handle_failed_deliveries, can_open_approvals, can_order, visible_orders
from webshop.urls import is_safe_next
from webshop.views_support import transaction

bp = Blueprint("home", __name__, template_folder="templates", cli_group="notices")

INBOX_PREVIEW = 5


def inbox_count(user: Any) -> int:
    if not can_open_approvals(user):
        return 0
    query = approvable_orders(user).with_only_columns(func.count(Order.id)).order_by(None)
    return db.session.scalar(query) or 0


@bp.app_context_processor
def header_counts() -> dict[str, Any]:
    """``header_counts()`` in every template: the cart's lines, the inbox and unread notices (lazy)."""
    def counts() -> dict[str, int]:
        if not current_user.is_authenticated:
            return {"cart": 0, "inbox": 0, "notices": 0}
        return {"cart": services.cart_count(current_user) if can_order(current_user) else 0,
                "inbox": inbox_count(current_user),
                "notices": notices.unread_count(current_user)}
    return {"header_counts": counts, "notice_headline": notices.headline}


@bp.get("/start")
@login_required
def start():
    user = current_user
    context: dict[str, Any] = {"form": EmptyForm(formdata=None), "add_form": AddToCartForm(formdata=None),
                               "notes": notices.unread_for(user, 10)}
    if can_open_approvals(user):
        context["inbox_total"] = inbox_count(user)
        context["inbox"] = db.session.scalars(approvable_orders(user).order_by(None)
                                              .order_by(Order.submitted_at).limit(INBOX_PREVIEW)).all()
    if can_order(user):
        context.update(cart=services.cart_summary(user), recent=services.recent_orders(user),
                       favourites=[f for f in personal.favourites_of(user) if f.live is not None][:8],
                       templates=personal.templates_for(user))
    if can_handle_failed_deliveries(user):
        context["failed"] = failed_deliveries(user.organisation_id)
        waiting = visible_orders(user).where(Order.status == OrderStatus.PENDING_APPROVAL)
        context["pending_total"] = db.session.scalar(
            waiting.with_only_columns(func.count(Order.id)).order_by(None)) or 0
        context["pending"] = db.session.scalars(waiting.order_by(Order.submitted_at).limit(INBOX_PREVIEW)).all()
    return render_template("home/start.html", **context)


@bp.post("/varsler/lest")
@login_required
def notices_read():
    """Mark one notice (``notice_id``) or all of the user's notices read."""
    if not EmptyForm().validate():
        abort(400)
    raw = request.form.get("notice_id", "")
    notice_id = int(raw) if raw.isdigit() and len(raw) < 10 else None
    with transaction():
        notices.mark_read(current_user, notice_id)
    flash(_("Varselet er markert som lest.") if notice_id else _("Alle varsler er markert som lest."), "success")
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("home.start"))





@bp.cli.command("mail")
def mail_command() -> None:
    """E-mail the orderers' new notices (rejected, returned, partly delivered, refused by the supplier)
    through MAIL_SERVER; without it they are marked as in-app only. Run it from cron, like the reminders."""
    sent = notices.mail_pending(current_app.config)
    db.session.commit()
    click.echo(f"Sendt: {sent}")
