"""Issue 15, «Done when»: a 3-item order in at most 10 actions from a cold start and at most 4 from a
template, on a desk and on a 375 px phone, and at least four search results on a 375 × 667 screen.

Actions are counted the way the issue counts them: every click or key press, and every typed field.
A cold start is an orderer just logged in, on the start page, with an empty cart and no favourites
or templates. Logging in is not counted (the issue's 16 actions did not count it either).
With ``UPDATE_SCREENSHOTS=1`` the last test writes the README's screenshots to docs/screenshots/.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from browsing import assert_accessible, assert_no_sideways_scroll
from helpers import PASSWORD
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from webshop.orders.models import Order

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}


@dataclass
class Counted:
    """The user's actions on ``page``, counted: clicks and keys, and typed fields."""

    page: Page
    clicks_and_keys: int = 0
    typed_fields: int = 0
    log: list[str] = field(default_factory=list)

    def click(self, target: Locator) -> None:
        target.click()
        self.clicks_and_keys += 1
        self.log.append("click")

    def type(self, target: Locator, text: str) -> None:
        target.fill(text)
        self.typed_fields += 1
        self.log.append(f"type {text!r}")

    def key(self, target: Locator, key: str) -> None:
        target.press(key)
        self.clicks_and_keys += 1
        self.log.append(key)

    @property
    def total(self) -> int:
        return self.clicks_and_keys + self.typed_fields


def _page(browser, live_server: str, email: str, viewport: dict, password: str = PASSWORD) -> Page:
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server}/logg-inn")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hei,")  # the start page
    return page


def _search_and_add(user: Counted, query: str, item: str) -> None:
    box = user.page.get_by_label("Søk i katalogen")
    user.type(box, query)
    user.key(box, "Enter")
    user.click(user.page.get_by_role("button", name=f"Legg i kurv: {item}"))
    expect(user.page.get_by_text(f"{item} er lagt i handlekurven")).to_be_visible()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_three_items_from_a_cold_start_in_at_most_ten_actions(live_server, browser, world, store, viewport):
    page = _page(browser, live_server, world.orderer.email, viewport)
    assert_accessible(page, "start page")
    user = Counted(page)
    _search_and_add(user, "kopipapir", "Kopipapir A4 80 g")
    _search_and_add(user, "kulepenn", "Kulepenn blå")
    _search_and_add(user, "farin", "Farin 1 kg")
    assert_accessible(page, "cart")
    assert_no_sideways_scroll(page, "cart")
    user.click(page.get_by_role("button", name="Send til godkjenning"))
    expect(page.get_by_role("heading", name="Bestillingen ble 1 ordre")).to_be_visible()
    assert_accessible(page, "after submit")
    assert (user.total, user.clicks_and_keys, user.typed_fields) == (10, 7, 3), user.log
    order = store.scalar(select(Order))
    assert sorted(line.supplier_item_id for line in order.lines) == ["FAR-1", "KP-100", "PEN-1"]
    page.context.close()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_three_items_from_a_template_in_at_most_four_actions(live_server, browser, world, store, viewport):
    from webshop.catalogue.models import OrderTemplate, OrderTemplateLine

    template = OrderTemplate(unit_id=world.school.id, name="Kontoret hver mandag", created_by_id=world.orderer.id)
    for sid, quantity in (("KP-100", "5"), ("PEN-1", "20"), ("FAR-1", "2")):
        item = world.items[sid]
        template.lines.append(OrderTemplateLine(agreement_id=world.agreement.id, supplier_item_id=sid,
                                                item_id=item.id, quantity=Decimal(quantity)))
    store.add(template)
    store.commit()
    page = _page(browser, live_server, world.orderer.email, viewport)
    user = Counted(page)
    user.click(page.get_by_role("button", name="Legg i kurv: Kontoret hver mandag"))
    expect(page.get_by_text("3 varer lagt i handlekurven")).to_be_visible()
    user.click(page.get_by_role("button", name="Send til godkjenning"))
    expect(page.get_by_role("heading", name="Bestillingen ble 1 ordre")).to_be_visible()
    assert user.total <= 4 and user.total == 2, user.log
    assert len(store.scalar(select(Order)).lines) == 3
    page.context.close()


def test_on_a_phone_the_header_collapses_and_four_results_fit(live_server, browser, world, store):
    page = _page(browser, live_server, world.orderer.email, PHONE)
    header = page.locator("header.site-header")
    menu = page.get_by_role("button", name="Meny")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation", name="Hovedmeny")).to_be_hidden()
    expect(page.locator("[data-count='cart']")).to_be_visible()  # the counts stay in sight
    height = header.bounding_box()["height"]
    assert height <= 110, f"the header takes {height} px"
    menu.click()
    expect(page.get_by_role("navigation", name="Hovedmeny")).to_be_visible()
    expect(page.get_by_role("link", name="API-nøkler")).to_be_visible()
    assert_accessible(page, "phone menu open")
    page.goto(f"{live_server}/katalog")
    rows = page.locator("table.result-table tbody tr")
    expect(rows).to_have_count(4)
    header_height = page.locator("header.site-header").bounding_box()["height"]
    cards = [rows.nth(i).bounding_box()["height"] for i in range(4)]
    assert header_height + sum(cards) <= PHONE["height"], (header_height, cards)
    assert_no_sideways_scroll(page, "phone search")
    assert_accessible(page, "phone search")
    page.context.close()


def test_readme_screenshots(live_server, browser, seeded_demo, app):
    """The README's pictures, from the demo data: the start page, the cart, the phone layout."""
    target = ROOT / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else ROOT / "artifacts"
    target.mkdir(parents=True, exist_ok=True)
    demo = tomllib.loads((ROOT / "seed" / "data" / "demo.toml").read_text(encoding="utf-8"))
    ola = next(u for u in demo["users"] if u["email"].startswith("ola.brekke"))
    page = _page(browser, live_server, ola["email"], DESK, ola["password"])
    page.screenshot(path=str(target / "start-page.png"), full_page=True)
    for query, item in (("kopipapir data copy", "Kopipapir Data Copy A4 80 g 500 ark"),):
        page.get_by_label("Søk i katalogen").fill(query)
        page.get_by_label("Søk i katalogen").press("Enter")
        page.get_by_role("button", name=f"Legg i kurv: {item}").click()
    expect(page.get_by_role("heading", name="Handlekurv", exact=True)).to_be_visible()
    assert_accessible(page, "demo cart")
    page.screenshot(path=str(target / "cart.png"), full_page=True)
    page.context.close()
    phone = _page(browser, live_server, ola["email"], PHONE, ola["password"])
    phone.goto(f"{live_server}/katalog?q=kopipapir")
    phone.screenshot(path=str(target / "phone-search.png"))
    phone.context.close()
