"""Every HTML page is scanned by axe-core in the browser tests (issue 15).

Asks every GET route as every role the authorization matrix allows (and anonymously where it
allows that); a route that answers an HTML page must be listed in tests/browser/scanned_pages.py,
and every page listed there must still answer HTML. Runs without a browser, so it fails on any
machine as soon as a page is added without a scan.
"""
from __future__ import annotations

from browser.scanned_pages import PAGES
from test_authorization_matrix import ANON, ORDERER, RULES, R, _build, _url

HOW_TO = ("add a line to PAGES in tests/browser/scanned_pages.py, e.g. "
          '"{endpoint}": scan({role}), so tests/browser/test_every_page.py scans it with axe-core')


def unscanned_pages(app, people, objects, login_as) -> tuple[list[str], list[str]]:
    """(HTML pages missing from PAGES, PAGES entries that no longer answer as listed)."""
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
            is_page, status, mimetype = response.mimetype == "text/html", response.status_code, response.mimetype
            response.close()
            if listed is None and is_page and status == 200:
                missing.append(f"{route.endpoint} ({route.rule}, as {role}): "
                               + HOW_TO.format(endpoint=route.endpoint, role=role.upper()))
                break
            if listed is not None and (not is_page or status != listed.status):
                stale.append(f"{route.endpoint} as {role}: expected an HTML page ({listed.status}), got {status} "
                             f"{mimetype}; fix or remove its line in tests/browser/scanned_pages.py")
    return missing, stale


def test_every_html_page_is_scanned(app, world, store, login_as):
    people, objects = _build(world, store, login_as, app)
    missing, stale = unscanned_pages(app, people, objects, login_as)
    assert not missing, "HTML pages no browser test scans:\n" + "\n".join(missing)
    assert not stale, "\n".join(stale)


def test_a_page_added_without_a_scan_is_caught(make_app, world, store, login_as, monkeypatch):
    other = make_app()
    other.add_url_rule("/ny-side", "demo.new_page", lambda: "<!doctype html><title>Ny</title><h1>Ny side</h1>")
    monkeypatch.setitem(RULES, "demo.new_page", R(ORDERER))
    people, objects = _build(world, store, login_as, other)
    missing, _stale = unscanned_pages(other, people, objects, lambda p: _client(other, p))
    assert ('demo.new_page (/ny-side, as orderer): add a line to PAGES in tests/browser/scanned_pages.py, '
            'e.g. "demo.new_page": scan(ORDERER), so tests/browser/test_every_page.py scans it with axe-core'
            ) in missing


def _client(app, person):
    from helpers import PASSWORD

    client = app.test_client()
    assert client.post("/logg-inn", data={"email": person.email, "password": PASSWORD}).status_code == 302
    return client


def test_the_list_names_only_routes_that_exist(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    gone = sorted(set(PAGES) - endpoints)
    assert not gone, f"tests/browser/scanned_pages.py lists endpoints that no longer exist: {gone}"
