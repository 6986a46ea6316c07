"""The supplier side through the web: a trainer sets a supplier to "partial: 2 lines
out of stock", an approved order is delivered by the worker, the simulator answers
with real EHF documents, the orderer sees the rejected lines and re-orders from a
substitute in one click, and the central buyer sees the out-of-stock flag."""
from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest
from helpers import page_text
from sqlalchemy import func, select

from webshop.cart.models import CartLine
from webshop.catalogue.models import CatalogueItem
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus

SETTINGS = {"transport": "folder", "endpoint_url": "", "behaviour": "partial", "out_of_stock_items": "",
            "out_of_stock_lines": "2", "backorder_days": "0", "quantity_change_percent": "0",
            "price_change_percent": "0", "answer_delay_seconds": "0", "delivery_parts": "1",
            "part_interval_minutes": "0"}


def add_substitute(app, world) -> int:
    """Kulepenn svart: same UNSPSC as Kulepenn blå, same agreement."""
    from webshop.extensions import db

    with app.app_context():
        item = CatalogueItem(catalogue_id=world.catalogue.id, supplier_item_id="PEN-2", name="Kulepenn svart",
                             unspsc="44121704", unit_code="EA", price=Decimal("5.10"))
        db.session.add(item)
        db.session.commit()
        return item.id


def place_and_approve(world, login_as, store, items=("KP-100", "PEN-1", "FAR-1")) -> Order:
    from webshop.extensions import db  # noqa: F401

    orderer = login_as(world.orderer)
    for key in items:
        assert orderer.post("/handlekurv/legg-til", data={"item_id": world.items[key].id, "quantity": "3"}
                            ).status_code == 302
    assert orderer.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302
    order = store.scalars(select(Order).order_by(Order.id.desc())).first()
    response = login_as(world.approver).post(f"/godkjenning/{order.id}", data={"approve": "1", "comment": ""})
    assert response.status_code == 302
    store.expire_all()
    assert store.get(Order, order.id).status == OrderStatus.APPROVED  # queued, not yet sent
    return order


def test_partial_supplier_rejected_lines_reorder_substitute_and_out_of_stock_flag(
        app, world, people, login_as, store):
    from webshop.delivery.worker import run_once

    substitute_id = add_substitute(app, world)
    trainer = login_as(people["trainer"])
    assert "Kontor AS" in page_text(trainer.get("/leverandorer"))
    response = trainer.post(f"/leverandorer/{world.supplier.id}/innstillinger", data=SETTINGS)
    assert response.status_code == 302

    order = place_and_approve(world, login_as, store)
    started = time.monotonic()
    with app.app_context():
        result = run_once("test")  # deliver → simulator answers → answers processed
    elapsed = time.monotonic() - started
    assert (result.delivered, result.simulated, result.processed, result.errors) == (1, 2, 2, [])
    assert elapsed < 5, elapsed

    store.expire_all()
    assert store.get(Order, order.id).status == OrderStatus.PARTLY_DELIVERED  # two lines missing
    orderer = login_as(world.orderer)
    page = page_text(orderer.get(f"/ordrer/{order.id}"))
    assert "Delvis levert" in page
    assert 'data-line="1" data-state="delivered"' in page, re.findall(r"data-line=\S+ data-state=\S+", page)
    assert 'data-line="2" data-state="rejected"' in page and 'data-line="3" data-state="rejected"' in page
    assert "Ikke på lager" in page and "Bestill erstatning: Kulepenn svart" in page

    pen_line = next(line for line in store.get(Order, order.id).lines if line.supplier_item_id == "PEN-1")
    response = orderer.post(f"/ordrer/{order.id}/linjer/{pen_line.id}/bestill-igjen", data={"substitute": "1"})
    assert response.status_code == 303 and response.headers["Location"] == "/handlekurv"  # a last look first
    store.expire_all()
    assert store.scalars(select(Order).order_by(Order.id.desc())).first().id == order.id  # no order yet
    assert [(ln.item_id, ln.quantity) for ln in store.scalars(select(CartLine))] == [(substitute_id, Decimal("3.000"))]
    assert 'data-line="2" data-state="reordered"' in page_text(orderer.get(f"/ordrer/{order.id}"))
    # once is enough: the line is no longer missing
    again = orderer.post(f"/ordrer/{order.id}/linjer/{pen_line.id}/bestill-igjen", data={"substitute": "1"})
    assert again.status_code == 303 and store.scalar(select(func.sum(CartLine.quantity))) == Decimal("3.000")

    far_line = next(line for line in store.get(Order, order.id).lines if line.supplier_item_id == "FAR-1")
    assert orderer.post(f"/ordrer/{order.id}/linjer/{far_line.id}/kanseller").status_code == 303
    store.expire_all()
    assert store.get(Order, order.id).status == OrderStatus.DELIVERED  # nothing more is missing
    assert [(e.action, e.from_status, e.to_status) for e in store.get(Order, order.id).events][-2:] == [
        ("line_cancelled", None, None), ("delivered", "partly_delivered", "delivered")]

    flagged = {i.supplier_item_id for i in store.scalars(select(CatalogueItem).where(
        CatalogueItem.out_of_stock_reported_at.is_not(None)))}
    assert flagged == {"PEN-1", "FAR-1"}
    buyer = login_as(people["buyer"])
    report = page_text(buyer.get("/leverandorer/utsolgt"))
    assert "Kulepenn blå" in report and "Farin 1 kg" in report and "Kopipapir" not in report
    stats = page_text(buyer.get("/leverandorer/statistikk"))
    assert "Kontor AS" in stats and "100\u00a0%" in stats  # one answered order, partly accepted («100 %», Babel)


