"""The app's own error page (error.html, used for a too large upload) in headless Chromium: in the
layout, in Norwegian, saying the limit, and with no serious or critical axe-core finding."""
from __future__ import annotations

import pytest
from browsing import assert_accessible, assert_no_sideways_scroll
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_too_large_upload_page_is_in_the_layout_and_accessible(live_server, page: Page, app):
    page.set_default_timeout(15_000)
    page.goto(f"{live_server}/logg-inn")
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1000  # the live server shares this app: any larger body is refused
    try:
        with page.expect_navigation():
            page.evaluate("""() => {
                const form = document.querySelector('form');
                const big = document.createElement('textarea');
                big.name = 'padding'; big.value = 'x'.repeat(5000);
                form.appendChild(big); form.submit();
            }""")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    expect(page.get_by_role("heading", name="For stor fil")).to_be_visible()
    expect(page.get_by_text("Ingenting er lagret")).to_be_visible()
    assert_accessible(page, "413 page")
    page.set_viewport_size({"width": 375, "height": 667})
    assert_no_sideways_scroll(page, "413 page at 375 px")
