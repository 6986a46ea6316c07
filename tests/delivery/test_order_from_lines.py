"""orders.services.create_order_from_lines: the one way a new order is made (cart submit and
re-order of missing lines), always handed to the approval policy; bad input stores nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus


def _line(world, key: str, quantity: str = "2"):
    from webshop.cart.models import CartLine
    from webshop.catalogue.models import CatalogueItem
    from webshop.extensions import db

    item = db.session.get(CatalogueItem, world.items[key].id)
    line = CartLine(user_id=world.orderer.id, item_id=item.id, supplier_id=world.supplier.id,
                    quantity=Decimal(quantity))
    line.item = item
    return line


def test_create_order_from_lines_goes_to_the_approval_policy(app, world, store):
    from webshop.cart.models import CartLine
    from webshop.extensions import db
    from webshop.orders.services import create_order_from_lines
    from webshop.orgs.models import Unit, User

    with app.app_context():
        orderer, unit = db.session.get(User, world.orderer.id), db.session.get(Unit, world.school.id)
        order = create_order_from_lines(orderer, unit, [_line(world, "KP-100", "3")], note="Erstatter linje 2")
        db.session.commit()
        order_id = order.id
    order = store.get(Order, order_id)
    assert order.status == OrderStatus.PENDING_APPROVAL and order.total == Decimal("156.00")
    assert [(ln.supplier_item_id, ln.quantity) for ln in order.lines] == [("KP-100", Decimal(3))]
    assert [e.action for e in order.events] == ["submitted"] and order.note == "Erstatter linje 2"
    assert store.scalar(select(func.count(CartLine.id))) == 0  # never in anyone's cart


@pytest.mark.parametrize(("who", "key", "message"), [
    ("approver", "KP-100", "Du kan ikke bestille til denne enheten."),  # not an orderer for the unit
    ("orderer", "OLD-1", "kan ikke lenger bestilles"),  # discontinued
    ("orderer", None, "minst én linje"),
])
def test_create_order_from_lines_refuses_and_stores_nothing(app, world, store, who, key, message):
    from webshop.cart.services import CartError
    from webshop.extensions import db
    from webshop.orders.services import create_order_from_lines
    from webshop.orgs.models import Unit, User

    with app.app_context():
        user, unit = db.session.get(User, getattr(world, who).id), db.session.get(Unit, world.school.id)
        with pytest.raises(CartError, match=message):
            create_order_from_lines(user, unit, [_line(world, key)] if key else [])
        db.session.rollback()
    assert store.scalar(select(func.count(Order.id))) == 0
