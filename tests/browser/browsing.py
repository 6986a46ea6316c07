"""What every browser test does: log in, scan with axe-core, check the phone width, screenshot."""
from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from helpers import PASSWORD
from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
AXE = Axe()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/logg-inn")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("button", name="Logg ut", include_hidden=True)).to_be_attached()  # phone: in the menu


def assert_accessible(page: Page, name: str) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    # Inject axe-core (half a megabyte of script) only into a document that does not have it yet:
    # several scans run on the same page, e.g. before and after a form is filled in.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.axe_script)
    response = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in response["violations"] if v.get("impact") in ("serious", "critical")]
    assert bad == [], f"{name}: " + "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in bad)


def assert_no_sideways_scroll(page: Page, name: str) -> None:
    # Measure the page a click led to once it has loaded with its stylesheets, not mid-navigation.
    page.wait_for_load_state("load")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{name}: page is {widths[0]} px wide in a {widths[1]} px viewport"


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
