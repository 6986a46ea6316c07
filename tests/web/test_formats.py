"""Issue 15: numbers and dates through Babel in both languages, a decimal comma accepted in every
numeric field, one order-number format that does not wrap, and English plurals."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import session
from helpers import page_text
from sqlalchemy import select

from webshop.cart.models import CartLine
from webshop.orders.models import Order
from webshop.params import BadNumber, parse_decimal, to_decimal
from webshop.templating import day, long_date, money, number, order_no, oslo_time, percent

NBSP = "\u00a0"


@pytest.fixture
def in_language(app):
    def use(locale: str):
        ctx = app.test_request_context("/")
        ctx.push()
        session["locale"] = locale
        return ctx
    return use


def test_norwegian_formats(in_language):
    ctx = in_language("nb")
    try:
        assert money(Decimal("1234.5")) == f"1{NBSP}234,50{NBSP}kr"
        assert money(Decimal("500")) == f"500,00{NBSP}kr"
        assert percent(Decimal("4.9")) == f"4,9{NBSP}%"
        assert number(Decimal("0.7")) == "0,7"
        assert oslo_time(datetime(2026, 12, 1, 17, 41, tzinfo=UTC)) == "01.12.2026, 18:41"
        assert day(date(2026, 12, 4)) == "4. des. 2026"
        assert long_date(date(2026, 12, 4)) == "4. desember 2026"
    finally:
        ctx.pop()


def test_english_formats(in_language):
    ctx = in_language("en")
    try:
        assert money(Decimal("260")) == f"NOK{NBSP}260.00"  # not «NOK260.00»
        assert money(Decimal("1234.5")) == f"NOK{NBSP}1,234.50"
        assert percent(Decimal("4.9")) == "4.9%"
        assert number(Decimal("0.7")) == "0.7"
        assert oslo_time(datetime(2026, 12, 1, 17, 41, tzinfo=UTC)) == "1 Dec 2026, 18:41"  # not «12/1/26, 6:41 PM»
        assert day(date(2026, 12, 4)) == "4 Dec 2026"
    finally:
        ctx.pop()


def test_order_number_is_one_unbreakable_piece():
    assert str(order_no("IK-000023")) == '<span class="order-no">IK-000023</span>'
    assert str(order_no("<x>")) == '<span class="order-no">&lt;x&gt;</span>'


@pytest.mark.parametrize(("typed", "value"), [
    ("149,50", Decimal("149.50")), ("149.50", Decimal("149.50")), ("1 234,50", Decimal("1234.50")),
    (f"1{NBSP}234,50", Decimal("1234.50")), ("1.234,50", Decimal("1234.50")), ("2,5", Decimal("2.5")),
])
def test_numbers_as_people_type_them(typed, value):
    assert parse_decimal(typed) == value


@pytest.mark.parametrize("typed", ["1e5", "NaN", "Infinity", "12,3,4", "abc", "", "1" * 41])
def test_what_is_not_a_number(typed):
    with pytest.raises(BadNumber):
        parse_decimal(typed)


def test_every_bounded_number_reads_a_decimal_comma(app):
    with app.test_request_context("/"):
        assert to_decimal(f"1{NBSP}234,5", low=0, high=10_000, places=3) == Decimal("1234.5")
        assert to_decimal("2,5", low=0, high=10) == Decimal("2.5")


def test_english_reads_a_thousands_comma():
    assert parse_decimal("2,500", "en") == Decimal("2500")
    assert parse_decimal("2,5", "en") == Decimal("2.5")


def test_a_decimal_comma_in_the_cart(world, login_as, store):
    c = login_as(world.orderer)
    assert c.post("/handlekurv/legg-til", data={"item_id": world.items["FAR-1"].id, "quantity": "2,5"}
                  ).status_code == 302
    assert c.post("/handlekurv/fritekst", data={"supplier_id": world.supplier.id, "description": "Navneskilt",
                                                "quantity": "1", "unit_code": "EA", "estimated_price": "149,50"}
                  ).status_code == 302
    lines = store.scalars(select(CartLine).order_by(CartLine.id)).all()
    assert [line.quantity for line in lines] == [Decimal("2.5"), Decimal("1")]
    assert lines[1].estimated_price == Decimal("149.50")  # not 14 950 kr
    html = page_text(c.get("/handlekurv"))
    assert 'value="2,5"' in html  # shown back with a decimal comma, in a text field
    assert 'type="number"' not in html
    line = lines[0]
    assert c.post(f"/handlekurv/{line.id}/antall", data={"quantity": "3,75"}).status_code == 302
    store.expire_all()
    assert store.get(CartLine, line.id).quantity == Decimal("3.75")


def test_a_decimal_comma_in_the_approval_filter(world, login_as):
    response = login_as(world.approver).get("/godkjenning?fra_belop=1+000,50")
    html = page_text(response)
    assert response.status_code == 200 and 'aria-invalid="true"' not in html  # accepted, no error
    assert 'value="1 000,50"' in html  # what was typed stays in the field


def test_order_numbers_look_the_same_everywhere(world, login_as, store):
    c = login_as(world.orderer)
    assert c.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "1"}).status_code == 302
    assert c.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302
    order = store.scalar(select(Order))
    for path in ("/katalog/mine-varer", "/ordrer"):
        html = page_text(c.get(path))
        assert f'<span class="order-no">{order.number}</span>' in html, path
        assert f"#{order.id}<" not in html, path


def test_english_plural_for_one_orderer(world, login_as):
    c = login_as(world.coordinator)
    c.post("/sprak", data={"locale": "en"})
    html = page_text(c.get(f"/admin/enheter/{world.school.id}?antall=1"))
    assert "If Lia skole had 1 orderer instead of" in html
    assert "1 orderers" not in html


def test_orders_per_month_with_a_decimal_comma(world, login_as):
    c = login_as(world.orderer)
    assert c.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "1"}).status_code == 302
    assert c.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302
    html = page_text(login_as(world.coordinator).get(f"/admin/enheter/{world.school.id}"))
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    assert cells and not [c for c in cells if re.fullmatch(r"\d+\.\d+", c)], cells  # «0.1» was shown with a point
    assert "0,1" in cells  # one order in twelve months: 0.083 a month


def test_shares_and_amounts_on_the_pages(world, login_as, store):
    from helpers import set_password

    from webshop.catalogue.models import Catalogue
    from webshop.orgs.models import Role, RoleAssignment, User

    buyer = User(email="innkjop@lia.no", name="Ingrid Innkjøp", organisation_id=world.org.id)
    set_password(buyer)
    buyer.roles = [RoleAssignment(role=Role.CENTRAL_BUYER, unit_id=None)]
    store.add(buyer)
    store.commit()
    catalogue_id = store.scalar(select(Catalogue.id))
    html = page_text(login_as(buyer).get(f"/forvaltning/katalog/{catalogue_id}/kvalitet"))
    assert f"Andel utgått: 25{NBSP}%" in html  # one of four items; was «25.0 %»
    html = page_text(login_as(world.coordinator).get("/admin/regler"))
    assert not re.search(r'value="\d+\.\d\d"', html)  # amounts in the fields were «500.00»
