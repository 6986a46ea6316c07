"""No form input gives a 500 (issue 15): every form on every page, as every role that sees it,
sent with each field in turn set to something awkward (only spaces, a decimal comma, a huge or
negative number, a NUL byte, very long text) and the other fields as the page filled them in.

The pages and their forms are found by crawling every GET route of the authorization matrix
(tests/web/test_authorization_matrix.py) as the roles it allows, so a new form is covered as
soon as its page is in the matrix.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html
from test_authorization_matrix import RULES, _build, _url

AWKWARD = ["   ", "2,5", "9" * 40, "ø" * 5000]  # a NUL: test_error_pages_in_layout.py (refused before any view)
SKIP_ACTIONS = ("/logg-ut", "/sprak")  # would end the session or switch the language under the crawl
FIELD_TYPES = {"text", "search", "number", "email", "hidden", "textarea", "date", "url", "tel", "password"}


def _forms(page: str, url: str) -> list[tuple[str, str, dict[str, str], list[str]]]:
    """(method, action, the form's own values, the fields to vary) of every form on the page."""
    found = []
    for form in lxml_html.fromstring(page).forms:
        method = (form.method or "GET").upper()
        action = urlsplit(urljoin(url, form.action or url)).path
        if action.startswith(SKIP_ACTIONS):
            continue
        values: dict[str, str] = {}
        vary = []
        for el in form.inputs:
            name = el.get("name")
            if not name:
                continue
            kind = "textarea" if el.tag == "textarea" else (el.get("type") or "text").lower()
            if el.tag == "select":
                options = el.value_options
                values[name] = str(el.value or (options[0] if options else ""))
                vary.append(name)
            elif kind in ("checkbox", "radio"):
                if el.checked:
                    values[name] = el.get("value") or "y"
            elif kind in ("submit", "button"):
                continue
            else:
                values[name] = el.value or ""
                if kind in FIELD_TYPES and name != "csrf_token":
                    vary.append(name)
        found.append((method, action, values, vary))
    return found


def test_no_form_input_gives_a_server_error(app, world, store, login_as):
    people, objects = _build(world, store, login_as, app)
    crashes: list[str] = []
    seen: set[tuple[str | None, str, tuple[str, ...]]] = set()
    for person in people:
        if person.role is None or person.municipality != "lia":
            continue
        client = login_as(person)
        pages = []
        for route in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            rule = RULES.get(route.endpoint)
            if rule is None or "GET" not in route.methods or person.role not in rule.allow or rule.stage:
                continue
            url = _url(route, rule, objects["lia"])
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                pages.append((url, response.get_data(as_text=True)))
            response.close()
        for url, page in pages:
            for method, action, values, vary in _forms(page, url):
                # one form of a kind per role: the same form on every row of a list is tried once
                key = (person.role, method + re.sub(r"\d+", "N", action), tuple(sorted(values)))
                if key in seen:
                    continue
                seen.add(key)
                for name in vary:
                    for awkward in AWKWARD:
                        data = {**values, name: awkward}
                        try:
                            response = (client.post(action, data=data) if method == "POST"
                                        else client.get(action, query_string=data))
                        except Exception as exc:  # TESTING propagates the error a user would see as a 500
                            crashes.append(f"{method} {action} {name}={awkward[:12]!r} as {person.key} (from {url}): "
                                           f"{type(exc).__name__}: {str(exc)[:160]}")
                            continue
                        if response.status_code >= 500:
                            crashes.append(f"{method} {action} {name}={awkward[:12]!r} as {person.key}: "
                                           f"{response.status_code}")
                        response.close()
    assert len(seen) > 20, f"the crawl found only {len(seen)} forms"
    assert not crashes, f"{len(crashes)} server errors:\n" + "\n".join(crashes)


def test_a_template_name_of_only_spaces_is_refused_with_a_message(world, login_as, store):
    from sqlalchemy import select

    from webshop.catalogue.models import OrderTemplate
    from webshop.orders.models import Order

    c = login_as(world.orderer)
    assert c.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "1"}).status_code == 302
    assert c.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302
    order_id = store.scalar(select(Order.id))
    response = c.post(f"/katalog/maler/fra-ordre/{order_id}", data={"name": "   "}, follow_redirects=True)
    assert response.status_code == 200
    assert "Gi malen et navn." in response.get_data(as_text=True)
    assert store.scalar(select(OrderTemplate.id)) is None


