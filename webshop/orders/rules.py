"""Order status, its allowed transitions and who may trigger each one (pure: no Flask, no SQLAlchemy).

Money rules live beside this in ``money.py``; ``lifecycle.py`` is the only code that applies these rules
to an order in the database.
"""
from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final


class OrderStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"  # approved; EHF message built and queued for delivery
    REJECTED = "rejected"
    RETURNED = "returned"  # sent back for changes: the lines went back to the orderer's cart
    SENT = "sent"  # delivered to the supplier's transport
    # What the supplier said and delivered since (derived from the per-line status, issue 6):
    CONFIRMED = "confirmed"  # the supplier accepted the order, wholly or with changes; nothing delivered yet
    REJECTED_BY_SUPPLIER = "rejected_by_supplier"  # the supplier rejected every line
    PARTLY_DELIVERED = "partly_delivered"  # something arrived; more is coming or lines are still missing
    DELIVERED = "delivered"  # everything arrived (or what is missing was cancelled or re-ordered)
    CANCELLED = "cancelled"


TRANSITIONS: Final[Mapping[OrderStatus, frozenset[OrderStatus]]] = {
    OrderStatus.PENDING_APPROVAL: frozenset(
        {OrderStatus.APPROVED, OrderStatus.REJECTED, OrderStatus.RETURNED, OrderStatus.CANCELLED}
    ),
    OrderStatus.APPROVED: frozenset({OrderStatus.SENT}),
    OrderStatus.REJECTED: frozenset(),
    OrderStatus.RETURNED: frozenset(),
    OrderStatus.SENT: frozenset(
        {OrderStatus.CONFIRMED, OrderStatus.REJECTED_BY_SUPPLIER, OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED}
    ),
    OrderStatus.CONFIRMED: frozenset(
        {OrderStatus.REJECTED_BY_SUPPLIER, OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED}
    ),
    # a newer order response may accept after all, or goods arrive anyway
    OrderStatus.REJECTED_BY_SUPPLIER: frozenset(
        {OrderStatus.CONFIRMED, OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED}
    ),
    OrderStatus.PARTLY_DELIVERED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.PARTLY_DELIVERED}),  # a goods receipt corrected downwards
    OrderStatus.CANCELLED: frozenset(),
}

class DeliveryState(StrEnum):
    """Where an order's EHF message is in the outbox (``OrderDocument.state``; the worker moves it)."""

    QUEUED = "queued"  # never tried
    RETRYING = "retrying"  # failed a few times, tried again at next_attempt_at
    FAILED = "failed"  # failed often enough for a person to look; still retried until delivery.rules.MAX_ATTEMPTS
    DELIVERED = "delivered"


# Sent, and from then on following what the supplier says and delivers.
WITH_SUPPLIER: Final = frozenset({OrderStatus.SENT, OrderStatus.CONFIRMED, OrderStatus.REJECTED_BY_SUPPLIER,
                                  OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED})

# Orders that commit money: they count towards monthly caps, unit budgets and spend statistics,
# whatever the supplier has said since. Only orders that will never be paid drop out (rejected,
# returned, cancelled, rejected by the supplier). The one place this rule lives: every spend query
# filters with ``Order.status.in_(SPEND_COMMITTING)``.
SPEND_COMMITTING: Final[frozenset[OrderStatus]] = frozenset({
    OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED, OrderStatus.SENT, OrderStatus.CONFIRMED,
    OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED})


def commits_spend(status: OrderStatus) -> bool:
    """Does an order in ``status`` count towards limits and budgets?"""
    return status in SPEND_COMMITTING


class InvalidTransition(Exception):
    def __init__(self, current: OrderStatus | None, new: OrderStatus, message: str | None = None) -> None:
        super().__init__(message or f"An order cannot go from {current or 'nothing'} to {new}.")
        self.current = current
        self.new = new


def check_transition(current: OrderStatus, new: OrderStatus) -> None:
    """Raise InvalidTransition unless ``current`` may become ``new``."""
    if new not in TRANSITIONS[current]:
        raise InvalidTransition(current, new)


