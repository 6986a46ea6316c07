"""Every built-in exercise: its start state is made in the sandbox through the real code paths, and
its success check is false before the participant did the task and true after (issue 12)."""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.lab.conftest import two_condition_spec
from webshop.approvals.access import approvable_orders
from webshop.approvals.services import approve_order, reject_order, return_order
from webshop.cart.services import add_free_text, add_item
from webshop.catalogue.models import CatalogueItem, ItemNumber
from webshop.extensions import db
from webshop.lab import exercises
from webshop.lab.models import Participant
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.orders.services import submit_cart
from webshop.orgs.models import Role
from webshop.supplier.followup import statuses
from webshop.supplier.receipt import record_receipt, reorder_line
from webshop.supplier.rules import LineResponse

STARTED: list[datetime] = []  # when the exercise started: after the course (and its start states) was made


@pytest.fixture
def everything(make_course, app):
    keys = [b.key for b in exercises.BUILTIN]
    course_id, _logins = make_course(two_condition_spec(participants=1, exercise_keys=keys))
    STARTED[:] = [datetime.now(UTC)]
    return course_id


def _participant(course_id: int) -> Participant:
    return db.session.scalar(select(Participant).where(Participant.course_id == course_id))


def _check(participant: Participant, key: str) -> bool:
    return exercises.check(exercises.library_exercise(key, participant.course.organisation_id), participant,
                           STARTED[0])


def _order_item(participant: Participant, item_id: int, quantity: str = "1") -> list[Order]:
    user = participant.user
    add_item(user, item_id, Decimal(quantity))
    (unit_id,) = user.unit_ids(Role.ORDERER)
    return submit_cart(user, unit_id=unit_id)


def _live_item(participant: Participant, supplier_item_id: str) -> int:
    from webshop.catalogue.services import orderable_filter

    return db.session.scalar(select(CatalogueItem.id).where(
        CatalogueItem.supplier_item_id == supplier_item_id, orderable_filter(participant.sandbox_organisation_id)))


def test_approver_exercise_starts_with_three_orders_to_decide(app, everything):
    with app.app_context():
        participant = _participant(everything)
        waiting = list(db.session.scalars(approvable_orders(participant.user)))
        assert len(waiting) == 3 and all(o.orderer_id != participant.user_id for o in waiting)
        assert not _check(participant, "godkjenner")
        approve_order(waiting[0], by=participant.user)
        reject_order(waiting[1], by=participant.user, comment="Ikke nødvendig nå")
        assert not _check(participant, "godkjenner")  # not yet returned one
        return_order(waiting[2], by=participant.user, comment="Endre antallet")
        assert _check(participant, "godkjenner")


def test_partial_answer_exercise_starts_with_two_lines_out_of_stock(app, everything):
    with app.app_context():
        participant = _participant(everything)
        order = db.session.scalar(select(Order).where(Order.orderer_id == participant.user_id,
                                                      Order.note == "Bestilling fra før kurset").order_by(Order.id))
        rows = statuses(order)
        rejected = [line for line in order.lines if rows[line.id].response is LineResponse.REJECTED]
        assert len(rejected) == 2
        assert not _check(participant, "delvis-svar")
        reorder_line(order, rejected[0].id, by=participant.user, substitute=False)
        db.session.flush()
        assert _check(participant, "delvis-svar")


def test_partial_delivery_exercise_starts_with_half_delivered(app, everything):
    with app.app_context():
        participant = _participant(everything)
        order = db.session.scalars(select(Order).where(Order.orderer_id == participant.user_id,
                                                       Order.note == "Bestilling fra før kurset")
                                   .order_by(Order.id)).all()[-1]
        assert order.status is OrderStatus.PARTLY_DELIVERED
        rows = statuses(order)
        assert all(rows[line.id].delivered_quantity == Decimal(1) for line in order.lines)  # 2 ordered, 1 came
        assert not _check(participant, "varemottak")
        record_receipt(order, {line.id: (Decimal(1), Decimal(0)) for line in order.lines}, by=participant.user)
        db.session.flush()
        assert _check(participant, "varemottak")


def test_ordering_exercises(app, everything):
    with app.app_context():
        participant = _participant(everything)
        for key in ("finn-sukker", "tre-varer", "papirkatalog", "utgatt-vare", "finner-ikke", "over-grensen"):
            assert not _check(participant, key), key
        _order_item(participant, _live_item(participant, "31339"))  # Farin 1 kg
        assert _check(participant, "finn-sukker") and not _check(participant, "tre-varer")
        paper = db.session.scalar(select(ItemNumber.item_id).where(ItemNumber.value == "4711-22"))
        _order_item(participant, _live_item(participant, db.session.get(CatalogueItem, paper).supplier_item_id))
        assert _check(participant, "papirkatalog")
        assert not _check(participant, "tre-varer")  # two items so far
        _order_item(participant, _live_item(participant, "KH-10116"))  # the substitute of the discontinued paper
        assert _check(participant, "utgatt-vare") and _check(participant, "tre-varer")
        assert not _check(participant, "over-grensen")  # everything so far under 1 000 kr
        orders = _order_item(participant, _live_item(participant, "KH-10116"), quantity="6")  # 6 × 229 kr
        assert orders[0].status is OrderStatus.PENDING_APPROVAL and orders[0].total > 1000
        assert _check(participant, "over-grensen")
        user = participant.user
        supplier_id = orders[0].supplier_id
        add_free_text(user, supplier_id=supplier_id, description="Navneskiltholder", quantity=Decimal(1),
                      unit_code="EA", estimated_price=Decimal(50))
        (unit_id,) = user.unit_ids(Role.ORDERER)
        submit_cart(user, unit_id=unit_id)
        assert _check(participant, "finner-ikke")
