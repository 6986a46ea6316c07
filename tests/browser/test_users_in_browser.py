"""Issue 16 in headless Chromium: a coordinator invites a new orderer, who sets a password from the
e-mailed link and orders; the central buyer's partial upload stays a draft that says what would go.
Every page on the way passes an axe-core scan."""
from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
from browsing import assert_accessible, log_in
from playwright.sync_api import Page, expect
from sqlalchemy import select

from webshop.orders.models import Order
from webshop.orgs.models import Role, RoleAssignment, User

pytestmark = pytest.mark.browser
NEW_PASSWORD = "Lang-nok-passord-7"


def test_invited_orderer_sets_a_password_and_orders(live_server, page: Page, browser, world, store, app):
    mail_dir = Path(app.config["OUTBOX_DIR"]).parent / "mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    for f in mail_dir.iterdir():
        f.unlink()
    page.set_default_timeout(15_000)
    log_in(page, live_server, world.coordinator.email)
    page.goto(f"{live_server}/brukere/")
    page.get_by_label("Navn", exact=True).fill("Nina Ny")
    page.get_by_label("E-postadresse").fill("nina@lia.no")
    page.get_by_label("Enhet", exact=True).select_option(label="Lia kommune – Lia skole")
    page.get_by_label("Rolle", exact=True).select_option(label="Bestiller")
    assert_accessible(page, "user list")
    page.get_by_role("button", name="Send invitasjon").click()
    expect(page.get_by_text("Nina Ny er invitert")).to_be_visible()
    assert_accessible(page, "user page")

    [mail] = [message_from_bytes(f.read_bytes(), policy=default_policy) for f in mail_dir.iterdir()]
    link = re.search(r"http://[^\s]+/konto/passord/[\w-]+", mail.get_body().get_content()).group(0)
    newcomer = browser.new_context().new_page()
    newcomer.set_default_timeout(15_000)
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", name="Velkommen, Nina Ny")).to_be_visible()
    assert_accessible(newcomer, "set password")
    newcomer.get_by_label("Nytt passord (minst 10 tegn)").fill(NEW_PASSWORD)
    newcomer.get_by_label("Gjenta passordet").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Lagre passordet").click()
    expect(newcomer.get_by_text("Passordet er lagret")).to_be_visible()
    newcomer.get_by_label("E-postadresse").fill("nina@lia.no")
    newcomer.get_by_label("Passord").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Logg inn").click()
    newcomer.goto(f"{live_server}/katalog?q=kopipapir")
    newcomer.get_by_label("Antall Kopipapir A4 80 g").fill("2")
    newcomer.get_by_role("button", name="Legg i kurv: Kopipapir A4 80 g").click()
    expect(newcomer.get_by_text("er lagt i handlekurven")).to_be_visible()
    newcomer.goto(f"{live_server}/handlekurv")
    newcomer.get_by_role("button", name="Send til godkjenning").click()
    expect(newcomer.get_by_text("Bestillingen er sendt til godkjenning")).to_be_visible()
    nina = store.scalar(select(User).where(User.email == "nina@lia.no"))
    assert store.scalar(select(Order.unit_id).where(Order.orderer_id == nina.id)) == world.school.id


def test_a_partial_upload_is_a_draft_page_that_names_what_would_go(live_server, page: Page, world, store,
                                                                    tmp_path):
    from helpers import set_password

    buyer = User(email="innkjop@lia.no", name="Ingrid Innkjøp", organisation_id=world.org.id)
    set_password(buyer)
    buyer.roles = [RoleAssignment(role=Role.CENTRAL_BUYER, unit_id=None)]
    store.add(buyer)
    store.commit()
    partial = tmp_path / "delvis.csv"
    partial.write_text("supplier_item_id;name;description;unspsc;unit;price\nTUS-1;Tusj svart;;44121708;stk;12\n",
                       encoding="utf-8")
    page.set_default_timeout(15_000)
    log_in(page, live_server, buyer.email)
    page.goto(f"{live_server}/forvaltning/")
    page.get_by_label("Avtale").select_option(label="RA-2025-1 – Kontorrekvisita")
    page.get_by_label("Katalogfil (CSV eller EHF-katalog XML)").set_input_files(str(partial))
    page.get_by_role("button", name="Last opp som utkast").click()
    expect(page.get_by_text("1 nye, 0 med ny pris, 0 med nytt navn, 3 forsvinner")).to_be_visible()
    expect(page.get_by_text("linje 2: enhet «stk» er tolket som EA (stykk)")).to_be_visible()
    expect(page.get_by_label("Ja, 3 varer skal bli utgått")).to_be_visible()
    assert_accessible(page, "catalogue draft")
