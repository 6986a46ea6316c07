"""What the orderer hears about an order: a notice in the app (the start page, the header,
the order page) and, when ``MAIL_SERVER`` is configured, an e-mail.

The lifecycle's signals are received here (wired in ``webshop/subscriptions.py``): rejected
(with the approver's reason), returned for changes (with the comment, shown on the cart too),
partly delivered, and rejected by the supplier. A supplier answer that rejects only some
lines keeps the order «Bekreftet», so the supplier follow-up calls ``notify`` itself with
``NoticeKind.LINES_REJECTED``. Notices are stored with the order's transaction; e-mails go
out afterwards (``mail_pending``, from the worker and ``flask notices mail``), so a rolled
back change never sends one.
"""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from datetime import datetime
from email.message import EmailMessage
from enum import StrEnum
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, Text, func, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webshop.dbtypes import StrEnumType, UTCDateTime, utcnow
from webshop.extensions import Model, db
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import User
from webshop.orgs.scoping import is_real_organisation

log = logging.getLogger(__name__)


class NoticeKind(StrEnum):
    REJECTED = "rejected"
    RETURNED = "returned"
    PARTLY_DELIVERED = "partly_delivered"
    REJECTED_BY_SUPPLIER = "rejected_by_supplier"
    LINES_REJECTED = "lines_rejected"


class OrderNotice(Model):
    """One thing the orderer should know about one of their orders."""

    __tablename__ = "order_notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[NoticeKind] = mapped_column(StrEnumType(NoticeKind, 30))
    comment: Mapped[str | None] = mapped_column(Text)  # the approver's reason, or the rejected lines
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    mail_state: Mapped[str | None] = mapped_column(String(20))  # "sent", "no-mail", "failed"
    order: Mapped[Order] = relationship()
    user: Mapped[User] = relationship()


def headline(notice: OrderNotice) -> str:
    """One sentence for the notice, in the current language."""
    number = notice.order.number
    match notice.kind:
        case NoticeKind.REJECTED:
            return str(_("Ordre %(number)s er avvist.", number=number))
        case NoticeKind.RETURNED:
            return str(_("Ordre %(number)s er sendt tilbake for endring. Linjene ligger i handlekurven igjen.",
                         number=number))
        case NoticeKind.PARTLY_DELIVERED:
            return str(_("Ordre %(number)s er delvis levert: noe mangler fortsatt.", number=number))
        case NoticeKind.REJECTED_BY_SUPPLIER:
            return str(_("Leverandøren avviste ordre %(number)s.", number=number))
        case NoticeKind.LINES_REJECTED:
            return str(_("Leverandøren kan ikke levere alle linjene i ordre %(number)s.", number=number))
    return number  # pragma: no cover


def notify(order: Order, kind: NoticeKind, comment: str | None = None) -> OrderNotice:
    """Store a notice for the order's orderer (the caller commits)."""
    notice = OrderNotice(user_id=order.orderer_id, order_id=order.id, kind=kind, comment=(comment or None))
    notice.order = order
    db.session.add(notice)
    db.session.flush()
    return notice


# ------------------------------------------------------------------ signal receivers


def on_rejected(order: Order, *, comment: str | None = None, **_signal: object) -> None:
    """``signals.rejected``: the orderer hears it, with the approver's reason."""
    notify(order, NoticeKind.REJECTED, comment)


def on_returned(order: Order, *, comment: str | None = None, **_signal: object) -> None:
    """``signals.returned``: the comment is shown on the cart, where the lines are again."""
    notify(order, NoticeKind.RETURNED, comment)


def on_received(order: Order, *, to_status: OrderStatus | None = None, **_signal: object) -> None:
    """``signals.received``: only a partial delivery needs the orderer's attention."""
    if to_status is OrderStatus.PARTLY_DELIVERED:
        notify(order, NoticeKind.PARTLY_DELIVERED)


def on_answered(order: Order, *, to_status: OrderStatus | None = None, comment: str | None = None,
                **_signal: object) -> None:
    """``signals.answered_by_supplier``: a whole-order rejection (partial ones come from the follow-up)."""
    if to_status is OrderStatus.REJECTED_BY_SUPPLIER:
        notify(order, NoticeKind.REJECTED_BY_SUPPLIER, comment)


# ------------------------------------------------------------------ reading


def unread_for(user: User, limit: int = 20) -> list[OrderNotice]:
    return list(db.session.scalars(select(OrderNotice).where(
        OrderNotice.user_id == user.id, OrderNotice.read_at.is_(None)).order_by(OrderNotice.id.desc()).limit(limit)))


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count(OrderNotice.id)).where(
        OrderNotice.user_id == user.id, OrderNotice.read_at.is_(None))) or 0


