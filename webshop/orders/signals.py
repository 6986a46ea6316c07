"""What happened to an order, for the modules that react to it (blinker, synchronous).

``orders.lifecycle`` sends exactly one of these per status change, after the change and its
audit event are written and inside the same transaction: a receiver that raises undoes the
change with everything else the caller rolls back. The sender is the ``Order``; every
signal carries ``by`` (User or None), ``trigger`` (rules.Trigger), ``from_status``,
``to_status`` and ``comment``. Receivers are connected in ``webshop/subscriptions.py``.
A receiver may move the order on (the approval policy approves a new order while
``submitted`` is being sent), so a later receiver of the same signal can find the order
already further along, and hear the nested signal first.
"""
from __future__ import annotations

from typing import Final

from blinker import Namespace, Signal

from webshop.orders.rules import OrderStatus

order_signals = Namespace()

submitted: Final = order_signals.signal("order-submitted", doc="A new order waits for approval.")
approved: Final = order_signals.signal("order-approved", doc="Approved by the last approver or the policy.")
rejected: Final = order_signals.signal("order-rejected", doc="Rejected by an approver.")
returned: Final = order_signals.signal("order-returned", doc="Sent back to the orderer for changes.")
cancelled: Final = order_signals.signal("order-cancelled", doc="Withdrawn before anyone decided.")
sent: Final = order_signals.signal("order-sent", doc="The EHF order reached the supplier's transport.")
answered_by_supplier: Final = order_signals.signal(
    "order-answered-by-supplier", doc="The supplier confirmed or rejected the order (to_status tells which).")
received: Final = order_signals.signal(
    "order-received", doc="Goods arrived, partly or wholly (to_status tells which).")

SIGNAL_FOR: Final[dict[OrderStatus, Signal]] = {
    OrderStatus.PENDING_APPROVAL: submitted,
    OrderStatus.APPROVED: approved,
    OrderStatus.REJECTED: rejected,
    OrderStatus.RETURNED: returned,
    OrderStatus.CANCELLED: cancelled,
    OrderStatus.SENT: sent,
    OrderStatus.CONFIRMED: answered_by_supplier,
    OrderStatus.REJECTED_BY_SUPPLIER: answered_by_supplier,
    OrderStatus.PARTLY_DELIVERED: received,
    OrderStatus.DELIVERED: received,
}
