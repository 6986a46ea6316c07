"""Issue 6 in headless Chromium: a trainer sets the supplier to «partial: 2 lines out of stock»;
after one worker round the orderer sees the rejected lines on the order page (also on a 375 px
phone, without sideways scrolling) and re-orders one from a substitute in one click; the
coordinator opens the failed deliveries and the central buyer the out-of-stock report. Every
page passes an axe-core scan (no serious or critical issue)."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from browsing import assert_accessible, assert_no_sideways_scroll, log_in
from helpers import set_password
from playwright.sync_api import Page, expect
from sqlalchemy import select

from webshop.catalogue.models import CatalogueItem
from webshop.dbtypes import utcnow
from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import DeliveryState, OrderStatus
from webshop.orgs.models import Role, RoleAssignment, User

pytestmark = pytest.mark.browser





def person(store, world, email: str, name: str, role: Role) -> User:
    user = User(email=email, name=name, organisation_id=world.org.id)
    set_password(user)
    user.roles = [RoleAssignment(role=role, unit_id=None)]
    store.add(user)
    return user


def place_and_approve(world, login_as, store, items: tuple[str, ...]) -> int:
    orderer = login_as(world.orderer)
    for key in items:
        assert orderer.post("/handlekurv/legg-til", data={"item_id": world.items[key].id, "quantity": "3"}
                            ).status_code == 302
    assert orderer.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302
    order_id = store.scalar(select(Order.id).order_by(Order.id.desc()))
    assert login_as(world.approver).post(f"/godkjenning/{order_id}", data={"approve": "1", "comment": ""}
                                         ).status_code == 302
    return order_id


def test_partial_supplier_in_the_browser(app, live_server, page: Page, world, store, login_as):
    from webshop.delivery.worker import run_once

    page.set_default_timeout(15_000)
    trainer = person(store, world, "trener@lia.no", "Tora Trener", Role.TRAINER)
    buyer = person(store, world, "innkjop@lia.no", "Ingrid Innkjøp", Role.CENTRAL_BUYER)
    store.add(CatalogueItem(catalogue_id=world.catalogue.id, supplier_item_id="PEN-2", name="Kulepenn svart",
                            unspsc="44121704", unit_code="EA", price=Decimal("5.10")))
    store.commit()

    log_in(page, live_server, trainer.email)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Leverandører", exact=True).click()
    expect(page.get_by_role("heading", name="Leverandører og simulator")).to_be_visible()
    assert_accessible(page, "supplier settings list")
    page.get_by_role("link", name=re.compile(r"^Endre\s*: Kontor AS$")).click()
    page.get_by_label("Simulert leverandør").select_option(label="Delvis: varer utsolgt")
    page.get_by_label("Antall linjer utsolgt").fill("2")
    assert_accessible(page, "supplier settings form")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Innstillingene for Kontor AS er lagret.")).to_be_visible()
    expect(page.get_by_role("cell", name="Delvis: varer utsolgt")).to_be_visible()
    page.get_by_role("button", name="Logg ut").click()

    order_id = place_and_approve(world, login_as, store, ("KP-100", "PEN-1", "FAR-1"))
    with app.app_context():
        result = run_once("browser-test")
    assert (result.delivered, result.errors) == (1, [])
    store.expire_all()
    assert store.get(Order, order_id).status == OrderStatus.PARTLY_DELIVERED

    log_in(page, live_server, world.orderer.email)
    page.goto(f"{live_server}/ordrer/{order_id}")
    expect(page.get_by_role("heading", name="Sending og svar fra leverandør")).to_be_visible()
    expect(page.locator('tr[data-state="rejected"]')).to_have_count(2)
    expect(page.locator('tr[data-line="2"]')).to_contain_text("Avvist")
    expect(page.locator('tr[data-line="2"]')).to_contain_text("Ikke på lager")
    expect(page.get_by_text("Delvis levert").first).to_be_visible()
    assert_accessible(page, "order page with rejected lines")
    page.get_by_text("Registrer varemottak").click()
    expect(page.get_by_role("button", name="Alt er mottatt i god stand")).to_be_visible()
    assert_accessible(page, "order page with goods receipt open")

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    expect(page.locator('tr[data-state="rejected"]')).to_have_count(2)
    assert_no_sideways_scroll(page, "order page on a phone")
    assert_accessible(page, "order page on a phone")
    page.get_by_role("button", name=re.compile(r"^Bestill erstatning: Kulepenn svart")).click()
    expect(page.get_by_text("er lagt i handlekurven")).to_be_visible()  # a last look in the cart (issue 15)
    assert_no_sideways_scroll(page, "new order on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/ordrer/{order_id}")
    expect(page.locator('tr[data-line="2"]')).to_have_attribute("data-state", "reordered")
    page.get_by_role("button", name="Logg ut").click()

    # a delivery that failed: the coordinator's list
    failing = place_and_approve(world, login_as, store, ("KP-100",))
    document = store.scalar(select(OrderDocument).where(OrderDocument.order_id == failing))
    document.state, document.attempts = DeliveryState.FAILED, 3
    document.delivery_error = "Fikk ikke kontakt med leverandøren"
    document.next_attempt_at = utcnow() + timedelta(hours=1)
    store.commit()
    log_in(page, live_server, world.coordinator.email)
    page.goto(f"{live_server}/leveranser/feilet")
    expect(page.get_by_role("heading", name="Feilede leveranser")).to_be_visible()
    expect(page.get_by_role("cell", name="Fikk ikke kontakt med leverandøren")).to_be_visible()
    assert_accessible(page, "failed deliveries")
    page.get_by_role("button", name="Prøv igjen nå").click()
    expect(page.get_by_text("sendes på nytt ved neste runde")).to_be_visible()
    assert_accessible(page, "failed deliveries after retry")
    page.get_by_role("button", name="Logg ut").click()

    log_in(page, live_server, buyer.email)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Leverandører", exact=True).click()
    page.get_by_role("link", name="Meldt utsolgt").click()
    expect(page.get_by_role("heading", name="Meldt utsolgt")).to_be_visible()
    expect(page.get_by_role("cell", name="Kulepenn blå")).to_be_visible()
    expect(page.get_by_role("cell", name="Farin 1 kg")).to_be_visible()
    assert_accessible(page, "out of stock")
    page.get_by_role("link", name="Statistikk").click()
    assert_accessible(page, "supplier statistics")
    page.get_by_role("link", name="Karantene").click()
    assert_accessible(page, "quarantine")

    # the key a real supplier sends its answers with, shown once (also on a phone)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server}/leverandorer/{world.supplier.id}/innstillinger")
    page.get_by_role("button", name="Lag nøkkel").click()
    expect(page.get_by_role("heading", name="Ny nøkkel for Kontor AS")).to_be_visible()
    assert page.get_by_label("Nøkkel").input_value().startswith("ehfin_")
    assert_no_sideways_scroll(page, "new inbound key on a phone")
    assert_accessible(page, "new inbound key")
