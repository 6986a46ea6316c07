"""The outbox: an approved order's EHF message is stored in the same transaction
as the approval, then handed to a transport. Nothing approved is ever lost."""
from __future__ import annotations

import uuid

from flask import current_app

from webshop import audit
from webshop.dbtypes import utcnow
from webshop.delivery import ehf_adapter
from webshop.delivery.transports import deliver
from webshop.extensions import db
from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import OrderStatus
from webshop.orders.services import change_status


def queue_order_message(order: Order) -> OrderDocument:
    """Build and check the EHF order and store it as an undelivered outbox row."""
    xml = ehf_adapter.build_checked(order)
    document = OrderDocument(
        order_id=order.id, kind="order", message_id=str(uuid.uuid4()), filename=f"{order.number}.xml", xml=xml
    )
    db.session.add(document)
    audit.record("ehf_built", by=None, organisation_id=order.organisation_id, order=order,
                 comment=document.message_id)
    db.session.flush()
    return document


def deliver_order(order: Order, document: OrderDocument) -> bool:
    """Hand the EHF message to the transport; on success the order is sent."""
    try:
        ref = deliver(document, current_app.config["OUTBOX_DIR"])
    except OSError as exc:
        document.delivery_error = str(exc)
        audit.record("delivery_failed", by=None, organisation_id=order.organisation_id, order=order, comment=str(exc))
        db.session.flush()
        return False
    document.delivered_at = utcnow()
    document.delivery_ref = ref
    document.delivery_error = None
    change_status(order, OrderStatus.SENT, by=None, action="sent", comment=ref)
    db.session.flush()
    return True
