"""The exercise library of the training lab, built from the study's situations, and the automatic
success checks that read the sandbox's real rows (orders, lines, decisions, item requests).

Built-in exercises have no organisation and are written to the database by :func:`ensure_builtin`
(idempotent); a trainer's own exercises belong to their municipality's library. Each exercise has a
``check_kind`` (what :func:`check_attempt` looks at), ``check_params`` (what it looks for), a start
state (what :func:`prepare_start_states` puts in a fresh sandbox first) and a time limit.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select

from webshop.approvals.models import ApprovalDecision, Decision
from webshop.catalogue.models import CatalogueItem, ItemNumber, ItemRequest
from webshop.extensions import db
from webshop.lab import start_states
from webshop.lab.models import Attempt, Exercise, Participant
from webshop.orders.models import Order, OrderLine
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Unit
from webshop.supplier.models import OrderLineStatus

log = logging.getLogger(__name__)

ORDER_ITEMS = "order_items"
ORDER_ITEM_NUMBER = "order_item_number"
OVER_LIMIT = "over_limit"
SUBSTITUTE = "substitute"
REORDER_MISSING = "reorder_missing"
APPROVE_REJECT_RETURN = "approve_reject_return"
GOODS_RECEIPT_PARTIAL = "goods_receipt_partial"
CANT_FIND = "cant_find"
CHECK_KINDS = (ORDER_ITEMS, ORDER_ITEM_NUMBER, OVER_LIMIT, SUBSTITUTE, REORDER_MISSING, APPROVE_REJECT_RETURN,
               GOODS_RECEIPT_PARTIAL, CANT_FIND)
APPROVER_KINDS = frozenset({APPROVE_REJECT_RETURN})
NOT_COUNTED = (OrderStatus.CANCELLED, OrderStatus.RETURNED)  # an order withdrawn or sent back did not do the task


@dataclass(frozen=True)
class Builtin:
    key: str
    title: str
    instructions: str
    check_kind: str
    check_params: dict[str, Any]
    time_limit_seconds: int
    phone_seconds: int
    start_state: str = "empty"


# The study: ordering electronically took about twice as long as phoning; the phone baselines say so.
BUILTIN: tuple[Builtin, ...] = (
    Builtin("tre-varer", "Bestill tre vanlige varer",
            "Bestill kopipapir, kaffe og toalettpapir til enheten din (én av hver) og send bestillingen.",
            ORDER_ITEMS, {"min_items": 3}, 600, 150),
    Builtin("finn-sukker", "Finn sukker",
            "Kaffekroken er tom for sukker. Finn sukker i katalogen, legg én pakke i handlekurven og send "
            "bestillingen.",
            ORDER_ITEMS, {"items": [{"match": "farin"}]}, 300, 60),
    Builtin("papirkatalog", "Bestill fra nummeret i papirkatalogen",
            "I den gamle papirkatalogen har kopipapiret nummer 4711-22. Bestill én pakke av det.",
            ORDER_ITEM_NUMBER, {"number": "4711-22"}, 300, 60),
    Builtin("over-grensen", "En bestilling over grensen din",
            "Du kan bestille for inntil 1 000 kr uten ekstra godkjenning. Bestill en eske kopipapir (5 pakker) "
            "og en toner, send bestillingen og finn ut hvem som må godkjenne den, og hvorfor.",
            OVER_LIMIT, {"limit": "1000"}, 600, 180, "limit_1000"),
    Builtin("utgatt-vare", "En vare som er utgått",
            "Dere bruker alltid «Kopipapir Kontorhuset Økonomi A4 75 g». Den er utgått. Finn varen som erstatter "
            "den, og bestill én.",
            SUBSTITUTE, {"items": [{"match": "kontorhuset basis"}]}, 420, 90),
    Builtin("delvis-svar", "Leverandøren kunne bare levere noe",
            "Leverandøren har svart at to av linjene i bestillingen din er utsolgt. Bestill det som mangler på nytt, "
            "gjerne som en erstatningsvare.",
            REORDER_MISSING, {}, 600, 180, "partial_answer"),
    Builtin("godkjenner", "Som godkjenner: godkjenn, avvis, send tilbake",
            "Tre bestillinger venter på deg (prøv gjerne på mobilen). Godkjenn én, avvis én med en begrunnelse "
            "og send én tilbake til bestilleren for endring.",
            APPROVE_REJECT_RETURN, {}, 600, 240, "approver_queue"),
    Builtin("varemottak", "Varemottak av en delleveranse",
            "En bestilling er delvis levert. Registrer det som faktisk kom.",
            GOODS_RECEIPT_PARTIAL, {}, 420, 120, "partial_delivery"),
    Builtin("finner-ikke", "Finner ikke varen",
            "Dere trenger en spesialtilpasset navneskilt-holder som ikke står i katalogen. Bestill den som fritekst, "
            "eller meld den inn som ønsket vare.",
            CANT_FIND, {}, 420, 120),
)


def ensure_builtin() -> None:
    """Write the built-in library to the database (new ones added, existing ones brought up to date)."""
    existing = {e.key: e for e in db.session.scalars(select(Exercise).where(Exercise.organisation_id.is_(None)))}
    for b in BUILTIN:
        row = existing.get(b.key) or Exercise(organisation_id=None, key=b.key)
        row.title, row.instructions, row.check_kind = b.title, b.instructions, b.check_kind
        row.check_params, row.time_limit_seconds = dict(b.check_params), b.time_limit_seconds
        row.phone_seconds, row.start_state = b.phone_seconds, b.start_state
        if row.id is None:
            db.session.add(row)
    db.session.flush()


def library(organisation_id: int) -> list[Exercise]:
    """The built-in exercises and the municipality's own, built-in first."""
    return list(db.session.scalars(
        select(Exercise).where(or_(Exercise.organisation_id.is_(None), Exercise.organisation_id == organisation_id))
        .order_by(Exercise.organisation_id.is_not(None), Exercise.id)))


