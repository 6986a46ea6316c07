"""Escalation and reminders for orders that wait too long (`flask --app webshop approvals remind`).

A step that has waited more than the municipality's ``escalate_after_days``
working days is escalated once: the unit's managers and the coordinators are
added to the people who may decide it (audited), and everyone who may decide it
gets an in-app notification and, when ``MAIL_SERVER`` is configured, an e-mail.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webshop import audit
from webshop.approvals.models import ApprovalStepApprover, Notification
from webshop.approvals.policy import working_days_between
from webshop.approvals.queries import current_step
from webshop.approvals.services import organisation_policy
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.mail import MailSettings, send_mails  # noqa: F401  (MailSettings: imported from here too)
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Role, RoleAssignment, User
from webshop.orgs.scoping import real_organisation_ids

OSLO = ZoneInfo("Europe/Oslo")
approvals_cli = AppGroup("approvals", help="Approval workflow: escalation and reminders.")


@dataclass
class ReminderResult:
    escalated: list[str] = field(default_factory=list)  # order numbers
    notified: int = 0
    mailed: int = 0
    mails: list[EmailMessage] = field(default_factory=list)


def _escalation_people(order: Order) -> list[User]:
    return list(db.session.scalars(select(User).join(RoleAssignment).where(
        User.organisation_id == order.organisation_id, User.active.is_(True), User.id != order.orderer_id,
        ((RoleAssignment.role == Role.UNIT_MANAGER) & (RoleAssignment.unit_id == order.unit_id))
        | (RoleAssignment.role == Role.COORDINATOR)).distinct()))


def escalate_and_remind(*, mail_from: str = "innkjop@localhost") -> ReminderResult:
    """Escalate every step waiting longer than its municipality allows, and remind who may decide it.

    Flushes; the caller commits and then sends ``result.mails`` with ``send_mails`` (never before the commit).
    """
    result = ReminderResult()
    now = utcnow()
    today = now.astimezone(OSLO).date()
    # a training sandbox's orders wait for simulated colleagues: nobody is reminded or mailed about them
    orders = db.session.scalars(select(Order).where(Order.status == OrderStatus.PENDING_APPROVAL,
                                                    Order.organisation_id.in_(real_organisation_ids()))
                                .options(selectinload(Order.lines))).all()
    mails = result.mails
    for order in orders:
        step = current_step(order)
        if step is None or step.escalated_at is not None:
            continue
        days = organisation_policy(order.organisation_id).escalate_after_days
        waited = working_days_between(order.submitted_at.astimezone(OSLO).date(), today)
        if waited <= days:
            continue
        known = step.approver_ids
        extra = [u for u in _escalation_people(order) if u.id not in known]
        for user in extra:
            step.approvers.append(ApprovalStepApprover(user_id=user.id, via="escalation"))
        step.escalated_at = now
        step.reminded_at = now
        audit.record("escalated", by=None, organisation_id=order.organisation_id, order=order,
                     comment=f"{waited} arbeidsdager; lagt til: {', '.join(u.name for u in extra) or '–'}")
        result.escalated.append(order.number)
        db.session.flush()
        db.session.expire(step, ["approvers"])
        for link in step.approvers:
            text = (f"Ordre {order.number} fra {order.orderer.name} ({order.unit.name}) har ventet på godkjenning "
                    f"i {waited} arbeidsdager.")
            db.session.add(Notification(user_id=link.user_id, order_id=order.id, message=text))
            result.notified += 1
            message = EmailMessage()
            message["From"] = mail_from
            message["To"] = link.user.email
            message["Subject"] = f"Påminnelse: ordre {order.number} venter på godkjenning"
            message.set_content(text + "\n\nLogg inn og åpne «Til godkjenning» for å behandle den.\n")
            mails.append(message)
    db.session.flush()
    return result


@approvals_cli.command("remind")
def remind_command() -> None:
    """Escalate orders waiting too long and remind their approvers (in-app, and e-mail if MAIL_SERVER is set)."""
    result = escalate_and_remind(mail_from=current_app.config.get("MAIL_FROM") or "innkjop@localhost")
    db.session.commit()
    settings = MailSettings.from_config(current_app.config)
    if settings and result.mails:
        result.mailed = send_mails(result.mails, settings)
    click.echo(f"Eskalert: {len(result.escalated)} ordrer ({', '.join(result.escalated) or '–'}); "
               f"{result.notified} varsler, {result.mailed} e-poster sendt.")

