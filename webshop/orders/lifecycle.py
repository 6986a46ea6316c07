"""The order lifecycle: the only code that changes an order's status.

Every change goes the same way: the transition and the kind of actor behind it are
checked against ``rules.TRANSITIONS`` and ``rules.TRIGGERS``; the status is changed with
a compare-and-set in the database (of two requests acting at once, one wins and the other
gets ``AlreadyDecided``); the change is written to the audit log and logged; and then the
matching signal in ``orders.signals`` is sent, synchronously and inside the same
transaction, so approvals, delivery and supplier follow-up react without this module (or
each other) importing them. Functions flush; the caller commits.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from webshop import audit
from webshop.extensions import db
from webshop.orders import signals
from webshop.orders.errors import AlreadyDecided, NotAllowed
from webshop.orders.models import Order
from webshop.orders.rules import PERSON_TRIGGERS, OrderStatus, Trigger, check_change
from webshop.orgs.models import Role, User
from webshop.sql import rows_changed


def submit(order: Order, *, by: User) -> None:
    """Place a new, not yet stored order: it waits for approval from now on.

    The order is added and flushed (it gets its id and number), the audit log says
    "submitted", and ``signals.submitted`` lets the approval policy route it or approve
    it at once. A receiver may refuse the order by raising (a hard limit, for example).
    """
    check_change(None, OrderStatus.PENDING_APPROVAL, Trigger.ORDERER)
    _check_actor(order, by, Trigger.ORDERER)
    order.status = OrderStatus.PENDING_APPROVAL
    db.session.add(order)
    db.session.flush()
    _announce(order, None, OrderStatus.PENDING_APPROVAL, by=by, trigger=Trigger.ORDERER, comment=None)


def change_status(order: Order, new: OrderStatus, *, by: User | None, trigger: Trigger,
                  comment: str | None = None) -> None:
    """Move ``order`` to ``new`` for ``trigger`` (``by`` is the person, None for the system).

    Raises InvalidTransition (or TriggerNotAllowed) when the rules forbid the change,
    NotAllowed when ``by`` is not the kind of actor ``trigger`` names, and AlreadyDecided
    when someone else changed the status since this order was loaded.
    """
    current = order.status
    check_change(current, new, trigger)
    _check_actor(order, by, trigger)
    if rows_changed(update(Order).where(Order.id == order.id, Order.status == current).values(status=new)) != 1:
        raise AlreadyDecided(_("Ordren er allerede behandlet av noen andre. Last siden på nytt for å se status."))
    set_committed_value(order, "status", new)
    _announce(order, current, new, by=by, trigger=trigger, comment=comment)


def _check_actor(order: Order, by: User | None, trigger: Trigger) -> None:
    """The person must fit the trigger; a system trigger acts without one."""
    if trigger not in PERSON_TRIGGERS:
        fits = by is None
    elif by is None or by.organisation_id != order.organisation_id:
        fits = False
    elif trigger is Trigger.ORDERER:
        fits = by.id == order.orderer_id
    elif trigger is Trigger.COORDINATOR:
        fits = by.has_role(Role.COORDINATOR)
    else:  # approver, goods receipt: the approval and receipt services check the details
        fits = True
    if not fits:
        raise NotAllowed(_("Du kan ikke gjøre denne endringen på ordren."))


def _action(new: OrderStatus, trigger: Trigger) -> str:
    """The audit action name (the order page's timeline labels these)."""
    if new is OrderStatus.PENDING_APPROVAL:
        return "submitted"
    if new is OrderStatus.APPROVED and trigger is Trigger.APPROVAL_POLICY:
        return "auto_approved"
    return new.value


def _announce(order: Order, current: OrderStatus | None, new: OrderStatus, *, by: User | None, trigger: Trigger,
              comment: str | None) -> None:
    audit.record(_action(new, trigger), by=by, organisation_id=order.organisation_id, order=order,
                 from_status=current, to_status=new, comment=comment, trigger=trigger)  # also its log line
    signals.SIGNAL_FOR[new].send(order, by=by, trigger=trigger, from_status=current, to_status=new,
                                 comment=comment)
