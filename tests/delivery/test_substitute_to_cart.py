"""Issue 15: «Bestill erstatning» for 2 × «Oppvaskmiddel Zalo 5 l» the supplier could not deliver.
It used to send 2 × 500 ml straight to approval, drop the buyer reference and suggest dishwasher
tablets for dish soap. Now the quantity is converted by pack size (or the orderer is asked), the
lines go into the cart for a last look with the order's reference, and substitutes are ranked by
category, unit and pack."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from helpers import page_text
from sqlalchemy import select

from ehf.profiles import Profile
from webshop.cart.models import CartLine
from webshop.catalogue import packs
from webshop.catalogue.models import Agreement, CatalogueItem, Supplier
from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import DeliveryState, OrderStatus
from webshop.supplier.models import OrderLineStatus
from webshop.supplier.rules import LineResponse

ROWS = [  # as in the demo's cleaning catalogue: one UNSPSC code for all four
    ("VR204575", "Oppvaskmiddel Zalo 5 l", "EA", "179.00", "1"),
    ("VR204582", "Oppvaskmiddel Zalo 500 ml", "EA", "29.00", "1"),
    ("VR204593", "Maskinoppvasktabletter 100 stk", "XBX", "24.00", "100"),
    ("VR204604", "Maskinoppvask storkjøkken flytende 10 l", "EA", "429.00", "1"),
]


@pytest.fixture
def cleaning(world, app, store):
    """A cleaning supplier, and a sent order of 2 × Zalo 5 l the supplier rejected."""
    from webshop.catalogue.csv_import import ItemRow
    from webshop.catalogue.publish import import_catalogue
    from webshop.extensions import db

    with app.app_context():
        supplier = Supplier(key="vask", name="Vask AS", orgnr="987654321", endpoint_id="987654321",
                            profile=Profile.EHF_ORDERING, street="Gata 2", postcode="0150", city="Oslo")
        db.session.add(supplier)
        db.session.flush()
        agreement = Agreement(collaboration_id=db.session.get(type(world.org), world.org.id).collaboration_id,
                              reference="RA-VASK", title="Renhold", supplier_id=supplier.id,
                              valid_from=date(2024, 1, 1), valid_to=date(2099, 12, 31),
                              members=[db.session.get(type(world.org), world.org.id)])
        db.session.add(agreement)
        db.session.flush()
        import_catalogue(agreement, [ItemRow(n, sid, name, "", "47131810", unit, Decimal(price),
                                             pack_size=Decimal(pack))
                                     for n, (sid, name, unit, price, pack) in enumerate(ROWS, start=1)])
        db.session.commit()
        supplier_id, agreement_id = supplier.id, agreement.id
    items = {i.supplier_item_id: i for i in store.scalars(select(CatalogueItem).where(
        CatalogueItem.supplier_item_id.in_([r[0] for r in ROWS])))}
    return supplier_id, agreement_id, items


def _rejected_order(world, login_as, store, items, item_id: str, quantity: str) -> Order:
    c = login_as(world.orderer)
    assert c.post("/handlekurv/legg-til", data={"item_id": items[item_id].id, "quantity": quantity}).status_code == 302
    r = c.post("/handlekurv/send", data={"unit_id": world.school.id, "buyer_reference": "2100-renhold"})
    assert r.status_code == 302
    order = store.scalar(select(Order).order_by(Order.id.desc()))
    order.status = OrderStatus.CONFIRMED  # as if approved, sent, and answered: this line is not available
    line = order.lines[0]
    store.add(OrderDocument(order_id=order.id, kind="order", message_id=f"msg-{order.id}", filename="o.xml",
                            xml=b"<Order/>", state=DeliveryState.DELIVERED))
    store.add(OrderLineStatus(order_line_id=line.id, order_id=order.id, response=LineResponse.REJECTED,
                              confirmed_quantity=Decimal(0), delivered_quantity=Decimal(0),
                              received_quantity=Decimal(0), damaged_quantity=Decimal(0)))
    store.commit()
    return order


def test_the_substitute_goes_to_the_cart_in_the_same_amount_with_the_buyer_reference(world, login_as, store,
                                                                                         cleaning):
    _supplier, _agreement, items = cleaning
    order = _rejected_order(world, login_as, store, items, "VR204575", "2")
    orderer = login_as(world.orderer)
    page = page_text(orderer.get(f"/ordrer/{order.id}"))
    assert "Bestill erstatning: Oppvaskmiddel Zalo 500 ml" in page  # not dishwasher tablets
    r = orderer.post(f"/ordrer/{order.id}/linjer/{order.lines[0].id}/bestill-igjen", data={"substitute": "1"})
    assert r.status_code == 303 and r.headers["Location"] == "/handlekurv"
    assert [(ln.item_id, ln.quantity) for ln in store.scalars(select(CartLine))] == [
        (items["VR204582"].id, Decimal("20.000"))]  # 2 × 5 l = 20 × 500 ml
    assert store.scalar(select(Order.id).order_by(Order.id.desc())) == order.id  # nothing sent to approval
    cart = page_text(orderer.get("/handlekurv"))
    assert "2 × 5 l tilsvarer 20 × 0.5 l" in cart
    assert 'value="2100-renhold"' in cart  # the buyer reference is kept
    assert f"Erstatter linje 1 i ordre {order.number}" in cart
    assert orderer.post("/handlekurv/send", data={"unit_id": world.school.id,
                                                  "buyer_reference": "2100-renhold"}).status_code == 302
    new = store.scalar(select(Order).order_by(Order.id.desc()))
    assert (new.buyer_reference, [(ln.supplier_item_id, ln.quantity) for ln in new.lines]) == (
        "2100-renhold", [("VR204582", Decimal("20.000"))])


def test_when_the_packs_cannot_be_compared_the_orderer_is_asked(world, login_as, store, cleaning):
    _supplier, _agreement, items = cleaning
    order = _rejected_order(world, login_as, store, items, "VR204593", "3")  # 3 boxes of 100 tablets
    orderer = login_as(world.orderer)
    r = orderer.post(f"/ordrer/{order.id}/linjer/{order.lines[0].id}/bestill-igjen", data={"substitute": "1"})
    assert r.status_code == 200 and "Hvor mange Oppvaskmiddel Zalo 500 ml?" in page_text(r)
    assert store.scalar(select(CartLine)) is None
    r = orderer.post(f"/ordrer/{order.id}/linjer/{order.lines[0].id}/bestill-igjen",
                     data={"substitute": "1", "quantity": "1,5"})
    assert r.status_code == 303
    assert [(ln.item_id, ln.quantity) for ln in store.scalars(select(CartLine))] == [
        (items["VR204582"].id, Decimal("1.500"))]  # «1,5» with a decimal comma


@pytest.mark.parametrize("name, unit, pack, expected", [
    ("Oppvaskmiddel Zalo 5 l", "EA", "1", ("volume", "5")),
    ("Oppvaskmiddel Zalo 500 ml", "EA", "1", ("volume", "0.5")),
    ("Maskinoppvasktabletter 100 stk", "XBX", "100", ("count", "100")),
    ("Farin 1 kg", "KGM", "1", ("mass", "1")),
    ("Kulepenn blå", "EA", "1", None),
    ("Skuresvamp 10 stk", "XPK", "10", ("count", "10")),
    ("Hansker", "XBX", "50", ("count", "50")),
])
def test_content_of_one_unit(name, unit, pack, expected):
    found = packs.content(name, unit, Decimal(pack))
    assert (None if found is None else (found.dimension.value, f"{found.amount.normalize():f}")) == expected


@pytest.mark.parametrize("quantity, old, new, expected", [
    ("2", ("volume", "5"), ("volume", "0.5"), "20"),
    ("3", ("volume", "0.5"), ("volume", "5"), None),  # 0.3 of a 5 l can: ask
    ("19", ("volume", "0.5"), ("volume", "1"), "10"),  # 9.5 → 10, within 10 %
    ("2", ("volume", "5"), ("count", "100"), None),
    ("1", None, ("volume", "1"), None),
])
def test_convert_quantity(quantity, old, new, expected):
    def c(pair):
        return None if pair is None else packs.Content(packs.Dimension(pair[0]), Decimal(pair[1]))

    result = packs.convert_quantity(Decimal(quantity), c(old), c(new))
    assert (None if result is None else f"{result:f}") == expected


def test_dish_soap_ranks_above_dishwasher_tablets_and_machine_liquid():
    def score(new_name, new_unit, new_pack):
        old = packs.content("Oppvaskmiddel Zalo 5 l", "EA", Decimal(1))
        return packs.similarity("Oppvaskmiddel Zalo 5 l", "47131810", "EA", old, new_name, "47131810", new_unit,
                                packs.content(new_name, new_unit, Decimal(new_pack)))

    soap, machine, tablets = (score("Oppvaskmiddel Zalo 500 ml", "EA", "1"),
                              score("Maskinoppvask storkjøkken flytende 10 l", "EA", "1"),
                              score("Maskinoppvasktabletter 100 stk", "XBX", "100"))
    assert soap > machine > tablets


def test_lines_rejected_by_the_supplier_notify_the_orderer_and_top_the_order_page(world, login_as, store, app,
                                                                                   cleaning):
    """The order goes on («Bekreftet») while a line is refused: the orderer hears it and the page says so."""
    from ehf.order_response import LineStatus, OrderResponseLine, ResponseCode
    from ehf.order_response import OrderResponse as EhfOrderResponse
    from ehf.parties import PartyRef
    from webshop.extensions import db
    from webshop.orders.notices import NoticeKind, OrderNotice
    from webshop.supplier.followup import apply_order_response

    _supplier, _agreement, items = cleaning
    c = login_as(world.orderer)
    for sid in ("VR204575", "VR204582"):
        assert c.post("/handlekurv/legg-til", data={"item_id": items[sid].id, "quantity": "1"}).status_code == 302
    assert c.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302
    order = store.scalar(select(Order))
    order.status = OrderStatus.SENT
    store.commit()
    response = EhfOrderResponse(id="R1", issue_date=date(2026, 12, 1), order_id=order.number,
                                code=ResponseCode.CONDITIONALLY_ACCEPTED, seller=PartyRef(), buyer=PartyRef(),
                                lines=(OrderResponseLine("1", LineStatus.ACCEPTED, "Zalo 5 l"),
                                       OrderResponseLine("2", LineStatus.NOT_ACCEPTED, "Zalo 500 ml")))
    with app.app_context():
        from datetime import UTC, datetime

        apply_order_response(db.session.get(Order, order.id), response, now=datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
        db.session.commit()
    notice = store.scalar(select(OrderNotice))
    assert (notice.kind, notice.comment) == (NoticeKind.LINES_REJECTED, "Oppvaskmiddel Zalo 500 ml")
    page = page_text(c.get(f"/ordrer/{order.id}"))
    summary = page.split('id="order-summary"', 1)[1].split("</section>", 1)[0]
    assert f"Leverandøren kan ikke levere alle linjene i ordre {order.number}." in summary
    assert "Oppvaskmiddel Zalo 500 ml" in summary


def test_one_basket_for_two_suppliers_becomes_two_orders_on_one_overview(world, login_as, store, cleaning):
    _supplier, _agreement, items = cleaning
    c = login_as(world.orderer)
    for item_id in (world.items["PEN-1"].id, items["VR204575"].id):
        assert c.post("/handlekurv/legg-til", data={"item_id": item_id, "quantity": "1"}).status_code == 302
    cart = page_text(c.get("/handlekurv"))
    assert "Slik går bestillingen: 2 ordrer, én per leverandør" in cart
    r = c.post("/handlekurv/send", data={"unit_id": world.school.id})
    assert r.status_code == 302
    overview = page_text(c.get(r.headers["Location"]))
    orders = list(store.scalars(select(Order).order_by(Order.id)))
    assert len(orders) == 2 and "Bestillingen ble 2 ordrer" in overview
    assert all(o.number in overview for o in orders) and "Kontor AS" in overview and "Vask AS" in overview


def test_the_start_page_in_english(world, login_as):
    approver = login_as(world.approver)
    approver.post("/sprak", data={"locale": "en"}, headers={"Referer": "http://localhost/start"})
    html = page_text(approver.get("/start"))
    assert "0 orders wait for your approval" in html and "Nothing is waiting for you now." in html
    assert ">Menu</button>" in html


def test_ordering_the_same_item_again_keeps_the_buyer_reference(world, login_as, store, cleaning):
    _supplier, _agreement, items = cleaning
    order = _rejected_order(world, login_as, store, items, "VR204575", "2")
    r = login_as(world.orderer).post(f"/ordrer/{order.id}/linjer/{order.lines[0].id}/bestill-igjen")
    assert r.status_code == 303
    new = store.scalar(select(Order).order_by(Order.id.desc()))
    assert new.id != order.id and new.buyer_reference == "2100-renhold"  # not «2100», not empty
