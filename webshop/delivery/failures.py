"""Messages the worker could not deliver: the coordinator's list and the retry button.
Service functions flush; the caller commits."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webshop import audit
from webshop.dbtypes import utcnow
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import DeliveryState
from webshop.orgs.models import User


class DeliveryError(DomainError):
    """A delivery action that cannot be done; the message is shown to the user."""


def failed_deliveries(organisation_id: int) -> list[tuple[OrderDocument, Order]]:
    """Messages the worker could not deliver (after several attempts), oldest first."""
    rows = db.session.execute(
        select(OrderDocument, Order).join(Order, Order.id == OrderDocument.order_id)
        .where(Order.organisation_id == organisation_id, OrderDocument.state == DeliveryState.FAILED)
        .options(joinedload(Order.supplier)).order_by(OrderDocument.created_at).limit(200))
    return [(row[0], row[1]) for row in rows]


def retry_delivery(document: OrderDocument, *, by: User) -> None:
    """Try a failed message again now (the coordinator's button)."""
    if document.state == DeliveryState.DELIVERED:
        raise DeliveryError(_("Meldingen er allerede levert."))
    document.next_attempt_at = utcnow()
    document.lease_until = None
    order = db.session.get(Order, document.order_id)
    audit.record("delivery_retry", by=by, organisation_id=order.organisation_id if order else None, order=order)
    db.session.flush()
