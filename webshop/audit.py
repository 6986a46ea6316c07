"""Append to the audit log. Every state change and every permission change goes through here.

Each event is also logged (logger ``webshop.audit``, one line) with its structured
fields, so the audit trail shows up in the process log as it happens.
"""
from __future__ import annotations

import logging

from webshop.extensions import db
from webshop.logs import fields
from webshop.orders.models import AuditEvent, Order
from webshop.orgs.models import User

log = logging.getLogger(__name__)


def record(
    action: str,
    *,
    by: User | None,
    organisation_id: int | None,
    order: Order | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    comment: str | None = None,
    trigger: str | None = None,
) -> AuditEvent:
    """Add an audit event to the session (the caller commits) and log it.

    ``trigger`` (who or what caused a status change, see orders.lifecycle) goes to the log line only.
    """
    event = AuditEvent(
        action=action,
        actor_id=by.id if by else None,
        organisation_id=organisation_id,
        order_id=order.id if order else None,
        from_status=from_status,
        to_status=to_status,
        comment=comment or None,
    )
    db.session.add(event)
    log.info(
        "audit %s", action,
        extra=fields(
            action=action,
            order=order.number if order is not None and order.id is not None else None,
            from_status=str(from_status) if from_status is not None else None,
            to_status=str(to_status) if to_status is not None else None,
            actor=by.id if by else None,
            trigger=str(trigger) if trigger is not None else None,
            organisation=organisation_id,
        ),
    )
    return event
