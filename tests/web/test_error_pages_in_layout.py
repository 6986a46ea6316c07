"""Issue 15: 403, 404 and 500 are pages in the app's layout, in Norwegian and English, with a way
back; the JSON APIs keep answering JSON; /favicon.ico exists; the accessibility statement lists
every WCAG 2.1 A and AA criterion with its status."""
from __future__ import annotations

import re

from helpers import page_text
from werkzeug.exceptions import InternalServerError


def in_layout(html: str) -> bool:
    return '<header class="site-header"' in html and '<main id="main"' in html and 'href="/"' in html


def test_404_is_in_the_layout_with_a_way_back(client):
    response = client.get("/finnes-ikke", headers={"Referer": "http://localhost/katalog?q=papir"})
    html = page_text(response)
    assert response.status_code == 404
    assert in_layout(html)
    assert "<h1" in html and "Fant ikke siden" in html
    assert "Til startsiden" in html
    assert 'href="http://localhost/katalog?q=papir"' in html  # back where the user came from
    assert "<title>Fant ikke siden – Innkjøp</title>" in html


def test_a_foreign_referrer_is_not_offered_as_the_way_back(client):
    html = page_text(client.get("/finnes-ikke", headers={"Referer": "https://evil.example/x"}))
    assert "evil.example" not in html and "Til startsiden" in html


def test_403_is_in_the_layout_for_a_logged_in_user(world, login_as):
    response = login_as(world.orderer).get("/admin")
    html = page_text(response)
    assert response.status_code == 403
    assert in_layout(html) and "Ingen tilgang" in html and "e-handelskoordinatoren" in html
    assert "Logg ut" in html  # the header of a logged-in user: the menu is still there


def test_error_pages_in_english(client, app):

    client.post("/sprak", data={"locale": "en"})
    html = page_text(client.get("/finnes-ikke"))
    assert "Page not found" in html and "To the start page" in html and '<html lang="en"' in html


def test_500_is_in_the_layout_with_an_error_code_and_nothing_saved(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/test-feil")
    def boom():
        raise RuntimeError("a bug")

    response = app.test_client().get("/test-feil")
    html = page_text(response)
    assert response.status_code == 500
    assert in_layout(html)
    assert "Noe gikk galt" in html and "ingenting er lagret" in html
    assert re.search(r"Feilkode: <code>[0-9a-f]{32}</code>", html)


def test_500_without_a_database_still_shows_a_page(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/test-feil")
    def boom():
        raise InternalServerError()

    app.jinja_env.globals["header_counts"] = lambda: 1 / 0  # the layout itself fails
    response = app.test_client().get("/test-feil")
    assert response.status_code == 500
    assert "Noe gikk galt" in page_text(response)


def test_api_errors_stay_json(client):
    response = client.get("/api/v1/finnes-ikke")
    assert response.status_code == 404
    assert response.get_json()["error"] == "404"


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    response.close()
    html = page_text(client.get("/logg-inn"))
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_accessibility_statement_lists_every_criterion_with_its_status(client):
    response = client.get("/tilgjengelighet")  # public: no login
    html = page_text(response)
    assert response.status_code == 200 and in_layout(html)
    assert "Tilgjengelighetserklæring" in html and "WCAG 2.1" in html
    rows = re.findall(r'<td data-label="Kriterium">(\d\.\d+\.\d+) ', html)
    assert len(rows) == 50  # 30 on level A, 20 on AA
    assert {"1.4.10", "2.1.1", "2.4.7", "4.1.3", "1.3.5"} <= set(rows)
    assert "Løsningen oppfyller 36 av 50 suksesskriterier." in html
    assert "uutilsynet.no" in html
    assert 'href="/tilgjengelighet"' in page_text(client.get("/logg-inn"))  # linked from every page's footer


def test_a_nul_character_is_a_clear_400_not_a_database_error(client, world, login_as):
    response = client.post("/logg-inn", data={"email": "ola@lia.no\x00", "password": "x"})
    assert response.status_code == 400 and "Ugyldig forespørsel" in page_text(response)
    response = login_as(world.orderer).get("/katalog?q=papir%00")
    assert response.status_code == 400 and in_layout(page_text(response))


def test_the_expired_form_and_too_large_pages_have_a_way_back_too(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/logg-inn", data={"email": "x@y.no", "password": "x"})
    html = page_text(response)
    assert response.status_code == 400 and "Skjemaet er utløpt" in html and "Til startsiden" in html
    app = make_app(MAX_CONTENT_LENGTH=100)
    response = app.test_client().post("/logg-inn", data={"email": "x" * 500})
    assert response.status_code == 413 and "Til startsiden" in page_text(response)
