"""Append to the audit log. Every state change and every permission change goes through here."""
from __future__ import annotations

import logging

from webshop.extensions import db
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
) -> AuditEvent:
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
    log.info("%s: order %s by %s (%s -> %s)", action, order.id if order else "-", by, from_status, to_status)
    return event
