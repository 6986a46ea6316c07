"""Who reacts to what happens to an order: every receiver of ``orders.signals``, in one place.

``create_app`` calls ``connect_all()``. The feature modules never call each other: they
subscribe here. Connections are global to the process (blinker), so each receiver is a
plain module-level function connected strongly (``weak=False``); connecting the same
function again is a no-op, so any number of apps (tests make many) share one set.
Receivers run synchronously inside the transaction of the change, in the order listed.
"""
from __future__ import annotations

from collections.abc import Callable

from blinker import Signal

from webshop.approvals.services import route_submitted_order
from webshop.cart.services import restore_returned_lines
from webshop.delivery.outbox import queue_approved_order
from webshop.invoices.services import on_billing_document, on_goods_received
from webshop.lab.courses import settings_for_sandbox
from webshop.leader.services import on_order_changed
from webshop.orders import notices, signals
from webshop.orgs.scoping import sandbox_settings_requested
from webshop.supplier.followup import sync_after_send
from webshop.supplier.inbound import billing_received
from webshop.supplier.simulation import schedule_answers

SUBSCRIPTIONS: tuple[tuple[Signal, Callable[..., object]], ...] = (
    # approvals: a new order is refused on a hard limit, approved at once, or given its route
    (signals.submitted, route_submitted_order),
    # delivery: an approved order's EHF message goes into the outbox
    (signals.approved, queue_approved_order),
    # cart: an order sent back for changes returns its lines to the orderer's cart
    (signals.returned, restore_returned_lines),
    # the orderer hears about rejections, returns, partial deliveries and supplier refusals (issue 15)
    (signals.rejected, notices.on_rejected),
    (signals.returned, notices.on_returned),
    (signals.received, notices.on_received),
    (signals.answered_by_supplier, notices.on_answered),
    # supplier follow-up: answers that arrived before the send was recorded move the order on
    (signals.sent, sync_after_send),
    # the built-in supplier simulator schedules its answers to the order it received
    (signals.sent, schedule_answers),
    # invoices (issue 17): the inbound channel hands checked invoices to matching; a goods receipt matches again
    (billing_received, on_billing_document),
    (signals.received, on_goods_received),
    # the training lab says which condition a sandbox works under (catalogue variant, supplier behaviour)
    (sandbox_settings_requested, settings_for_sandbox),
    # the leader's view: the order's monthly cell is summed again after every status change (issue 13)
    *((signal, on_order_changed) for signal in dict.fromkeys(signals.SIGNAL_FOR.values())),
)


def connect_all() -> None:
    """Connect every receiver above (idempotent)."""
    for signal, receiver in SUBSCRIPTIONS:
        signal.connect(receiver, weak=False)
