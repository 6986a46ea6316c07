"""Issue 10, item 5: every order that commits money counts towards monthly caps and budgets,
whatever the supplier has said since (confirmed, delivered ...); only orders that will never
be paid drop out."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from webshop.approvals.models import UnitBudget
from webshop.orders.models import Order
from webshop.orders.rules import SPEND_COMMITTING, OrderStatus, commits_spend


def test_the_statuses_that_commit_money_are_written_out_by_hand():
    assert SPEND_COMMITTING == frozenset({
        OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED, OrderStatus.SENT, OrderStatus.CONFIRMED,
        OrderStatus.PARTLY_DELIVERED, OrderStatus.DELIVERED})
    for status in (OrderStatus.REJECTED, OrderStatus.RETURNED, OrderStatus.CANCELLED,
                   OrderStatus.REJECTED_BY_SUPPLIER):
        assert not commits_spend(status)
    assert commits_spend(OrderStatus.DELIVERED)


# PEN-1 costs 4.90 kr: 12 pens are 58.80 kr, two such orders 117.60 kr, over a hard budget of 100 kr.
@pytest.mark.parametrize("first_status, second_refused", [
    (OrderStatus.PENDING_APPROVAL, True),
    (OrderStatus.CONFIRMED, True),
    (OrderStatus.PARTLY_DELIVERED, True),
    (OrderStatus.DELIVERED, True),
    (OrderStatus.REJECTED_BY_SUPPLIER, False),
    (OrderStatus.CANCELLED, False),
    (OrderStatus.REJECTED, False),
])
def test_a_hard_unit_budget_does_not_refill_when_the_supplier_confirms(
        world, set_policy, place, store, first_status, second_refused):
    set_policy()
    store.add(UnitBudget(unit_id=world.school.id, monthly=Decimal("100"), hard=True))
    store.commit()
    first = place(world.orderer, world.items["PEN-1"], world.school, "12")
    store.execute(update(Order).where(Order.id == first.id).values(status=first_status))
    store.commit()
    if second_refused:
        place(world.orderer, world.items["PEN-1"], world.school, "12", expect=400)
    else:
        assert place(world.orderer, world.items["PEN-1"], world.school, "12").status == "pending_approval"


def test_orderer_statistics_count_delivered_orders(world, set_policy, place, store, app):
    set_policy()
    first = place(world.orderer, world.items["PEN-1"], world.school, "12")
    place(world.orderer, world.items["PEN-1"], world.school, "1")
    store.execute(update(Order).where(Order.id == first.id).values(status=OrderStatus.DELIVERED))
    store.commit()
    from webshop.extensions import db
    from webshop.leader.services import orderer_stats
    from webshop.orgs.models import Unit

    with app.app_context():
        stats = orderer_stats([db.session.get(Unit, world.school.id)])[world.school.id]
        mine = next(s for s in stats if s.user.id == world.orderer.id)
        assert (mine.orders, mine.spend) == (2, Decimal("63.70"))
