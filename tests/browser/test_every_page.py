"""Issue 15: every HTML page of the app (tests/browser/scanned_pages.py) in headless Chromium, as the
roles that use it: no serious or critical axe-core finding, and no sideways scrolling at 320 px
(WCAG 1.4.10). tests/web/test_every_page_is_scanned.py keeps the list complete."""
from __future__ import annotations

from collections import defaultdict

import pytest
from browsing import assert_accessible, log_in
from playwright.sync_api import Page
from scanned_pages import ANON, ERROR_PAGES, PAGES
from web.test_authorization_matrix import RULES, _build, _url

pytestmark = pytest.mark.browser


def _sideways(page: Page) -> str | None:
    page.wait_for_load_state("load")
    wide, view = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return f"{wide} px wide in a {view} px viewport" if wide > view else None


def _long_unbroken_text(store, order_id: int) -> None:
    """The order every order page shows gets a 120-character word in its line, reference and note:
    a layout that only survives short words fails the 320 px check."""
    from sqlalchemy import update

    from webshop.orders.models import Order, OrderLine

    word = "Navneskilt" * 12
    store.execute(update(OrderLine).where(OrderLine.order_id == order_id).values(name=word))
    store.execute(update(Order).where(Order.id == order_id).values(buyer_reference=word[:100], note=word))
    store.commit()


def _reset_token(app, world) -> str:
    """A real password-reset link, so the page behind it is scanned too (the matrix's token is unknown)."""
    from datetime import timedelta

    from webshop.admin.users import issue_token
    from webshop.admin.users_models import TokenPurpose
    from webshop.extensions import db
    from webshop.orgs.models import User

    with app.app_context():
        token = issue_token(db.session.get(User, world.orderer.id), TokenPurpose.RESET, lifetime=timedelta(days=1))
        db.session.commit()
    return token


def test_every_page_passes_axe_and_reflows_at_320_px(live_server, browser, app, world, store, login_as):
    people, objects = _build(world, store, login_as, app)
    _long_unbroken_text(store, objects["lia"]["order"])
    first = {}
    for p in people:
        if p.municipality in (None, "lia") and (p.role or ANON) not in first:
            first[p.role or ANON] = p
    routes = {r.endpoint: r for r in app.url_map.iter_rules() if "GET" in r.methods}
    visits: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for endpoint, scan in PAGES.items():
        url = _url(routes[endpoint], RULES[endpoint], objects["lia"]) + scan.query
        for role in scan.roles:
            visits[role].append((f"{endpoint} as {role}", url, scan.status))
    for name, role, path, status in ERROR_PAGES:
        visits[role].append((name, path, status))
    visits[ANON].append(("account.set_password with a valid link", f"/konto/passord/{_reset_token(app, world)}", 200))

    failures: list[str] = []
    scanned = 0
    for role, pages in visits.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        if role != ANON:
            log_in(page, live_server, first[role].email)
        for name, url, status in pages:
            response = page.goto(live_server + url)
            if response is None or response.status != status:
                failures.append(f"{name}: {url} answered {response and response.status}, expected {status}")
                continue
            try:
                assert_accessible(page, name)
            except AssertionError as exc:
                failures.append(str(exc))
            page.set_viewport_size({"width": 320, "height": 640})
            if (problem := _sideways(page)) is not None:
                failures.append(f"{name}: at 320 px the page is {problem} (WCAG 1.4.10 reflow)")
            page.set_viewport_size({"width": 1280, "height": 900})
            scanned += 1
        context.close()
    assert scanned >= len(PAGES)
    assert not failures, f"{len(failures)} of {scanned} pages:\n" + "\n".join(failures)
