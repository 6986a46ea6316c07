"""The OpenAPI 3.1 document (/api/v1/openapi.json) describes every JSON endpoint, and its page reads (issue 14).

A JSON endpoint is a route under /api/ or a view whose code answers with ``jsonify``. A new
one fails ``test_every_json_route_is_described`` until its view carries ``@described(...)``
(webshop/api/openapi.py). Whether the answers match the description is the schemathesis
run against gunicorn (tests/integration/test_openapi_fuzz.py, ``make test-api``).
"""
from __future__ import annotations

import inspect
import re

from flask import Flask, jsonify

from webshop.api.openapi import document

# HTML pages, the static files, and the description itself
NOT_JSON = {"api.openapi_page", "api.openapi_json", "api.tokens", "api.revoke", "static"}


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def json_routes(app: Flask) -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every route that answers JSON."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_JSON:
            continue
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            source = ""
        if rule.rule.startswith("/api/") or "jsonify(" in source:
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                found.add((openapi_path(rule.rule), method.lower()))
    return found


def undescribed(app: Flask) -> set[tuple[str, str]]:
    with app.test_request_context():
        paths = document()["paths"]
    return {(path, method) for path, method in json_routes(app) if method not in paths.get(path, {})}


def test_every_json_route_is_described(app):
    assert undescribed(app) == set(), "add @described(...) to these views (see webshop/api/openapi.py)"
    with app.test_request_context():
        described = {(path, method) for path, ops in document()["paths"].items() for method in ops}
    # written by hand: what the API offers today
    assert described >= {("/api/v1/catalogue/search", "get"), ("/api/v1/ehf/inbound", "post"),
                         ("/healthz", "get"), ("/readyz", "get")}


def test_an_undescribed_json_route_is_caught(make_app):
    other = make_app()

    @other.get("/api/v1/not-described")
    def not_described():
        return jsonify(ok=True)

    @other.get("/internal/also-json")
    def also_json():
        return jsonify(ok=True)

    assert undescribed(other) == {("/api/v1/not-described", "get"), ("/internal/also-json", "get")}


def test_the_document_is_openapi_3_1_and_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = response.get_json()
    assert doc["openapi"] == "3.1.0" and doc["info"]["title"] == "Innkjøp API"
    search = doc["paths"]["/api/v1/catalogue/search"]["get"]
    assert {p["name"]: p["in"] for p in search["parameters"]} == {"q": "query", "limit": "query"}
    assert sorted(search["responses"]) == ["200", "400", "401"]  # no invented 422: the view answers 400
    assert search["security"] == [{"bearer": []}, {"session": []}]
    inbound = doc["paths"]["/api/v1/ehf/inbound"]["post"]
    assert list(inbound["requestBody"]["content"]) == ["application/xml"]
    assert sorted(inbound["responses"]) == ["202", "400", "401", "413", "429"]
    bearer = doc["components"]["securitySchemes"]["bearer"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    hit = next(s for name, s in doc["components"]["schemas"].items() if name.endswith("SearchHit"))
    assert hit["properties"]["price"]["type"] == "string"  # money is an exact decimal string, never a float


def test_the_page_lists_every_operation_without_scripts(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for operation in ("GET /api/v1/catalogue/search", "POST /api/v1/ehf/inbound", "GET /healthz", "GET /readyz"):
        assert operation in html
    assert "<script>" not in html and "cdn" not in html.lower()
    assert 'href="/api/v1/openapi.json"' in html