def library_exercise(key: str, organisation_id: int) -> Exercise | None:
    """The municipality's own exercise with this key, else the built-in one."""
    return db.session.scalar(
        select(Exercise).where(Exercise.key == key, or_(Exercise.organisation_id.is_(None),
                                                        Exercise.organisation_id == organisation_id))
        .order_by(Exercise.organisation_id.is_(None)).limit(1))


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9æøå]+", "-", text.lower()).strip("-")
    return slug[:50] or "oppgave"


def save_own_exercise(organisation_id: int, *, title: str, find: str, quantity: Decimal, unit_code: str | None,
                      check_kind: str, time_limit_seconds: int, phone_seconds: int,
                      instructions: str = "") -> Exercise:
    """A trainer's exercise from the form (what to find, how many, in which unit, which check), saved
    to the municipality's library under a key made from its title."""
    if check_kind not in CHECK_KINDS:
        raise ValueError(f"unknown check {check_kind!r}")
    base = key = _slug(title)
    n = 1
    while db.session.scalar(select(Exercise.id).where(Exercise.organisation_id == organisation_id,
                                                      Exercise.key == key)) is not None:
        n += 1
        key = f"{base}-{n}"
    params: dict[str, Any] = {}
    if check_kind in (ORDER_ITEMS, SUBSTITUTE):
        params = {"items": [{"match": find.strip().lower(), "quantity": str(quantity),
                             **({"unit": unit_code} if unit_code else {})}]}
    elif check_kind == ORDER_ITEM_NUMBER:
        params = {"number": find.strip()}
    elif check_kind == OVER_LIMIT:
        params = {"limit": str(quantity)}
    text = instructions.strip() or f"Bestill {quantity.normalize():f} {unit_code or ''} {find}".replace("  ", " ")
    exercise = Exercise(organisation_id=organisation_id, key=key, title=title.strip(), instructions=text,
                        check_kind=check_kind, check_params=params, time_limit_seconds=time_limit_seconds,
                        phone_seconds=phone_seconds,
                        start_state="limit_1000" if check_kind == OVER_LIMIT else "empty")
    db.session.add(exercise)
    db.session.flush()
    return exercise


# ---------------------------------------------------------------- start states


def prepare_start_states(participant: Participant, unit: Unit) -> None:
    """Put what the course's exercises start from into the participant's fresh sandbox (start_states.py)."""
    start_states.prepare(participant, unit, {ce.exercise.start_state for ce in participant.course.exercises})


# ---------------------------------------------------------------- checks


def _orders_since(user_id: int, since: datetime) -> list[Order]:
    return list(db.session.scalars(select(Order).where(Order.orderer_id == user_id, Order.submitted_at >= since,
                                                       Order.status.not_in(NOT_COUNTED)).order_by(Order.id)))


def _lines(orders: list[Order]) -> list[OrderLine]:
    return [line for order in orders for line in order.lines]


