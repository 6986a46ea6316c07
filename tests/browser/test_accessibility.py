"""Issue 15 in headless Chromium: ordering and approving with the keyboard only (Tab, typing, Enter;
no clicks), every control reached on the way shows where the focus is (WCAG 2.4.7), and a decimal
comma typed in the browser («149,50», «2,5») arrives as 149.50 and 2.5."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from browsing import assert_accessible, assert_no_sideways_scroll, log_in
from helpers import PASSWORD
from playwright.sync_api import Page, expect
from sqlalchemy import select

from webshop.cart.models import CartLine
from webshop.orders.models import Order

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
  const text = (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().slice(0, 80);
  return {tag: e.tagName.toLowerCase(), id: e.id, text: text, visible: visible};
}"""


class Keyboard:
    """Moves through a page with Tab only and records every control the focus lands on."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.unseen: list[str] = []  # controls whose focus could not be seen

    def tab_to(self, *, id: str | None = None, text: str | None = None, limit: int = 120) -> None:  # noqa: A002
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            f = self.page.evaluate(FOCUSED)
            if f["tag"] == "body":
                continue
            if not f["visible"]:
                self.unseen.append(f"{self.page.url}: <{f['tag']} id={f['id']!r}> {f['text']!r}")
            if (id is not None and f["id"] == id) or (text is not None and f["text"].startswith(text)):
                return
        raise AssertionError(f"Tab never reached id={id!r} text={text!r} on {self.page.url}")

    def type(self, value: str) -> None:
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(value)

    def enter(self) -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def keyboard_log_in(keys: Keyboard, base: str, email: str) -> None:
    keys.page.goto(f"{base}/logg-inn")
    keys.tab_to(id="email")
    keys.type(email)
    keys.tab_to(id="password")
    keys.type(PASSWORD)
    keys.enter()
    expect(keys.page.get_by_role("button", name="Logg ut")).to_be_attached()


def test_order_and_approve_with_the_keyboard_only(live_server, page: Page, world, store):
    page.set_default_timeout(15_000)
    keys = Keyboard(page)
    keyboard_log_in(keys, live_server, world.orderer.email)

    keys.tab_to(id="site-q")  # the search field in the header
    keys.type("farin")
    keys.enter()
    farin = world.items["FAR-1"]
    keys.tab_to(id=f"qty-{farin.id}")
    keys.type("2,5")  # a decimal comma, in Chromium
    keys.tab_to(text="Legg i kurv")
    keys.enter()
    expect(page.get_by_text("er lagt i handlekurven")).to_be_visible()

    page.goto(f"{live_server}/handlekurv")
    keys.tab_to(id="description")
    keys.type("Navneskilt til resepsjonen")
    keys.tab_to(id="estimated_price")
    keys.type("149,50")  # became 14 950 kr in a type="number" field under an English locale
    keys.tab_to(text="Legg til fritekstlinje")
    keys.enter()
    expect(page.get_by_text("Fritekstlinjen er lagt til")).to_be_visible()
    lines = store.scalars(select(CartLine).order_by(CartLine.id)).all()
    assert [(line.quantity, line.estimated_price) for line in lines] == [(Decimal("2.5"), None),
                                                                          (Decimal("1"), Decimal("149.50"))]
    expect(page.get_by_text("149,50\u00a0kr").first).to_be_visible()
    assert_accessible(page, "cart reached by keyboard")

    keys.tab_to(text="Send til godkjenning")
    keys.enter()
    expect(page.get_by_text("sendt til godkjenning").first).to_be_visible()
    order = store.scalars(select(Order).order_by(Order.id)).first()
    assert order is not None

    page.context.clear_cookies()
    keyboard_log_in(keys, live_server, world.approver.email)
    keys.tab_to(text="Til godkjenning")
    keys.enter()
    keys.tab_to(text=order.number)
    keys.enter()
    keys.tab_to(id="comment")
    keys.type("Greit")
    keys.tab_to(text="Godkjenn")
    keys.enter()
    expect(page.get_by_text(f"Ordre {order.number} er godkjent")).to_be_visible()

    assert keys.unseen == [], "controls without a visible focus:\n" + "\n".join(keys.unseen)


def test_the_focus_outline_is_really_drawn(live_server, page: Page):
    """The check above reads the computed style; this one compares pixels: the focused link looks different."""
    page.goto(f"{live_server}/logg-inn")
    link = page.get_by_role("link", name="Tilgjengelighetserklæring")
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    assert box is not None
    around = {"x": box["x"] - 8, "y": box["y"] - 8, "width": box["width"] + 16, "height": box["height"] + 16}
    before = page.screenshot(clip=around)  # the outline is drawn outside the link's own box
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Tilgjengelighetserklæring":
            break
    else:
        raise AssertionError("Tab never reached the footer link")
    assert page.screenshot(clip=around) != before


def test_a_long_unbroken_line_and_order_numbers_on_a_phone(live_server, browser, world, store, login_as):
    """A free-text line of one 200-character word stays inside the cart on a 320 px screen, and an
    order number is one unbroken «IK-000001», never «IK-/000001»."""
    c = login_as(world.orderer)
    assert c.post("/handlekurv/fritekst", data={"supplier_id": world.supplier.id, "description": "Å" * 200,
                                                "quantity": "1", "unit_code": "EA", "estimated_price": "10"}
                  ).status_code == 302
    assert c.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "1"}).status_code == 302
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, world.orderer.email)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server}/handlekurv")
        assert_no_sideways_scroll(page, f"cart with a long line at {width} px")
    page.get_by_role("button", name="Send til godkjenning").click()
    page.goto(f"{live_server}/ordrer")
    number = page.locator(".order-no").first
    expect(number).to_have_text(re.compile(r"^IK-\d{6}$"))  # the id differs on PostgreSQL (sequences go on)
    assert number.evaluate("e => e.getClientRects().length") == 1, "the order number wraps"
    assert number.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"  # in any column, however narrow
    assert_no_sideways_scroll(page, "orders at 320 px")
    context.close()
