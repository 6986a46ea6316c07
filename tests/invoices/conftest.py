"""An order sent to Kontor AS (10 × KP-100 at 52.00, 20 × PEN-1 at 4.90), goods receipt and intake
through the normal inbound channel."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update


@pytest.fixture
def sent_order(app, world):
    """The order id, sent to the supplier."""
    from webshop.cart import services as cart
    from webshop.extensions import db
    from webshop.orders import lifecycle
    from webshop.orders import services as orders
    from webshop.orders.models import Order
    from webshop.orders.rules import OrderStatus, Trigger
    from webshop.orgs.models import User

    with app.app_context():
        orderer = db.session.get(User, world.orderer.id)
        cart.add_item(orderer, world.items["KP-100"].id, Decimal(10))
        cart.add_item(orderer, world.items["PEN-1"].id, Decimal(20))
        (order,) = orders.submit_cart(orderer, unit_id=world.school.id)
        lifecycle.change_status(order, OrderStatus.APPROVED, by=db.session.get(User, world.approver.id),
                                trigger=Trigger.APPROVER)
        db.session.execute(update(Order).where(Order.id == order.id).values(status=OrderStatus.SENT))
        db.session.commit()
        return order.id


@pytest.fixture
def deliver(app, world):
    """Goods receipt by the orderer: {line number: (received, damaged)}."""
    def receive(order_id: int, received: dict[int, tuple[str, str]]) -> None:
        from webshop.extensions import db
        from webshop.orders.models import Order
        from webshop.orgs.models import User
        from webshop.supplier.receipt import record_receipt

        with app.app_context():
            order = db.session.get(Order, order_id)
            by_no = {line.line_no: line.id for line in order.lines}
            record_receipt(order, {by_no[no]: (Decimal(g), Decimal(d)) for no, (g, d) in received.items()},
                           by=db.session.get(User, world.orderer.id))
            db.session.commit()
    return receive


@pytest.fixture
def intake(app):
    """Receive XML through the inbound folder path; returns (state, outcome, reason)."""
    def take(xml: bytes, source: str = "folder:faktura.xml") -> tuple[str, str | None, str | None]:
        from webshop.extensions import db
        from webshop.supplier import inbound

        with app.app_context():
            document = inbound.receive_and_process(xml, source=source)
            db.session.commit()
            return document.state.value, document.outcome, document.reason
    return take


@pytest.fixture
def supplier_key(app, world):
    """An inbound key for Kontor AS, made by a central buyer."""
    from webshop.extensions import db
    from webshop.orgs.models import Role, RoleAssignment, User
    from webshop.supplier.settings import create_inbound_token, settings_for

    with app.app_context():
        buyer = User(email="innkjop@lia.no", name="Buyer", organisation_id=world.org.id)
        buyer.set_password("x" * 12)
        buyer.roles = [RoleAssignment(role=Role.CENTRAL_BUYER, unit_id=None)]
        db.session.add(buyer)
        db.session.flush()
        token = create_inbound_token(settings_for(db.session.get(type(world.supplier), world.supplier.id)), by=buyer)
        db.session.commit()
        return token