def _matches(line: OrderLine, wanted: dict[str, Any]) -> bool:
    if line.is_free_text:
        return False
    names = [line.name.lower()]
    if line.item is not None:
        names.append(line.item.name.lower())
    ids = wanted.get("supplier_item_ids")
    if ids and line.supplier_item_id in ids:
        pass
    elif not any(str(wanted.get("match", "")).lower() in n for n in names) or not wanted.get("match"):
        return False
    if "quantity" in wanted and line.quantity < Decimal(str(wanted["quantity"])):
        return False
    return not ("unit" in wanted and wanted["unit"] and line.unit_code != wanted["unit"])


def _order_items(participant: Participant, since: datetime, params: dict[str, Any]) -> bool:
    lines = _lines(_orders_since(participant.user_id, since))
    catalogue_items = {line.supplier_item_id for line in lines if not line.is_free_text}
    if len(catalogue_items) < int(params.get("min_items", 1)):
        return False
    return all(any(_matches(line, wanted) for line in lines) for wanted in params.get("items", []))


def _order_item_number(participant: Participant, since: datetime, params: dict[str, Any]) -> bool:
    number = str(params.get("number", "")).strip()
    item_ids = set(db.session.scalars(select(ItemNumber.item_id).where(func.lower(ItemNumber.value) == number.lower())))
    sids = set(db.session.scalars(select(CatalogueItem.supplier_item_id).where(CatalogueItem.id.in_(item_ids))))
    return any(line.supplier_item_id in sids for line in _lines(_orders_since(participant.user_id, since)))


def _over_limit(participant: Participant, since: datetime, params: dict[str, Any]) -> bool:
    limit = Decimal(str(params.get("limit", "1000")))
    return any(o.total > limit and o.status is OrderStatus.PENDING_APPROVAL
               for o in _orders_since(participant.user_id, since))


def _approve_reject_return(participant: Participant, since: datetime, params: dict[str, Any]) -> bool:
    decisions = list(db.session.scalars(select(ApprovalDecision).where(
        ApprovalDecision.approver_id == participant.user_id, ApprovalDecision.decided_at >= since)))
    kinds = {d.decision for d in decisions if d.decision is not Decision.REJECTED or (d.comment or "").strip()}
    return {Decision.APPROVED, Decision.REJECTED, Decision.RETURNED} <= kinds


def _reorder_missing(participant: Participant, since: datetime, params: dict[str, Any]) -> bool:
    reordered = db.session.scalar(
        select(func.count(OrderLineStatus.id)).join(Order, Order.id == OrderLineStatus.order_id)
        .where(Order.orderer_id == participant.user_id, OrderLineStatus.updated_at >= since,
               or_(OrderLineStatus.reordered_as_id.is_not(None), OrderLineStatus.replaced_in_cart_at.is_not(None))))
    return (reordered or 0) > 0


def _goods_receipt_partial(participant: Participant, since: datetime, params: dict[str, Any]) -> bool:
    return (db.session.scalar(select(func.count(OrderLineStatus.id)).join(Order, Order.id == OrderLineStatus.order_id)
                              .where(Order.organisation_id == participant.sandbox_organisation_id,
                                     OrderLineStatus.received_quantity > 0, OrderLineStatus.updated_at >= since))
            or 0) > 0


def _cant_find(participant: Participant, since: datetime, params: dict[str, Any]) -> bool:
    if any(line.is_free_text for line in _lines(_orders_since(participant.user_id, since))):
        return True
    return db.session.scalar(select(ItemRequest.id).where(ItemRequest.user_id == participant.user_id,
                                                          ItemRequest.created_at >= since).limit(1)) is not None


CHECKS: dict[str, Callable[[Participant, datetime, dict[str, Any]], bool]] = {
    ORDER_ITEMS: _order_items, SUBSTITUTE: _order_items, ORDER_ITEM_NUMBER: _order_item_number,
    OVER_LIMIT: _over_limit, APPROVE_REJECT_RETURN: _approve_reject_return, REORDER_MISSING: _reorder_missing,
    GOODS_RECEIPT_PARTIAL: _goods_receipt_partial, CANT_FIND: _cant_find,
}


def check(exercise: Exercise, participant: Participant, since: datetime) -> bool:
    """Whether the participant did what ``exercise`` asks since ``since``, judged from the sandbox's rows."""
    return CHECKS[exercise.check_kind](participant, since, exercise.check_params or {})


def check_attempt(attempt: Attempt) -> bool:
    """The automatic success check of a running or finished attempt."""
    return check(attempt.course_exercise.exercise, attempt.participant, attempt.started_at)
