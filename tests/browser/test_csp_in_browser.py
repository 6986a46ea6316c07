"""Issue 10, item 9 in headless Chromium: the pages an orderer and an approver use load with the
Content-Security-Policy (no unsafe-inline) without a single violation reported in the console."""
from __future__ import annotations

import pytest
from browsing import log_in
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_pages_run_under_the_csp_without_violations(live_server, page: Page, world):
    page.set_default_timeout(15_000)
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.on("pageerror", lambda e: messages.append(str(e)))
    log_in(page, live_server, world.orderer.email)
    for path in ("/katalog?q=papir", "/handlekurv", "/ordrer", "/katalog/mine-varer", "/profil/api-nokler"):
        response = page.goto(live_server + path)
        assert response is not None and "frame-ancestors 'none'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    assert [m for m in messages if "Content Security Policy" in m] == []
    # The check can fail: an inline style attribute is refused and reported.
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text, timeout=5_000):
        page.evaluate("""() => document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>')""")
    assert any("Content Security Policy" in m for m in messages)
