"""Text an EHF document cannot carry is refused where it is typed, with the place of the bad
character, and nothing is stored (webshop/textsafety.py)."""
from __future__ import annotations

from helpers import page_text
from sqlalchemy import func, select

from webshop.cart.models import CartLine
from webshop.orders.models import Order


def count(store, model) -> int:
    return store.scalar(select(func.count()).select_from(model))


def test_free_text_line_with_a_control_character_is_refused(world, login_as, store):
    c = login_as(world.orderer)
    response = c.post("/handlekurv/fritekst", data={"supplier_id": world.supplier.id, "description": "Stoler\x1b[0m",
                                                     "quantity": "1", "unit_code": "EA", "estimated_price": "100"})
    assert response.status_code == 400
    assert "Teksten har et tegn som ikke kan brukes (U+001B, tegn nr. 7)" in page_text(response)
    assert count(store, CartLine) == 0


def test_free_text_line_with_ordinary_norwegian_text_is_kept(world, login_as, store):
    c = login_as(world.orderer)
    c.post("/handlekurv/fritekst", data={"supplier_id": world.supplier.id, "description": "Blåbær «økologisk» – 2 kg",
                                         "quantity": "1", "unit_code": "EA", "estimated_price": "100"})
    assert count(store, CartLine) == 1


def test_order_note_with_a_control_character_is_refused_and_no_order_is_made(world, login_as, store):
    c = login_as(world.orderer)
    c.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "2"})
    response = c.post("/handlekurv/send", data={"unit_id": world.school.id, "note": "Levér\nbak\x0bdøra",
                                                "buyer_reference": "Ref 12"})
    assert response.status_code == 400
    assert "U+000B, tegn nr. 10" in page_text(response)
    assert count(store, Order) == 0
    response = c.post("/handlekurv/send", data={"unit_id": world.school.id, "note": "Levér\nbak døra",
                                                "buyer_reference": "Ref\t12"})
    assert response.status_code == 400
    assert "Feltet kan ikke ha linjeskift eller tabulator (tegn nr. 4)" in page_text(response)
    assert count(store, Order) == 0
