"""The interface is Norwegian bokmål by default; the footer's language form
switches it to English for the session, and the English catalogue is complete."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations
from helpers import page_text

import webshop

TRANSLATIONS = Path(webshop.__file__).resolve().parent / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"

EN_DATE = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}\b")  # 5 Mar 2026, 14:07, not 3/5/26, 2:07 PM
NB_DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}\b")  # 05.03.2026, 14:07


def html_lang(response) -> str:
    match = re.search(r'<html[^>]*\blang="([^"]+)"', page_text(response))
    assert match, "no <html lang=...> in the page"
    return match.group(1)


def choose_language(client, locale: str, page: str = "/logg-inn"):
    """Press the footer's language button while on ``page``."""
    return client.post("/sprak", data={"locale": locale}, headers={"Referer": f"http://localhost{page}"})


def submit_order(client, world):
    item = world.items["KP-100"]
    assert client.post("/handlekurv/legg-til", data={"item_id": item.id, "quantity": "2"}).status_code == 302
    assert client.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302


@pytest.fixture(scope="module")
def english_po():
    with EN_PO.open("rb") as f:
        return read_po(f, locale="en")


@pytest.fixture(scope="module")
def english_mo() -> Translations:
    if not EN_MO.exists():
        pytest.fail(f"{EN_MO.relative_to(TRANSLATIONS.parent.parent)} is missing: it is build output, "
                    "compile it with `make install` (or `.venv/bin/pybabel compile -d webshop/translations`)")
    with EN_MO.open("rb") as f:
        return Translations(f, domain="messages")


# -- default and switching ---------------------------------------------------------------------

def test_default_interface_is_norwegian(client):
    page = client.get("/logg-inn")
    assert page.status_code == 200
    assert html_lang(page) == "nb"
    text = page_text(page)
    assert "Logg inn" in text and "E-postadresse" in text
    assert "Log in" not in text
    assert ">English</button>" in text  # the way out is offered in its own language


def test_language_form_switches_the_login_page_to_english_and_back(client):
    assert choose_language(client, "en").status_code == 302

    page = client.get("/logg-inn")
    assert html_lang(page) == "en"
    text = page_text(page)
    assert "Log in" in text and "Email address" in text and "Password" in text
    assert "Logg inn" not in text
    assert ">Norsk bokmål</button>" in text

    choose_language(client, "nb")
    page = client.get("/logg-inn")
    assert html_lang(page) == "nb" and "Logg inn" in page_text(page)


def test_language_switch_returns_to_the_same_page(client):
    response = choose_language(client, "en", "/logg-inn")
    assert response.headers["Location"].endswith("/logg-inn")


def test_language_switch_never_redirects_to_another_site(client):
    response = client.post("/sprak", data={"locale": "en"}, headers={"Referer": "https://evil.example/logg-inn"})
    assert response.headers["Location"] == "/"


def test_unknown_locale_is_ignored(client):
    assert choose_language(client, "de").status_code == 302
    page = client.get("/logg-inn")
    assert html_lang(page) == "nb" and "Logg inn" in page_text(page)


def test_validation_messages_follow_the_language(client):
    choose_language(client, "en")
    page = client.post("/logg-inn", data={"email": "", "password": ""})
    text = page_text(page)
    assert "Enter your email address." in text and "Enter your password." in text
    assert "Skriv inn" not in text


def test_language_chosen_before_login_survives_login(world, client):
    from helpers import PASSWORD

    choose_language(client, "en")
    response = client.post("/logg-inn", data={"email": world.orderer.email, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/katalog")
    assert html_lang(page) == "en"
    assert "Search the catalogue" in page_text(page)


def test_catalogue_page_in_english_with_prices(world, login_as):
    c = login_as(world.orderer)
    norwegian = page_text(c.get("/katalog"))
    assert "Søk i katalogen" in norwegian and re.search(r"52,00\s?kr", norwegian)

    choose_language(c, "en", "/katalog")
    page = c.get("/katalog")
    assert page.status_code == 200 and html_lang(page) == "en"
    text = page_text(page)
    for phrase in ("Search the catalogue", "Catalogue", "Cart", "Orders", "Log out", "Add to cart",
                   "Agreement price excl. VAT", "items in your catalogues"):
        assert phrase in text, phrase
    assert re.search(r"NOK\s?52\.00 / pack", text), "the price and unit of measure should render in English"
    for norwegian_word in ("Søk i katalogen", "Handlekurv", "Legg i kurv", "eks. mva."):
        assert norwegian_word not in text, norwegian_word


def test_orders_in_english_show_money_and_dates(world, login_as):
    c = login_as(world.orderer)
    submit_order(c, world)
    choose_language(c, "en", "/ordrer")

    orders = page_text(c.get("/ordrer"))
    assert "Submitted" in orders and "Total excl. VAT" in orders and "Awaiting approval" in orders
    assert EN_DATE.search(orders), "the submission time should render as an English date"
    assert re.search(r"NOK\s?104\.00", orders)  # 2 × 52.00

    order_id = re.search(r'href="/ordrer/(\d+)"', orders).group(1)
    detail = page_text(c.get(f"/ordrer/{order_id}"))
    assert "Total incl. VAT" in detail and "Ordered by" in detail and "History" in detail
    assert "Submitted for approval" in detail
    assert EN_DATE.search(detail)

    choose_language(c, "nb", "/ordrer")
    orders = page_text(c.get("/ordrer"))
    assert "Sum eks. mva." in orders and NB_DATE.search(orders) and re.search(r"104,00\s?kr", orders)


# -- the catalogue itself ----------------------------------------------------------------------

def test_every_message_has_an_english_translation(english_po):
    entries = [m for m in english_po if m.id]
    assert entries, f"{EN_PO} has no messages"
    untranslated = [m.id for m in entries
                    if not (all(m.string) if isinstance(m.string, (list, tuple)) else m.string)]
    assert not untranslated, f"untranslated in {EN_PO.name}: {untranslated}"
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy}"


def test_placeholders_are_kept(english_po):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in english_po.check() if errors]
    assert not problems, problems


def test_compiled_catalogue_matches_the_po(english_po, english_mo):
    stale = []
    for m in english_po:
        if not m.id:
            continue
        if isinstance(m.id, (list, tuple)):
            singular, plural = m.id[0], m.id[1]
            got = (english_mo.ngettext(singular, plural, 1), english_mo.ngettext(singular, plural, 2))
            if got != tuple(m.string[:2]):
                stale.append(singular)
        elif english_mo.gettext(m.id) != m.string:
            stale.append(m.id)
    assert not stale, f"{EN_MO.name} is older than {EN_PO.name}; recompile it. Out of date: {stale}"
