"""The orderer's "why": one calm line on the order page and the cart (issue 13)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from lxml import html

from webshop.cart.models import CartLine
from webshop.dbtypes import utcnow
from webshop.orders.models import Order, OrderLine
from webshop.orders.rules import OrderStatus


def _why(response):
    lines = html.fromstring(response.data).xpath("//p[contains(@class,'why-line')]")
    assert len(lines) == 1  # one line, never a wall of boxes
    return " ".join(lines[0].text_content().replace("\u00a0", " ").replace("\u202f", " ").split())


def test_order_page_says_what_it_saved_and_the_units_progress(world, store, login_as):
    now = utcnow()
    order = Order(organisation_id=world.org.id, unit_id=world.school.id, supplier_id=world.supplier.id,
                  agreement_id=world.agreement.id, orderer_id=world.orderer.id, status=OrderStatus.SENT,
                  submitted_at=now - timedelta(minutes=5), total=Decimal("520.00"), vat_total=Decimal("130.00"))
    order.lines = [OrderLine(line_no=1, item_id=world.items["KP-100"].id, name="Kopipapir A4 80 g", unit_code="XPK",
                             quantity=Decimal(10), unit_price=Decimal("52.00"), list_price=Decimal("67.30"),
                             vat_rate=Decimal(25), line_total=Decimal("520.00"))]
    store.add(order)
    store.commit()
    text = _why(login_as(world.orderer).get(f"/ordrer/{order.id}"))
    # (67.30 - 52.00) x 10 = 153 kr; no accounting this month yet: what the unit ordered
    assert text.startswith("Denne bestillingen sparer 153 kr mot listepris. Den går rett til leverandøren")
    assert "Lia skole har bestilt for 520 kr gjennom e-handel denne måneden" in text


def test_cart_says_it_too(world, store, login_as):
    store.add(CartLine(user_id=world.orderer.id, supplier_id=world.supplier.id, item_id=world.items["KP-100"].id,
                       quantity=Decimal(2), created_at=datetime.now(UTC)))
    store.commit()
    text = _why(login_as(world.orderer).get("/handlekurv"))
    assert text.startswith("Denne bestillingen sparer 31 kr mot listepris.")  # 15.30 x 2 = 30.60