def test_goods_receipt_all_part_and_damaged_and_cancel(app, world, people, login_as, store):
    from webshop.delivery.worker import run_once
    from webshop.supplier.models import OrderLineStatus

    login_as(people["trainer"]).post(f"/leverandorer/{world.supplier.id}/innstillinger",
                                     data={**SETTINGS, "behaviour": "accept"})
    order = place_and_approve(world, login_as, store, items=("KP-100", "PEN-1"))
    with app.app_context():
        run_once("test")
    store.expire_all()
    assert store.get(Order, order.id).status == OrderStatus.DELIVERED  # the despatch advice covered everything
    orderer = login_as(world.orderer)
    lines = store.get(Order, order.id).lines
    bad = {f"received-{lines[0].id}": "3", f"damaged-{lines[0].id}": "4",
           f"received-{lines[1].id}": "3", f"damaged-{lines[1].id}": "0"}
    response = orderer.post(f"/ordrer/{order.id}/mottak", data=bad, follow_redirects=True)
    assert "skadet antall kan ikke være mer enn mottatt" in page_text(response)
    assert store.scalar(select(OrderLineStatus.received_quantity).where(
        OrderLineStatus.order_line_id == lines[0].id)) == Decimal(0)  # nothing stored
    assert "er ikke et tall" in page_text(orderer.post(f"/ordrer/{order.id}/mottak", data={
        f"received-{lines[0].id}": "tre"}, follow_redirects=True))

    good = {f"received-{lines[0].id}": "3", f"damaged-{lines[0].id}": "1",
            f"received-{lines[1].id}": "2", f"damaged-{lines[1].id}": "0"}
    assert orderer.post(f"/ordrer/{order.id}/mottak", data=good).status_code == 303
    page = page_text(orderer.get(f"/ordrer/{order.id}"))
    assert "1 skadet" in page, page[page.find("line-status"):][:3000]
    store.expire_all()
    assert store.get(Order, order.id).status == OrderStatus.PARTLY_DELIVERED  # damaged and short: missing
    assert 'data-line="1" data-state="delivered"' in page, re.findall(r"data-line=\S+ data-state=\S+", page)
    assert orderer.post(f"/ordrer/{order.id}/linjer/{lines[1].id}/kanseller").status_code == 303
    assert 'data-line="2" data-state="cancelled"' in page_text(orderer.get(f"/ordrer/{order.id}"))
    assert orderer.post(f"/ordrer/{order.id}/mottak", data={"all": "1"}).status_code == 303
    store.expire_all()
    received = store.scalar(select(OrderLineStatus).where(OrderLineStatus.order_line_id == lines[0].id))
    assert (received.received_quantity, received.damaged_quantity) == (Decimal(3), Decimal(0))
    assert store.get(Order, order.id).status == OrderStatus.DELIVERED  # goods receipt of everything
    assert 'data-line="1" data-state="received"' in page_text(orderer.get(f"/ordrer/{order.id}"))


