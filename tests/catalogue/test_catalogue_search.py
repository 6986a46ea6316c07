"""Search, curation, favourites, reorder, item requests, quality report and the JSON API (issue 5)."""
from __future__ import annotations

import io
from decimal import Decimal

from helpers import page_text
from sqlalchemy import select

from webshop.auth.tokens import ApiToken
from webshop.catalogue.models import (
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    Favourite,
    ItemRequest,
    SearchLog,
    SynonymGroup,
)
from webshop.orgs.models import Role, RoleAssignment, User

CSV_HEAD = "supplier_item_id;name;description;unspsc;unit;price\n"


def central_buyer(store, world) -> User:
    user = store.scalar(select(User).where(User.email == "innkjop@lia.no"))
    if user is None:
        from helpers import set_password

        user = User(email="innkjop@lia.no", name="Ingrid Innkjøp", organisation_id=world.org.id)
        set_password(user)
        user.roles = [RoleAssignment(role=Role.CENTRAL_BUYER, unit_id=None)]
        store.add(user)
        store.commit()
    return user


def add_synonyms(store, world, terms: str) -> None:
    store.add(SynonymGroup(collaboration_id=world.org.collaboration_id, terms=terms))
    store.commit()


def test_word_parts_typos_and_numbers(world, login_as):
    c = login_as(world.orderer)
    assert "Kopipapir A4 80 g" in page_text(c.get("/katalog?q=papir"))  # a word part
    assert "Kopipapir A4 80 g" in page_text(c.get("/katalog?q=kopipapr"))  # a typo
    html = page_text(c.get("/katalog?q=7037060146341"))  # GTIN
    assert "1 treff" in html and "Kopipapir A4 80 g" in html
    assert "Kopipapir" in page_text(c.get("/katalog?q=kp-100"))  # supplier number, any case
    assert "0 treff" in page_text(c.get("/katalog?q=xyzzyq"))


def test_synonyms_find_farin_for_sukker(world, login_as, store):
    c = login_as(world.orderer)
    assert "Farin 1 kg" not in page_text(c.get("/katalog?q=sukker"))
    add_synonyms(store, world, "farin, sukker")
    assert "Farin 1 kg" in page_text(c.get("/katalog?q=sukker"))