class Trigger(StrEnum):
    """Who or what moves an order: the kind of actor behind a status change."""

    ORDERER = "orderer"  # the person who placed the order
    COORDINATOR = "coordinator"  # the e-commerce coordinator of the order's municipality
    APPROVER = "approver"  # the approver (or deputy) deciding the last open step
    APPROVAL_POLICY = "approval_policy"  # automatic approval under the municipality's limit
    DELIVERY_WORKER = "delivery_worker"  # the outbox worker handed the message to the supplier's transport
    SUPPLIER_MESSAGE = "supplier_message"  # an order response or despatch advice from the supplier
    GOODS_RECEIPT = "goods_receipt"  # the buyer's goods receipt, or cancelling / re-ordering missing lines


S, T = OrderStatus, Trigger
_SUPPLIER_OR_RECEIPT = frozenset({T.SUPPLIER_MESSAGE, T.GOODS_RECEIPT})

# Which trigger may cause which change. ``None`` is "no order yet": only an orderer creates one.
# Every pair here is a transition in TRANSITIONS, and every transition has at least one trigger.
TRIGGERS: Final[Mapping[tuple[OrderStatus | None, OrderStatus], frozenset[Trigger]]] = {
    (None, S.PENDING_APPROVAL): frozenset({T.ORDERER}),
    (S.PENDING_APPROVAL, S.APPROVED): frozenset({T.APPROVER, T.APPROVAL_POLICY}),
    (S.PENDING_APPROVAL, S.REJECTED): frozenset({T.APPROVER}),
    (S.PENDING_APPROVAL, S.RETURNED): frozenset({T.APPROVER}),
    (S.PENDING_APPROVAL, S.CANCELLED): frozenset({T.ORDERER, T.COORDINATOR}),
    (S.APPROVED, S.SENT): frozenset({T.DELIVERY_WORKER}),
    # what the supplier says: only its own messages
    (S.SENT, S.CONFIRMED): frozenset({T.SUPPLIER_MESSAGE}),
    (S.SENT, S.REJECTED_BY_SUPPLIER): frozenset({T.SUPPLIER_MESSAGE}),
    (S.CONFIRMED, S.REJECTED_BY_SUPPLIER): frozenset({T.SUPPLIER_MESSAGE}),
    (S.REJECTED_BY_SUPPLIER, S.CONFIRMED): frozenset({T.SUPPLIER_MESSAGE}),
    # what arrived: the supplier's despatch advice or the buyer's own goods receipt
    (S.SENT, S.PARTLY_DELIVERED): _SUPPLIER_OR_RECEIPT,
    (S.SENT, S.DELIVERED): _SUPPLIER_OR_RECEIPT,
    (S.CONFIRMED, S.PARTLY_DELIVERED): _SUPPLIER_OR_RECEIPT,
    (S.CONFIRMED, S.DELIVERED): _SUPPLIER_OR_RECEIPT,
    (S.REJECTED_BY_SUPPLIER, S.PARTLY_DELIVERED): _SUPPLIER_OR_RECEIPT,
    (S.REJECTED_BY_SUPPLIER, S.DELIVERED): _SUPPLIER_OR_RECEIPT,
    (S.PARTLY_DELIVERED, S.DELIVERED): _SUPPLIER_OR_RECEIPT,
    # a receipt corrected downwards, or a newer response promising more than was delivered
    (S.DELIVERED, S.PARTLY_DELIVERED): _SUPPLIER_OR_RECEIPT,
}
del S, T

# Triggers that are people (the change needs a user); the others are the system acting on its own.
PERSON_TRIGGERS: Final = frozenset({Trigger.ORDERER, Trigger.COORDINATOR, Trigger.APPROVER, Trigger.GOODS_RECEIPT})


class TriggerNotAllowed(InvalidTransition):
    """The transition exists, but not for this kind of actor."""

    def __init__(self, current: OrderStatus | None, new: OrderStatus, trigger: Trigger) -> None:
        super().__init__(current, new, f"{trigger} cannot move an order from {current or 'nothing'} to {new}.")
        self.trigger = trigger


def check_change(current: OrderStatus | None, new: OrderStatus, trigger: Trigger) -> None:
    """Raise InvalidTransition unless ``current`` may become ``new``, and TriggerNotAllowed
    unless ``trigger`` is one of the actors allowed to make that change."""
    if current is None:
        if new is not OrderStatus.PENDING_APPROVAL:
            raise InvalidTransition(current, new)
    else:
        check_transition(current, new)
    if trigger not in TRIGGERS.get((current, new), frozenset()):
        raise TriggerNotAllowed(current, new, trigger)
