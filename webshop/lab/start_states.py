"""What an exercise starts from, put into a fresh sandbox through the app's real code paths: the
cart and submit, the approval service, the delivery worker (whose SandboxTransport keeps it on this
machine), the supplier simulator's EHF answers and the inbound processing that applies them.

This module combines features on purpose, as the worker and the CLI do (import-linter allows it
here alone); it runs when a course is created and when a participant's sandbox is reset.
"""
from __future__ import annotations

import logging
from decimal import Decimal

from sqlalchemy import delete, select

from ehf.order import parse_order
from webshop.approvals.access import can_approve
from webshop.approvals.models import PersonLimit
from webshop.approvals.services import approve_order
from webshop.cart.models import CartLine
from webshop.catalogue.models import CatalogueItem
from webshop.catalogue.services import orderable_filter
from webshop.dbtypes import utcnow
from webshop.delivery.worker import deliver_due
from webshop.extensions import db
from webshop.lab.models import Participant
from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import OrderStatus
from webshop.orders.services import submit_cart
from webshop.orgs.models import Role, Unit, User
from webshop.supplier import inbound
from webshop.supplier.models import SimulatedMessage
from webshop.supplier.rules import Behaviour
from webshop.supplier.simulator import SimConfig, simulate

log = logging.getLogger(__name__)

LIMIT_1000 = "limit_1000"
APPROVER_QUEUE = "approver_queue"
PARTIAL_ANSWER = "partial_answer"
PARTIAL_DELIVERY = "partial_delivery"


def _items(organisation_id: int, count: int) -> list[CatalogueItem]:
    """``count`` orderable items of one catalogue (one supplier, so one order), cheapest first."""
    catalogue_id = db.session.scalar(select(CatalogueItem.catalogue_id).where(orderable_filter(organisation_id))
                                     .group_by(CatalogueItem.catalogue_id).order_by(CatalogueItem.catalogue_id)
                                     .limit(1))
    if catalogue_id is None:
        return []
    return list(db.session.scalars(select(CatalogueItem).where(
        orderable_filter(organisation_id), CatalogueItem.catalogue_id == catalogue_id, CatalogueItem.price > 0)
        .order_by(CatalogueItem.price, CatalogueItem.id).limit(count)))


def _submit(user: User, unit: Unit, items: list[CatalogueItem], quantity: Decimal, note: str) -> list[Order]:
    for item in items:
        db.session.add(CartLine(user_id=user.id, item_id=item.id, quantity=quantity,
                                supplier_id=item.catalogue.agreement.supplier_id))
    db.session.flush()
    return submit_cart(user, unit_id=unit.id, note=note)


def _colleague(participant: Participant, unit: Unit, role: Role) -> User | None:
    return db.session.scalar(select(User).where(
        User.organisation_id == participant.sandbox_organisation_id, User.id != participant.user_id,
        User.roles.any(role=role, unit_id=unit.id)).order_by(User.id).limit(1))


def _approve(order: Order, participant: Participant) -> None:
    """Let the simulated colleagues on the order's route approve it, step by step."""
    for _step in range(5):
        if order.status is not OrderStatus.PENDING_APPROVAL:
            return
        approver = next((u for u in db.session.scalars(select(User).where(
            User.organisation_id == participant.sandbox_organisation_id, User.id != participant.user_id,
            User.id != order.orderer_id).order_by(User.id)) if can_approve(u, order)), None)
        if approver is None:
            return
        approve_order(order, by=approver, comment="Godkjent av en simulert kollega")
        db.session.flush()


def _sent_with_answers(order: Order, config: SimConfig, kinds: tuple[str, ...]) -> None:
    """Deliver the approved order (SandboxTransport) and apply the simulator's answers of ``kinds``."""
    document = db.session.scalar(select(OrderDocument).where(OrderDocument.order_id == order.id)
                                 .order_by(OrderDocument.id.desc()).limit(1))
    if document is None:
        return
    deliver_due(worker_id="lab-start-state", commit=False, only=document.id)
    db.session.execute(delete(SimulatedMessage).where(SimulatedMessage.order_id == order.id))
    db.session.refresh(document)
    for answer in simulate(parse_order(document.xml), config, utcnow()):
        if answer.kind in kinds:
            inbound.receive_and_process(answer.xml, source=f"simulator:{order.supplier_id}")
            kinds = tuple(k for k in kinds if k != answer.kind)  # the first of each kind only
    db.session.flush()


def prepare(participant: Participant, unit: Unit, states: set[str]) -> None:
    """Put what the exercises with ``states`` start from into the participant's fresh sandbox."""
    user = db.session.get(User, participant.user_id)
    assert user is not None
    if LIMIT_1000 in states:
        db.session.add(PersonLimit(user_id=user.id, unit_id=None, per_order=Decimal("1000"), hard=False))
    if APPROVER_QUEUE in states:
        colleague = _colleague(participant, unit, Role.ORDERER)
        if colleague is not None:
            for item in _items(participant.sandbox_organisation_id, 3):
                _submit(colleague, unit, [item], Decimal(1), "Øvingsbestilling fra en kollega")
    for state, config, kinds in (
            (PARTIAL_ANSWER, SimConfig(Behaviour.PARTIAL, out_of_stock_lines=2), ("order_response",)),
            (PARTIAL_DELIVERY, SimConfig(Behaviour.ACCEPT, delivery_parts=2),
             ("order_response", "despatch_advice"))):
        if state not in states:
            continue
        orders = _submit(user, unit, _items(participant.sandbox_organisation_id, 4), Decimal(2),
                         "Bestilling fra før kurset")
        for order in orders:
            _approve(order, participant)
            if order.status is OrderStatus.APPROVED:
                _sent_with_answers(order, config, kinds)
    db.session.flush()
    log.info("Sandbox %s prepared: %s", participant.sandbox_organisation_id, sorted(states))
