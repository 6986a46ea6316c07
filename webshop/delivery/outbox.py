"""The outbox: an approved order's EHF message is stored in the same transaction
as the approval (a ``signals.approved`` receiver); the worker
(webshop/delivery/worker.py) delivers it later with retries. Nothing approved is
ever lost."""
from __future__ import annotations

import uuid

from webshop import audit
from webshop.dbtypes import utcnow
from webshop.delivery import ehf_adapter
from webshop.extensions import db
from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import DeliveryState


def queue_order_message(order: Order) -> OrderDocument:
    """Build and check the EHF order and store it as an undelivered outbox row."""
    xml = ehf_adapter.build_checked(order)
    document = OrderDocument(
        order_id=order.id, kind="order", message_id=str(uuid.uuid4()), filename=f"{order.number}.xml", xml=xml,
        state=DeliveryState.QUEUED, attempts=0, next_attempt_at=utcnow(),
    )
    db.session.add(document)
    audit.record("ehf_built", by=None, organisation_id=order.organisation_id, order=order,
                 comment=document.message_id)
    db.session.flush()
    return document


def queue_approved_order(order: Order, **_signal: object) -> None:
    """``signals.approved`` receiver (an approver's last step or the automatic policy alike):
    the approved order's EHF message goes into the outbox in the same transaction, once."""
    queue_order_message(order)
