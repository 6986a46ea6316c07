"""Issue 10, item 9: security headers on every page, a CSP that needs no inline code, Secure cookies."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "webshop"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"|javascript:", re.IGNORECASE)


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/profil/api-nokler", "/katalog", "/ordrer"])
def test_every_page_sends_the_security_headers(world, login_as, url):
    response = login_as(world.orderer).get(url)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_scripts_styles_or_handlers():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}"
             for path in sorted(ROOT.rglob("*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if INLINE.search(line)]
    assert found == []


def production_app(make_app, **config):
    return make_app(TESTING=False, SECRET_KEY="x" * 40, **config)


def test_cookies_are_secure_outside_debug_and_testing(world, make_app):
    from helpers import PASSWORD

    prod = production_app(make_app)
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    response = prod.test_client().post("/logg-inn", data={"email": world.orderer.email, "password": PASSWORD},
                                       base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "max-age" in response.headers.get("Strict-Transport-Security", "")


def test_secure_cookies_can_be_switched_off_for_plain_http(world, app, make_app):
    assert production_app(make_app, SESSION_COOKIE_SECURE=False).config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_SECURE"] is False  # tests run over http