def notices_for_order(order: Order) -> list[OrderNotice]:
    return list(db.session.scalars(select(OrderNotice).where(OrderNotice.order_id == order.id)
                                   .order_by(OrderNotice.id)))


def returned_notices(user: User) -> list[OrderNotice]:
    """Unread «sent back for changes» notices: the cart shows their comments."""
    return [n for n in unread_for(user) if n.kind is NoticeKind.RETURNED]


def mark_read(user: User, notice_id: int | None = None) -> int:
    """Mark one of the user's notices (or all of them) read; returns how many changed."""
    query = update(OrderNotice).where(OrderNotice.user_id == user.id, OrderNotice.read_at.is_(None))
    if notice_id is not None:
        query = query.where(OrderNotice.id == notice_id)
    result = db.session.execute(query.values(read_at=utcnow()), execution_options={"synchronize_session": False})
    return int(getattr(result, "rowcount", 0) or 0)


# ------------------------------------------------------------------ e-mail


def mail_pending(config: Mapping[str, Any], *, locale: str = "nb") -> int:
    """Send the notices not mailed yet through SMTP (``MAIL_SERVER``); without it, mark them
    "no-mail" so the app never sends old notices once mail is switched on. Notices of a training
    sandbox's orders are never mailed. Returns mails sent. The caller commits."""
    pending = list(db.session.scalars(select(OrderNotice).where(OrderNotice.mail_state.is_(None))
                                      .order_by(OrderNotice.id).limit(200)))
    server = config.get("MAIL_SERVER")
    now = utcnow()
    for notice in [n for n in pending if not is_real_organisation(n.order.organisation)]:
        notice.mail_state, notice.mailed_at = "sandbox", now  # training sandboxes never mail anyone
        pending.remove(notice)
    if not pending:
        db.session.flush()
        return 0
    if not server:
        for notice in pending:
            notice.mail_state, notice.mailed_at = "no-mail", now
        db.session.flush()
        return 0
    host, _sep, port = str(server).partition(":")
    sent = 0
    try:
        with smtplib.SMTP(host, int(port or config.get("MAIL_PORT") or 25), timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            for notice in pending:
                smtp.send_message(_mail(notice, str(config.get("MAIL_FROM") or "innkjop@localhost"), locale))
                notice.mail_state, notice.mailed_at = "sent", now
                sent += 1
    except (OSError, smtplib.SMTPException) as error:
        log.warning("Order notices: mail failed after %d of %d (%s); retried next round", sent, len(pending), error)
    db.session.flush()
    return sent


def _mail(notice: OrderNotice, sender: str, locale: str) -> EmailMessage:
    with force_locale(locale):
        text = headline(notice)
        body = [text]
        if notice.comment:
            body.append(str(_("Kommentar: %(comment)s", comment=notice.comment)))
        body.append(str(_("Se ordren i Innkjøp: %(number)s", number=notice.order.number)))
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, notice.user.email, text
    message.set_content("\n\n".join(body))
    return message


def status_sentence(order: Order) -> str:
    """The order page's summary in one sentence: where the order stands and what happens next."""
    supplier = order.supplier.name
    auto = any(e.action == "auto_approved" for e in order.events)
    match order.status:
        case OrderStatus.PENDING_APPROVAL:
            return str(_("Ordren venter på godkjenning før den sendes til %(supplier)s.", supplier=supplier))
        case OrderStatus.APPROVED:
            if auto:
                return str(_("Ordren ble godkjent automatisk og sendes til %(supplier)s.", supplier=supplier))
            return str(_("Ordren er godkjent og sendes til %(supplier)s.", supplier=supplier))
        case OrderStatus.REJECTED:
            return str(_("Ordren er avvist og blir ikke sendt."))
        case OrderStatus.RETURNED:
            return str(_("Ordren er sendt tilbake for endring. Linjene ligger i handlekurven din."))
        case OrderStatus.SENT:
            return str(_("Ordren er sendt til %(supplier)s og venter på svar.", supplier=supplier))
        case OrderStatus.CONFIRMED:
            return str(_("%(supplier)s har bekreftet ordren.", supplier=supplier))
        case OrderStatus.REJECTED_BY_SUPPLIER:
            return str(_("%(supplier)s avviste ordren.", supplier=supplier))
        case OrderStatus.PARTLY_DELIVERED:
            return str(_("Ordren er delvis levert: noe mangler fortsatt."))
        case OrderStatus.DELIVERED:
            return str(_("Ordren er levert."))
        case OrderStatus.CANCELLED:
            return str(_("Ordren er kansellert."))
    return str(order.status)  # pragma: no cover
