"""Issue 5 in headless Chromium: an orderer finds «Farin» by searching «sukker», saves it as a
favourite and opens «Mine varer»; the central buyer opens the quality report, the item search
and an item's curation page. Every page passes an axe-core scan (no serious or critical issue)."""
from __future__ import annotations

import pytest
from browsing import assert_accessible, log_in
from helpers import set_password
from playwright.sync_api import Page, expect

from webshop.catalogue.models import SynonymGroup
from webshop.orgs.models import Role, RoleAssignment, User

pytestmark = pytest.mark.browser




def test_orderer_and_central_buyer_catalogue_pages(live_server, page: Page, world, store):
    page.set_default_timeout(15_000)
    store.add(SynonymGroup(collaboration_id=world.org.collaboration_id, terms="farin, sukker"))
    buyer = User(email="innkjop@lia.no", name="Ingrid Innkjøp", organisation_id=world.org.id)
    set_password(buyer)
    buyer.roles = [RoleAssignment(role=Role.CENTRAL_BUYER, unit_id=None)]
    store.add(buyer)
    store.commit()

    log_in(page, live_server, world.orderer.email)
    page.get_by_role("link", name="Katalog", exact=True).click()
    page.get_by_label("Søk i katalogen").fill("sukker")
    page.get_by_label("Søk i katalogen").press("Enter")
    expect(page.get_by_text("1 treff for «sukker»")).to_be_visible()
    expect(page.get_by_role("strong").filter(has_text="Farin 1 kg")).to_be_visible()
    page.get_by_text("Avgrens søket").click()
    expect(page.get_by_label("Leverandør")).to_be_visible()
    assert_accessible(page, "search with filters open")
    page.get_by_role("button", name="Lagre som favoritt: Farin 1 kg").click()
    expect(page.get_by_text("Lagt til i favoritter.")).to_be_visible()
    assert_accessible(page, "search after adding a favourite")

    page.get_by_label("Søk i katalogen").fill("laminatorlommer")
    page.get_by_label("Søk i katalogen").press("Enter")
    expect(page.get_by_text("0 treff for «laminatorlommer»")).to_be_visible()
    assert_accessible(page, "search without hits")

    page.get_by_role("link", name="Mine varer").click()
    expect(page.get_by_role("heading", name="Mine varer")).to_be_visible()
    expect(page.get_by_role("button", name="Legg i kurv: Farin 1 kg")).to_be_visible()
    assert_accessible(page, "mine varer")

    page.get_by_role("button", name="Logg ut").click()
    log_in(page, live_server, buyer.email)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Katalogforvaltning").click()
    expect(page.get_by_role("heading", name="Katalogforvaltning")).to_be_visible()
    assert_accessible(page, "curation overview")
    page.get_by_role("link", name="Kvalitetsrapport").click()
    expect(page.get_by_role("button", name="Etterlys hos leverandøren: laminatorlommer")).to_be_visible()
    assert_accessible(page, "quality report")

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Katalogforvaltning").click()
    page.get_by_role("link", name="Søk etter varer").click()
    page.get_by_label("Søk i katalogene").fill("farin")
    page.get_by_label("Søk i katalogene").press("Enter")
    expect(page.get_by_text("1 treff for «farin»")).to_be_visible()
    assert_accessible(page, "central buyer's item search")
    page.get_by_role("link", name="Farin 1 kg").click()
    expect(page.get_by_role("heading", name="Farin 1 kg")).to_be_visible()
    assert_accessible(page, "curation of an item")
    page.get_by_label("Ekstra søkeord").fill("brunt sukker")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Varen er oppdatert.")).to_be_visible()
    assert_accessible(page, "curation of an item, saved")

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Katalogforvaltning").click()
    page.get_by_role("link", name="Synonymlister").click()
    expect(page.get_by_role("listitem").filter(has_text="farin, sukker")).to_be_visible()
    assert_accessible(page, "synonyms")
