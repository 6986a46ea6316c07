"""The supplier simulator's invoices: every variant passes the official rules we check (XSD + the
BIS Billing 3 rules of ehf/rules/billing.py) and lands where a trainer expects it."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from ehf.order import parse_order
from ehf.validation import validate
from webshop.dbtypes import clock_set_to, utcnow
from webshop.invoices.models import SupplierInvoice
from webshop.orders.models import OrderDocument
from webshop.supplier.simulated_invoices import InvoiceBehaviour, invoices_for


def _sent(app, order_id: int):
    from webshop.extensions import db

    with app.app_context():
        xml = db.session.scalar(select(OrderDocument.xml).where(OrderDocument.order_id == order_id))
    return parse_order(xml)


@pytest.mark.parametrize(("behaviour", "expected"), [
    (InvoiceBehaviour.EXACT, [("processed", "matched")]),
    (InvoiceBehaviour.PARTIAL, [("processed", "matched"), ("processed", "matched")]),
    (InvoiceBehaviour.OVER, [("processed", "deviation")]),
    (InvoiceBehaviour.WRONG_PRICE, [("processed", "deviation")]),
    (InvoiceBehaviour.NO_ORDER, [("quarantined", None)]),
])
def test_each_variant_is_valid_and_matches_as_a_trainer_expects(app, sent_order, deliver, intake, behaviour,
                                                               expected):
    deliver(sent_order, {1: ("10", "0"), 2: ("20", "0")})
    documents = invoices_for(_sent(app, sent_order), behaviour, date(2026, 12, 4))
    assert [part for part, _ in documents] == ([0, 1] if behaviour is InvoiceBehaviour.PARTIAL else [1])
    for _, xml in documents:
        assert validate(xml) == []
    assert [intake(xml)[:2] for _, xml in documents] == expected


def test_partial_invoices_split_each_line_and_sum_to_the_order(app, sent_order):
    from ehf.invoice import parse_invoice

    first, rest = (parse_invoice(xml) for _, xml in invoices_for(_sent(app, sent_order), InvoiceBehaviour.PARTIAL,
                                                                  date(2026, 12, 4)))
    assert [(ln.order_line_id, ln.quantity) for ln in first.lines] == [("1", Decimal(5)), ("2", Decimal(10))]
    assert [(ln.order_line_id, ln.quantity) for ln in rest.lines] == [("1", Decimal(5)), ("2", Decimal(10))]
    assert first.tax_exclusive_amount + rest.tax_exclusive_amount == Decimal("618.00")  # 10 × 52 + 20 × 4.90


def test_the_simulated_supplier_sends_its_invoice_through_the_worker(app, world, login_as, store):
    """End to end: settings → order sent → order response, despatch advice and invoice come back."""
    from webshop.cart import services as cart
    from webshop.delivery.worker import run_once
    from webshop.extensions import db
    from webshop.orders import lifecycle
    from webshop.orders import services as orders
    from webshop.orders.rules import OrderStatus, Trigger
    from webshop.orgs.models import User
    from webshop.supplier.models import SupplierSettings
    from webshop.supplier.settings import settings_for

    with app.app_context():
        settings = settings_for(db.session.get(type(world.supplier), world.supplier.id))
        settings.behaviour, settings.invoice_behaviour = "accept", "over"
        db.session.commit()
        orderer = db.session.get(User, world.orderer.id)
        cart.add_item(orderer, world.items["KP-100"].id, Decimal(3))
        (order,) = orders.submit_cart(orderer, unit_id=world.school.id)
        lifecycle.change_status(order, OrderStatus.APPROVED, by=db.session.get(User, world.approver.id),
                                trigger=Trigger.APPROVER)
        db.session.commit()
        order_id = order.id
        run_once("test")  # the order goes out; the response and the despatch advice come back
        with clock_set_to(utcnow() + timedelta(minutes=2)):  # the invoice follows a minute after the delivery
            run_once("test")
    store.expire_all()
    assert store.scalar(select(SupplierSettings.invoice_behaviour)) == "over"
    (invoice,) = store.scalars(select(SupplierInvoice).where(SupplierInvoice.order_id == order_id))
    assert (invoice.number, invoice.status.value) == (f"F-IK-{order_id:06d}", "deviation")
    assert [line.quantity for line in invoice.lines] == [Decimal(4)]  # one over the 3 ordered and delivered
