"""Every HTML page is scanned by axe-core in the browser tests (issue 15).

Asks every GET route as every role the authorization matrix allows (and anonymously where it
allows that); a route that answers an HTML page must be listed in tests/browser/scanned_pages.py,
and every page listed there must still answer HTML. Runs without a browser, so it fails on any
machine as soon as a page is added without a scan.
"""
from __future__ import annotations

import sys
from pathlib import Path

from test_authorization_matrix import ANON, RULES, _build, _url

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from scanned_pages import PAGES  # noqa: E402

HOW_TO = ("add a line to PAGES in tests/browser/scanned_pages.py, e.g. "
          '"{endpoint}": scan({role}), so tests/browser/test_every_page.py scans it with axe-core')


def test_every_html_page_is_scanned(app, world, store, login_as):
    people, objects = _build(world, store, login_as, app)
    first = {}  # role -> one person of the own municipality
    for p in people:
        if p.municipality in (None, "lia") and (p.role or ANON) not in first:
            first[p.role or ANON] = p
    clients = {role: (login_as(p) if p.email else app.test_client()) for role, p in first.items()}
    missing, stale = [], []
    for route in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        rule = RULES.get(route.endpoint)
        if "GET" not in route.methods or rule is None:
            continue  # a route without a rule fails the authorization matrix
        roles = sorted(rule.allow) + ([ANON] if rule.anon == "ok" else [])
        listed = PAGES.get(route.endpoint)
        url = _url(route, rule, objects["lia"])
        for role in roles:
            if listed is not None and role not in listed.roles:
                continue
            response = clients[role].get(url + (listed.query if listed else ""))
            is_page = response.mimetype == "text/html"
            status = response.status_code
            response.close()
            if listed is None and is_page and status == 200:
                missing.append(f"{route.endpoint} ({route.rule}, as {role}): "
                               + HOW_TO.format(endpoint=route.endpoint, role=role.upper()))
                break
            if listed is not None and (not is_page or status != listed.status):
                stale.append(f"{route.endpoint} as {role}: expected an HTML page ({listed.status}), got {status} "
                             f"{response.mimetype}; fix or remove its line in tests/browser/scanned_pages.py")
    assert not missing, "HTML pages no browser test scans:\n" + "\n".join(missing)
    assert not stale, "\n".join(stale)


def test_the_list_names_only_routes_that_exist(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    gone = sorted(set(PAGES) - endpoints)
    assert not gone, f"tests/browser/scanned_pages.py lists endpoints that no longer exist: {gone}"
