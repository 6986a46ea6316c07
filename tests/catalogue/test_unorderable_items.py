"""Issue 10, item 13: hidden, discontinued and out-of-stock items cannot be ordered by posting
their id to the cart, neither at add nor at submit; the refusal names a substitute."""
from __future__ import annotations

import pytest
from helpers import page_text
from sqlalchemy import func, select
from test_catalogue_followups import import_v2, live_item
from test_catalogue_search import CSV_HEAD

from webshop.cart.models import CartLine
from webshop.catalogue.models import ItemCuration
from webshop.dbtypes import utcnow
from webshop.orders.models import Order

CATALOGUE = (CSV_HEAD + "KP-100;Kopipapir A4 80 g;500 ark;14111507;XPK;52.00\n"
             "KP-200;Kopipapir A4 80 g resirkulert;500 ark;14111507;XPK;55.00\n"
             "PEN-1;Kulepenn blå;Medium;44121704;EA;4.90\n"
             "FAR-1;Farin 1 kg;Brunt;50161509;KGM;31.50\n")  # OLD-1 is carried over, discontinued


def make_unorderable(store, world, how: str) -> None:
    if how == "hidden":
        store.add(ItemCuration(agreement_id=world.agreement.id, supplier_item_id="KP-100", hidden=True))
    elif how == "out_of_stock":
        live_item(store, "KP-100").out_of_stock_reported_at = utcnow()
    store.commit()


@pytest.fixture
def catalogue(app, tmp_path, world):
    import_v2(app, tmp_path, CATALOGUE)


@pytest.mark.parametrize("how", ["hidden", "out_of_stock"])
def test_adding_a_hidden_or_out_of_stock_item_is_refused_with_a_substitute(catalogue, world, login_as, store, how):
    make_unorderable(store, world, how)
    c = login_as(world.orderer)
    response = c.post("/handlekurv/legg-til", data={"item_id": live_item(store, "KP-100").id, "quantity": "1"},
                      follow_redirects=True)
    text = page_text(response)
    assert "Kopipapir A4 80 g kan ikke bestilles" in text
    assert "Forslag: Kopipapir A4 80 g resirkulert" in text
    assert store.scalar(select(func.count()).select_from(CartLine)) == 0


def test_adding_a_discontinued_item_is_refused(world, login_as, store):
    c = login_as(world.orderer)
    old = world.items["OLD-1"]  # in the live catalogue, marked discontinued
    response = c.post("/handlekurv/legg-til", data={"item_id": old.id, "quantity": "1"}, follow_redirects=True)
    assert "Utgått perm kan ikke bestilles: varen er utgått" in page_text(response)
    assert store.scalar(select(func.count()).select_from(CartLine)) == 0


@pytest.mark.parametrize("how", ["hidden", "out_of_stock"])
def test_submitting_an_item_hidden_or_sold_out_after_it_was_added_is_refused(catalogue, world, login_as, store,
                                                                             how):
    c = login_as(world.orderer)
    assert c.post("/handlekurv/legg-til", data={"item_id": live_item(store, "KP-100").id, "quantity": "1"}
                  ).status_code == 302
    assert store.scalar(select(func.count()).select_from(CartLine)) == 1
    make_unorderable(store, world, how)
    response = c.post("/handlekurv/send", data={"unit_id": world.school.id})
    assert response.status_code == 400
    text = page_text(response)
    assert "Kopipapir A4 80 g kan ikke bestilles" in text and "Forslag: Kopipapir A4 80 g resirkulert" in text
    assert store.scalar(select(func.count()).select_from(Order)) == 0
    assert store.scalar(select(func.count()).select_from(CartLine)) == 1  # the cart is kept
