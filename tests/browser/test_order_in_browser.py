"""A real user's path in headless Chromium: log in, search, fill the cart, submit;
the approver approves; every page passes an axe-core scan (no serious or critical issue)."""
from __future__ import annotations

import pytest
from browsing import assert_accessible, assert_no_sideways_scroll, log_in, shot
from helpers import outbox_files
from playwright.sync_api import Page, expect
from sqlalchemy import select

from webshop.orders.models import Order

pytestmark = pytest.mark.browser





def test_place_and_approve_an_order_in_the_browser(live_server, page: Page, world, store, app):
    page.set_default_timeout(15_000)
    page.goto(f"{live_server}/logg-inn")
    assert_accessible(page, "login")
    page.get_by_role("button", name="Logg inn").click()  # empty form: errors summarised at the top
    expect(page.get_by_role("alert")).to_contain_text("Skriv inn e-postadressen din")
    assert_accessible(page, "login with errors")

    log_in(page, live_server, world.orderer.email)
    page.get_by_label("Søk i katalogen").fill("kopipapir")
    page.get_by_label("Søk i katalogen").press("Enter")
    expect(page.get_by_text("1 treff")).to_be_visible()
    assert_accessible(page, "search")
    shot(page, "search")
    page.get_by_label("Antall Kopipapir A4 80 g").fill("3")
    page.get_by_role("button", name="Legg i kurv: Kopipapir A4 80 g").click()
    expect(page.get_by_text("er lagt i handlekurven")).to_be_visible()

    page.get_by_role("link", name="Handlekurv").click()
    page.get_by_label("Hva trenger du?").fill("Navneskilt til resepsjonen")
    page.get_by_label("Antatt pris per enhet, eks. mva. (kr)").fill("250")
    page.get_by_role("button", name="Legg til fritekstlinje").click()
    expect(page.get_by_text("Fritekstlinjen er lagt til")).to_be_visible()
    assert_accessible(page, "cart")
    shot(page, "cart")
    page.get_by_label("Deres referanse / ansvarsnummer").fill("Prosjekt 7")
    page.get_by_role("button", name="Send til godkjenning").click()
    expect(page.get_by_text("Bestillingen er sendt til godkjenning")).to_be_visible()
    expect(page.get_by_text("Venter på godkjenning").first).to_be_visible()
    assert_accessible(page, "order pending")

    page.get_by_role("button", name="Logg ut").click()
    log_in(page, live_server, world.approver.email)
    page.get_by_role("link", name="Til godkjenning").click()
    assert_accessible(page, "inbox")
    order = store.scalar(select(Order))
    page.get_by_role("link", name=order.number).click()
    page.get_by_label("Kommentar (må fylles ut ved avvisning eller retur)").fill("Greit")
    assert_accessible(page, "order to approve")
    page.get_by_role("button", name="Godkjenn", exact=True).click()
    expect(page.get_by_text(f"Ordre {order.number} er godkjent og sendes til")).to_be_visible()

    from webshop.delivery.worker import run_once  # approval queues; the delivery worker sends

    with app.app_context():
        run_once("test")
    page.goto(f"{live_server}/ordrer/{order.id}")
    expect(page.get_by_text("Levert til leverandøren").first).to_be_visible()
    assert_accessible(page, "order sent")
    shot(page, "order-sent")
    assert len(outbox_files(app)) == 1


def test_phone_sized_screen_keeps_the_cart_usable(live_server, browser, world):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, world.orderer.email)
    page.get_by_label("Søk i katalogen").fill("kulepenn")
    page.keyboard.press("Enter")
    button = page.get_by_role("button", name="Legg i kurv: Kulepenn blå")
    button.focus()
    page.keyboard.press("Enter")  # keyboard only
    expect(page.get_by_text("er lagt i handlekurven")).to_be_visible()
    assert_no_sideways_scroll(page, "search at 375 px")
    page.goto(f"{live_server}/handlekurv")  # rows become cards on a phone: each value keeps its column name
    sum_cell = page.locator("td[data-label='Sum']").first  # the line's sum (issue 15)
    expect(sum_cell).to_contain_text("4,90")
    label = sum_cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Sum"'
    shot(page, "cart-phone")
    assert_accessible(page, "phone search")
    context.close()
