"""THE LIST OF PAGES THE BROWSER TESTS SCAN WITH AXE-CORE: every GET route that answers HTML.

``tests/browser/test_every_page.py`` opens each page below in headless Chromium as the roles given,
with the objects of the authorization matrix (tests/web/test_authorization_matrix.py, ``_build``),
and fails on any serious or critical axe-core finding, or on sideways scrolling at 320 px (WCAG
1.4.10 reflow). ``tests/web/test_every_page_is_scanned.py`` (no browser needed) asks every GET route
as every role the matrix allows, and fails when one answers HTML but is missing here.

Added a page? Add one line to ``PAGES``: its endpoint, who opens it (the roles below, ANON for a
page without login) and, if it needs one, a query string. URL parameters (``<int:order_id>``…) are
filled in from the matrix's test objects, as ``RULES`` says there.
"""
from __future__ import annotations

from dataclasses import dataclass

ANON = "anonymous"
ORDERER, APPROVER, UNIT_MANAGER, COORDINATOR = "orderer", "approver", "unit_manager", "coordinator"
CENTRAL_BUYER, TRAINER = "central_buyer", "trainer"


@dataclass(frozen=True)
class Scan:
    roles: tuple[str, ...]
    query: str = ""
    status: int = 200  # what the page answers with the matrix's objects (404: an error page in the layout)


def scan(*roles: str, query: str = "", status: int = 200) -> Scan:
    return Scan(roles, query, status)


PAGES: dict[str, Scan] = {
    # without login
    "auth.login": scan(ANON),
    "account.forgot": scan(ANON),
    "account.set_password": scan(ANON, status=404),  # the matrix's token is unknown: the error page
    "pages.accessibility": scan(ANON, ORDERER),
    # the orderer's everyday
    "home.start": scan(ORDERER, APPROVER, COORDINATOR, CENTRAL_BUYER),
    "catalogue.search": scan(ORDERER, query="?q=penn"),
    "catalogue.mine": scan(ORDERER),
    "catalogue.edit_template": scan(ORDERER),
    "catalogue.request_missing": scan(ORDERER, query="?q=stiftemaskin"),
    "cart.show": scan(ORDERER),
    "orders.mine": scan(ORDERER, COORDINATOR),
    "orders.detail": scan(ORDERER, APPROVER),
    "api.tokens": scan(ORDERER),
    "api.openapi_page": scan(ORDERER),
    # approvers
    "approvals.inbox": scan(APPROVER),
    "approvals.review": scan(APPROVER),
    "approvals.substitutes": scan(APPROVER),
    # coordinators and unit managers
    "admin.overview": scan(COORDINATOR, UNIT_MANAGER),
    "admin.unit": scan(COORDINATOR),
    "admin.person": scan(COORDINATOR),
    "admin.policy": scan(COORDINATOR),
    "users.index": scan(COORDINATOR),
    "users.detail": scan(COORDINATOR),
    "leader.overview": scan(COORDINATOR),
    "leader.orderers": scan(COORDINATOR),
    "leader.report": scan(COORDINATOR),
    "leader.goals": scan(COORDINATOR),
    "leader.spend": scan(COORDINATOR),
    "supplier.failed": scan(COORDINATOR),
    # the central buyer
    "curation.overview": scan(CENTRAL_BUYER),
    "curation.search": scan(CENTRAL_BUYER, query="?q=penn"),
    "curation.item": scan(CENTRAL_BUYER),
    "curation.members": scan(CENTRAL_BUYER),
    "curation.quality": scan(CENTRAL_BUYER),
    "curation.requests": scan(CENTRAL_BUYER),
    "curation.synonyms": scan(CENTRAL_BUYER),
    "quality.zero_results": scan(CENTRAL_BUYER),
    "versions.history": scan(CENTRAL_BUYER),
    "versions.draft": scan(CENTRAL_BUYER),
    "supplier.settings_list": scan(CENTRAL_BUYER, TRAINER),
    "supplier.edit_settings": scan(CENTRAL_BUYER),
    "supplier.statistics": scan(CENTRAL_BUYER),
    "supplier.out_of_stock": scan(CENTRAL_BUYER),
    "supplier.quarantine": scan(CENTRAL_BUYER),
    "invoices.for_order": scan(ORDERER),  # issue 17
    "invoices.deviations": scan(ORDERER, APPROVER),
    "invoices.ready": scan(COORDINATOR),
    "invoices.tolerances": scan(COORDINATOR),
    # the training lab's trainer pages (issue 12)
    "lab.index": scan(TRAINER),
    "lab.create": scan(TRAINER),
    "lab.library": scan(TRAINER),
}

# Pages that are no route of their own: (name, role, path, expected status).
ERROR_PAGES: tuple[tuple[str, str, str, int], ...] = (
    ("404 page", ORDERER, "/finnes-ikke", 404),
    ("403 page", ORDERER, "/admin", 403),
    ("404 page without login", ANON, "/finnes-ikke", 404),
)
