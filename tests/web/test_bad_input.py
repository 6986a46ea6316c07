"""Bad input gets a clear message and stores nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import page_text
from sqlalchemy import func, select

from webshop import create_app
from webshop.cart.models import CartLine
from webshop.config import TestConfig
from webshop.orders.models import Order


def count(store, model) -> int:
    return store.scalar(select(func.count()).select_from(model))


def test_empty_cart_cannot_be_submitted(world, login_as, store):
    c = login_as(world.orderer)
    response = c.post("/handlekurv/send", data={"unit_id": world.school.id})
    assert response.status_code == 400
    assert "Handlekurven er tom" in page_text(response)
    assert count(store, Order) == 0


@pytest.mark.parametrize("quantity, message", [
    ("-3", "større enn null"),
    ("0", "større enn null"),
    ("1000000", "høyst"),
    ("abc", "Ikke en gyldig desimalverdi"),
    ("", "Skriv inn et antall"),
    ("NaN", "større enn null"),
])
def test_bad_quantity_is_refused_when_adding(world, login_as, quantity, message, store):
    c = login_as(world.orderer)
    response = c.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": quantity},
                      follow_redirects=True)
    assert message in page_text(response)
    assert count(store, CartLine) == 0


@pytest.mark.parametrize("quantity", ["-1", "99999", "0.0001"])
def test_bad_quantity_is_refused_when_changing(world, login_as, quantity, store):
    c = login_as(world.orderer)
    c.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "2"})
    line = store.scalar(select(CartLine))
    response = c.post(f"/handlekurv/{line.id}/antall", data={"quantity": quantity})
    assert response.status_code == 400
    assert "Dette må rettes" in page_text(response)
    store.expire_all()
    assert store.get(CartLine, line.id).quantity == Decimal("2")


def test_tampered_price_in_the_form_is_ignored(world, login_as, store):
    c = login_as(world.orderer)
    c.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id, "quantity": "1", "price": "0.01",
                                         "unit_price": "0.01"})
    c.post("/handlekurv/send", data={"unit_id": world.school.id, "price": "0.01", "total": "0.01"})
    order = store.scalar(select(Order))
    assert order.lines[0].unit_price == Decimal("52.00")
    assert order.total == Decimal("52.00")


def test_discontinued_and_unknown_items_cannot_be_added(world, login_as, store):
    c = login_as(world.orderer)
    response = c.post("/handlekurv/legg-til", data={"item_id": world.items["OLD-1"].id, "quantity": "1"},
                      follow_redirects=True)
    assert "Utgått perm kan ikke bestilles: varen er utgått" in page_text(response)  # and why (issue 10)
    for item_id in (999999, "x"):
        response = c.post("/handlekurv/legg-til", data={"item_id": item_id, "quantity": "1"}, follow_redirects=True)
        assert "finnes ikke" in page_text(response) or "Ugyldig vare" in page_text(response)
    assert count(store, CartLine) == 0


def test_another_users_cart_line_cannot_be_changed(world, login_as, store):
    other = login_as(world.orderer_approver)
    other.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "2"})
    line = store.scalar(select(CartLine))
    c = login_as(world.orderer)
    assert c.post(f"/handlekurv/{line.id}/antall", data={"quantity": "50"}).status_code == 404
    assert c.post(f"/handlekurv/{line.id}/fjern").status_code == 404
    store.expire_all()
    assert store.get(CartLine, line.id).quantity == Decimal("2")


def test_free_text_line_needs_description_and_sane_price(world, login_as, store):
    c = login_as(world.orderer)
    response = c.post("/handlekurv/fritekst", data={"supplier_id": world.supplier.id, "description": "",
                                                     "quantity": "1", "unit_code": "EA", "estimated_price": "-5"})
    html = page_text(response)
    assert response.status_code == 400
    assert "Beskriv varen" in html and "Prisen må være mellom" in html
    assert count(store, CartLine) == 0


def test_forms_need_a_csrf_token(world, tmp_path, store):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=store.bind.url.render_as_string(hide_password=False),
                     WTF_CSRF_ENABLED=True, OUTBOX_DIR=str(tmp_path))
    c = app.test_client()
    response = c.post("/logg-inn", data={"email": world.orderer.email, "password": "Correct-horse-9"})
    assert response.status_code == 400
    assert "Skjemaet er utløpt" in page_text(response)
    assert c.get("/katalog").status_code == 302  # not logged in
    with app.app_context():
        from webshop.extensions import db

        db.engine.dispose()


def test_same_cart_submitted_twice_at_once_makes_one_order_concurrent(world, app, store):
    """Two tabs pressing «Send» together: one order, and a clear message in the other tab. The two
    requests are made to overlap (tests/overlap.py): both read the full cart before either commits."""
    from helpers import PASSWORD
    from overlap import Overlap

    from webshop.extensions import db

    tabs = [app.test_client(), app.test_client()]
    for tab in tabs:
        tab.post("/logg-inn", data={"email": world.orderer.email, "password": PASSWORD})
    tabs[0].post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "3"})
    with app.app_context():
        engine = db.engine
    with Overlap(engine, arm=lambda sql: sql.startswith("DELETE FROM cart_lines"), expect_wait=True) as forced:
        outcome = forced.run(*(lambda tab=tab: tab.post("/handlekurv/send", data={"unit_id": world.school.id})
                               for tab in tabs))
    assert outcome["winner"].status_code == 302 and outcome["loser"].status_code == 400
    assert "Handlekurven er allerede sendt" in page_text(outcome["loser"])  # not "empty": it read the full cart
    assert forced.rowcounts("loser", "DELETE FROM cart_lines") == [0]
    assert count(store, Order) == 1
