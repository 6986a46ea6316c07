"""The approval pages in headless Chromium: the approver's inbox with filters, the review
page and bulk approval; the coordinator's policy and unit pages; the inbox on a 375 px
phone screen without sideways scrolling. Every page passes an axe-core scan (no serious
or critical issue)."""
from __future__ import annotations

import pytest
from browsing import assert_accessible, assert_no_sideways_scroll, log_in, shot
from playwright.sync_api import Page, expect
from sqlalchemy import select

from webshop.approvals.models import ApprovalDecision
from webshop.orders.models import Order

pytestmark = pytest.mark.browser



def place(login_as, world, quantity: str, free_text: str | None = None) -> None:
    c = login_as(world.orderer)
    assert c.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id,
                                                "quantity": quantity}).status_code == 302
    if free_text:
        assert c.post("/handlekurv/fritekst", data={"supplier_id": world.supplier.id, "description": free_text,
                                                    "quantity": "1", "unit_code": "EA",
                                                    "estimated_price": "100"}).status_code == 302
    assert c.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302



def test_approval_inbox_review_and_bulk_approve_in_the_browser(live_server, page: Page, world, store, login_as):
    page.set_default_timeout(15_000)
    place(login_as, world, "2")
    place(login_as, world, "40")
    place(login_as, world, "1", free_text="Navneskilt")
    orders = list(store.scalars(select(Order).order_by(Order.id)))
    small, large, free = orders

    log_in(page, live_server, world.approver.email)
    page.get_by_role("link", name="Til godkjenning").click()
    expect(page.get_by_text("3 ordrer venter på deg.")).to_be_visible()
    assert_accessible(page, "approval inbox")
    shot(page, "approval-inbox")

    page.get_by_label("Type").select_option("katalog")
    page.get_by_label("Fra beløp (kr)").fill("1000")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("1 ordre venter på deg.")).to_be_visible()
    expect(page.get_by_role("link", name=large.number)).to_be_visible()
    assert_accessible(page, "approval inbox filtered")
    page.get_by_label("Fra beløp (kr)").fill("-5")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Beløpet må være 0 eller mer.")
    assert_accessible(page, "approval inbox with a filter error")

    page.goto(f"{live_server}/godkjenning")
    page.get_by_role("link", name=free.number).click()
    expect(page.get_by_role("heading", name=f"Ordre {free.number}")).to_be_visible()
    expect(page.get_by_text("Avtalepris mot listepris")).to_be_visible()
    assert_accessible(page, "approval review")
    shot(page, "approval-review")

    page.goto(f"{live_server}/godkjenning")
    expect(page.get_by_label(f"Velg {free.number}")).to_have_count(0)  # free text: open it one by one
    page.get_by_label(f"Velg {small.number}").check()
    page.get_by_label(f"Velg {large.number}").check()
    page.get_by_role("button", name="Godkjenn valgte katalogordrer").click()
    done = page.get_by_role("status").filter(has_text="Godkjent:")
    expect(done).to_contain_text(small.number)
    expect(done).to_contain_text(large.number)
    expect(page.get_by_text("1 ordre venter på deg.")).to_be_visible()
    assert_accessible(page, "approval inbox after bulk approve")
    store.expire_all()
    assert {d.order_id for d in store.scalars(select(ApprovalDecision))} == {small.id, large.id}

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server}/godkjenning")
    expect(page.get_by_role("link", name=free.number)).to_be_visible()
    assert_no_sideways_scroll(page, "inbox at 375 px")
    assert_accessible(page, "approval inbox on a phone")
    shot(page, "approval-inbox-phone")
    page.get_by_role("link", name=free.number).click()
    page.wait_for_url(f"**/godkjenning/{free.id}")
    assert_no_sideways_scroll(page, "review page at 375 px")


def test_coordinator_policy_and_unit_pages_in_the_browser(live_server, page: Page, world, store, login_as):
    page.set_default_timeout(15_000)
    place(login_as, world, "2")
    log_in(page, live_server, world.coordinator.email)
    page.goto(f"{live_server}/admin/regler")
    assert_accessible(page, "approval policy")
    page.get_by_label("Godkjenn katalogordrer automatisk under", exact=False).fill("-1")
    page.get_by_role("button", name="Lagre reglene").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page, "approval policy with errors")
    shot(page, "approval-policy")

    page.goto(f"{live_server}/admin/enheter/{world.school.id}")
    expect(page.get_by_role("heading", name=world.school.name)).to_be_visible()
    assert_accessible(page, "unit page")
    page.get_by_label("Antall bestillere i forslaget").fill("1")
    page.get_by_role("button", name="Vis forslag").click()
    expect(page.locator("#proposal")).to_be_visible()
    assert_accessible(page, "unit page with proposal")
    shot(page, "approval-unit")
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server}/admin/enheter/{world.school.id}")
    assert_no_sideways_scroll(page, "unit page at 375 px")
    assert_accessible(page, "unit page on a phone")
