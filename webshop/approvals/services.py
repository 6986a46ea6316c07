"""Approval use cases: decide on a submitted order.

Approving builds and checks the EHF order in the same transaction as the
decision (the outbox row), so an approved order always has its message.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from webshop.approvals.models import ApprovalDecision, Decision
from webshop.delivery.outbox import queue_order_message
from webshop.extensions import db
from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import OrderStatus
from webshop.orders.services import AlreadyDecided, OrderError, change_status
from webshop.orgs.models import User
from webshop.permissions import Refusal, approval_refused

REFUSAL_MESSAGES = {
    Refusal.OTHER_ORGANISATION: _l("Ordren tilhører en annen organisasjon."),
    Refusal.NOT_APPROVER_FOR_UNIT: _l("Du er ikke godkjenner for enheten ordren gjelder."),
    Refusal.OWN_ORDER: _l("Du kan ikke godkjenne din egen ordre. En annen godkjenner må gjøre det."),
    Refusal.NOT_PENDING: _l("Ordren venter ikke på godkjenning."),
}


def order_submitted(order: Order, *, by: User) -> None:
    """Called for every new order. Today every order waits for an approver."""


def _decide(order: Order, *, by: User, decision: Decision, comment: str) -> None:
    refusal = approval_refused(by, order)
    if refusal is Refusal.NOT_PENDING:
        raise AlreadyDecided(str(REFUSAL_MESSAGES[refusal]))
    if refusal is not None:
        raise OrderError(str(REFUSAL_MESSAGES[refusal]))
    new = OrderStatus.APPROVED if decision is Decision.APPROVED else OrderStatus.REJECTED
    change_status(order, new, by=by, action=decision.value, comment=comment)
    try:
        with db.session.begin_nested():
            db.session.add(ApprovalDecision(order_id=order.id, step=1, approver_id=by.id, decision=decision,
                                            comment=comment or None))
    except IntegrityError:
        raise AlreadyDecided(_("Ordren er allerede behandlet av noen andre.")) from None


def approve_order(order: Order, *, by: User, comment: str = "") -> OrderDocument:
    """Approve, then build and check the EHF order in the same transaction (the outbox row)."""
    _decide(order, by=by, decision=Decision.APPROVED, comment=comment)
    return queue_order_message(order)


def reject_order(order: Order, *, by: User, comment: str) -> None:
    if not comment.strip():
        raise OrderError(_("Skriv en begrunnelse, så bestilleren vet hva som må endres."))
    _decide(order, by=by, decision=Decision.REJECTED, comment=comment.strip())
    db.session.flush()