@pytest.mark.parametrize(("settings", "expected"), [
    ({"behaviour": "reject"}, OrderStatus.REJECTED_BY_SUPPLIER),
    ({"behaviour": "partial", "out_of_stock_lines": "1", "backorder_days": "5"}, OrderStatus.CONFIRMED),
    ({"behaviour": "accept", "delivery_parts": "3", "part_interval_minutes": "60"}, OrderStatus.PARTLY_DELIVERED),
    ({"behaviour": "accept"}, OrderStatus.DELIVERED),
    ({"behaviour": "silent"}, OrderStatus.SENT),
])
def test_order_status_follows_the_supplier(app, world, people, login_as, store, settings, expected):
    from webshop.delivery.worker import run_once

    login_as(people["trainer"]).post(f"/leverandorer/{world.supplier.id}/innstillinger",
                                     data={**SETTINGS, **settings})
    order = place_and_approve(world, login_as, store, items=("KP-100",))
    with app.app_context():
        assert run_once("test").errors == []
    store.expire_all()
    assert store.get(Order, order.id).status == expected
    trail = [(e.action, e.to_status) for e in store.get(Order, order.id).events if e.to_status]
    assert trail[-1] == (("sent", "sent") if expected == OrderStatus.SENT else (expected.value, expected.value))


def test_supplier_pages_are_forbidden_to_the_wrong_people(app, world, people, login_as, store):
    from webshop.delivery.worker import run_once

    order = place_and_approve(world, login_as, store, items=("KP-100",))
    with app.app_context():
        run_once("test")
    line_id = store.get(Order, order.id).lines[0].id
    orderer, approver = login_as(world.orderer), login_as(world.approver)
    other, buyer = login_as(world.other_orderer), login_as(people["buyer"])
    for path in ("/leverandorer", f"/leverandorer/{world.supplier.id}/innstillinger", "/leverandorer/statistikk",
                 "/leverandorer/utsolgt", "/leverandorer/karantene", "/leveranser/feilet"):
        assert orderer.get(path).status_code == 403, path
    assert buyer.get("/leveranser/feilet").status_code == 403  # a municipality's coordinator only
    assert buyer.get("/leverandorer/statistikk").status_code == 200
    # the approver may see the order but not receive goods or re-order
    assert approver.post(f"/ordrer/{order.id}/mottak", data={"all": "1"}).status_code == 403
    assert approver.post(f"/ordrer/{order.id}/linjer/{line_id}/kanseller").status_code == 403
    # another municipality: the order does not exist
    assert other.post(f"/ordrer/{order.id}/mottak", data={"all": "1"}).status_code == 404
    assert other.post(f"/ordrer/{order.id}/linjer/{line_id}/bestill-igjen").status_code == 404
    # a supplier without an agreement in the collaboration is not there
    assert login_as(people["trainer"]).get("/leverandorer/999999/innstillinger").status_code == 404


def test_supplier_settings_bad_input_stores_nothing(app, world, people, login_as, store):
    from webshop.supplier.models import SupplierSettings

    buyer = login_as(people["buyer"])  # transport and endpoint: the central buyer's fields (issue 10)
    response = buyer.post(f"/leverandorer/{world.supplier.id}/innstillinger",
                            data={**SETTINGS, "transport": "http", "endpoint_url": "", "delivery_parts": "99"})
    assert response.status_code == 400
    text = page_text(response)
    assert "Skriv adressen leverandøren tar imot ordrer på." in text and "Skriv et tall fra 1 til 10." in text
    assert "ds-error-summary" in text
    assert store.scalar(select(SupplierSettings).where(SupplierSettings.behaviour == "partial")) is None


def test_cart_warns_about_minimum_order_value_and_delivery_days_before_submit(app, world, login_as, store):
    from webshop.catalogue.models import Supplier

    supplier = store.get(Supplier, world.supplier.id)
    supplier.min_order_value, supplier.delivery_days = Decimal("500.00"), "Mon,Wed,Fri"
    store.commit()
    orderer = login_as(world.orderer)
    orderer.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id, "quantity": "2"})  # 104 kr
    page = page_text(orderer.get("/handlekurv"))
    summary = page.split('id="route-preview"', 1)[1].split("</ul>", 1)[0].replace("\xa0", " ")  # one calm list
    assert "Under minste ordreverdi 500,00 kr (mangler 396,00 kr)" in summary
    assert "Leverer: man, ons, fre" in summary
    orderer.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id, "quantity": "8"})  # 520 kr
    assert "minste ordreverdi" not in page_text(orderer.get("/handlekurv"))