def test_api_search_with_token_and_without(world, login_as, client, app, store):
    assert client.get("/api/v1/catalogue/search?q=kopipapir").status_code == 401
    assert client.get("/api/v1/catalogue/search?q=x", headers={"Authorization": "Bearer ink_nope"}).status_code == 401
    runner = app.test_cli_runner()
    result = runner.invoke(args=["token", "create", world.orderer.email])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    response = client.get("/api/v1/catalogue/search?q=kopipapr&limit=5", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["items"][0]["name"] == "Kopipapir A4 80 g"
    assert body["items"][0]["agreement"]["reference"] == "RA-2025-1"
    assert body["items"][0]["supplier"]["name"] == "Kontor AS" and body["items"][0]["unit"] == "XPK"
    assert body["items"][0]["price"] == "52.0000"
    assert client.get("/api/v1/catalogue/search?q=x&limit=0",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 400
    # a session works too; a revoked token does not
    assert login_as(world.orderer).get("/api/v1/catalogue/search?q=farin").get_json()["total"] == 1
    row = store.scalar(select(ApiToken))
    assert login_as(world.orderer).post(f"/profil/api-nokler/{row.id}/trekk-tilbake").status_code == 302
    assert client.get("/api/v1/catalogue/search?q=x", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_other_users_token_cannot_be_revoked(world, login_as, app, store):
    app.test_cli_runner().invoke(args=["token", "create", world.orderer.email])
    row = store.scalar(select(ApiToken))
    assert login_as(world.other_orderer).post(f"/profil/api-nokler/{row.id}/trekk-tilbake").status_code == 404


def test_new_version_discontinues_missing_items_and_favourite_shows_substitute(world, login_as, store, app, tmp_path):
    c = login_as(world.orderer)
    paper = world.items["KP-100"]
    assert c.post("/katalog/favoritter", data={"item_id": paper.id}).status_code == 302
    assert store.scalar(select(Favourite)).supplier_item_id == "KP-100"
    csv = tmp_path / "v2.csv"
    csv.write_text(CSV_HEAD + "PEN-1;Kulepenn blå;Medium;44121704;EA;5,10\n"
                   "KP-200;Kopipapir A4 80 g resirkulert;500 ark;14111507;XPK;55.00\n"
                   "FAR-1;Farin 1 kg;Brunt;50161509;KGM;31.50\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalogue", "import", "--agreement", "RA-2025-1", "--publish",
                                                str(csv)])
    assert result.exit_code == 0, result.output
    store.expire_all()
    live = store.scalar(select(Catalogue).where(Catalogue.status == CatalogueStatus.PUBLISHED))
    assert live.version == 2
    gone = store.scalar(select(CatalogueItem).where(CatalogueItem.catalogue_id == live.id,
                                                    CatalogueItem.supplier_item_id == "KP-100"))
    assert gone is not None and gone.discontinued  # carried into v2 as discontinued
    html = page_text(c.get("/katalog/mine-varer"))
    assert "Utgått eller ikke på lager" in html and "Kopipapir A4 80 g resirkulert" in html
    # every process serves the new version: the search shows the new price
    assert "5,10" in page_text(c.get("/katalog?q=kulepenn"))


def test_bad_import_reports_lines_and_keeps_live_version(world, app, store, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text(CSV_HEAD + "A;Ok;x;14111507;EA;1\nB;Bad;x;123;EA;1\nC;Bad;x;14111507;EA;abc\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalogue", "import", "--agreement", "RA-2025-1", "--publish",
                                                str(csv)])
    assert result.exit_code != 0
    assert "linje 3" in result.output and "linje 4" in result.output
    assert store.scalar(select(Catalogue.version).where(Catalogue.status == CatalogueStatus.PUBLISHED)) == 1
    assert store.scalar(select(CatalogueItem).where(CatalogueItem.supplier_item_id == "A")) is None


def test_zero_result_search_appears_in_quality_report_with_one_click_request(world, login_as, store):
    c = login_as(world.orderer)
    c.get("/katalog?q=laminatorlommer")
    assert store.scalar(select(SearchLog.results).where(SearchLog.query == "laminatorlommer")) == 0
    buyer = login_as(central_buyer(store, world))
    html = page_text(buyer.get(f"/forvaltning/katalog/{world.catalogue.id}/kvalitet"))
    assert "laminatorlommer" in html and "Etterlys hos leverandøren" in html
    assert "Utgått perm" in html  # the discontinued list
    response = buyer.post(f"/forvaltning/katalog/{world.catalogue.id}/etterlys", data={"query": "laminatorlommer"})
    assert response.status_code == 302
    assert store.scalar(select(ItemRequest.query)) == "laminatorlommer"


def test_curation_rename_hide_and_keywords_change_search(world, login_as, store):
    buyer = login_as(central_buyer(store, world))
    pen = world.items["PEN-1"]
    response = buyer.post(f"/forvaltning/varer/{pen.id}", data={"name": "Penn blå", "extra_keywords": "skrivesaker"})
    assert response.status_code == 302
    c = login_as(world.orderer)
    assert "Penn blå" in page_text(c.get("/katalog?q=skrivesaker"))
    buyer.post(f"/forvaltning/varer/{pen.id}", data={"name": "", "extra_keywords": "", "hidden": "y"})
    assert "0 treff" in page_text(c.get("/katalog?q=kulepenn"))


def test_synonym_admin_validates_and_saves(world, login_as, store):
    buyer = login_as(central_buyer(store, world))
    bad = buyer.post("/forvaltning/synonymer", data={"terms": "bare-ett"})
    assert bad.status_code == 400 and "minst to" in page_text(bad)
    assert store.scalar(select(SynonymGroup)) is None
    assert buyer.post("/forvaltning/synonymer", data={"terms": "Post-it, selvklebende lapper"}).status_code == 302
    assert store.scalar(select(SynonymGroup.terms)) == "post it, selvklebende lapper"


def test_curation_pages_are_for_central_buyers_only(world, login_as):
    c = login_as(world.orderer)
    for path in ("/forvaltning/", "/forvaltning/synonymer", f"/forvaltning/varer/{world.items['PEN-1'].id}",
                 f"/forvaltning/katalog/{world.catalogue.id}/kvalitet", "/forvaltning/etterlysninger"):
        assert c.get(path).status_code == 403, path


def test_reorder_puts_earlier_order_in_cart_and_other_municipality_gets_404(world, login_as, store):
    from webshop.orders.models import Order

    c = login_as(world.orderer)
    c.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id, "quantity": "3"})
    assert c.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302
    order = store.scalar(select(Order))
    assert login_as(world.other_orderer).post(f"/katalog/bestill-igjen/{order.id}").status_code == 404
    assert c.post(f"/katalog/bestill-igjen/{order.id}").status_code == 302
    from webshop.cart.models import CartLine

    assert store.scalar(select(CartLine.quantity)) == Decimal("3.000")
    html = page_text(c.get("/katalog/mine-varer"))
    assert "Bestilt før" in html and "Kopipapir A4 80 g" in html


def test_item_request_form(world, login_as, store):
    c = login_as(world.orderer)
    bad = c.post("/katalog/etterlys", data={"query": "x", "description": ""})
    assert bad.status_code == 400 and store.scalar(select(ItemRequest)) is None
    assert c.post("/katalog/etterlys", data={"query": "lamineringslommer", "description": "A4"}).status_code == 302
    assert store.scalar(select(ItemRequest.query)) == "lamineringslommer"


def test_upload_page_imports_csv(world, login_as, store):
    buyer = login_as(central_buyer(store, world))
    data = (CSV_HEAD + "NY-1;Tusj svart;;44121708;EA;12\n").encode()
    response = buyer.post("/forvaltning/", data={"agreement_id": world.agreement.id,
                                                 "file": (io.BytesIO(data), "k.csv")},
                          content_type="multipart/form-data")
    assert response.status_code == 302 and "/utkast" in response.headers["Location"]  # a draft (issue 16)
    orderer = login_as(world.orderer)
    assert "Tusj svart" not in page_text(orderer.get("/katalog?q=tusj"))
    draft = response.headers["Location"].replace("/utkast", "/publiser")
    assert buyer.post(draft, data={"confirm": "y", "confirm_retire": "y"}).status_code == 302
    assert "Tusj svart" in page_text(orderer.get("/katalog?q=tusj"))
    bad = buyer.post("/forvaltning/", data={"agreement_id": world.agreement.id,
                                            "file": (io.BytesIO(CSV_HEAD.encode() + b"X;;;1;EA;1\n"), "k.csv")},
                     content_type="multipart/form-data")
    assert bad.status_code == 400 and "linje 2" in page_text(bad)


def test_demo_data_meets_the_done_criteria(app, store, login_as):
    from webshop.extensions import db

    with app.app_context():
        from seed.loader import load_demo

        load_demo()
        db.session.commit()
    c = app.test_client()
    assert c.post("/logg-inn", data={"email": "ola.brekke@fjellbygd.kommune.no",
                                     "password": "Demo-ola-2026"}).status_code == 302

    assert "Farin 1 kg" in page_text(c.get("/katalog?q=sukker"))
    assert "Kopipapir" in page_text(c.get("/katalog?q=kopipapr"))
    html = page_text(c.get("/katalog?q=4711-22"))
    assert "Kopipapir Data Copy" in html and "1 treff" in html
    mine = page_text(c.get("/katalog/mine-varer"))
    assert "Utgått eller ikke på lager" in mine and "Erstatningsforslag" in mine
