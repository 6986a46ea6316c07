"""Issue 5 follow-ups: cart lines whose item is gone, paper numbers on discontinued items, several
processes, the supplier facet, abandoned searches and the central buyer's item search."""
from __future__ import annotations

from decimal import Decimal

from helpers import page_text
from sqlalchemy import select
from test_catalogue_search import CSV_HEAD, central_buyer

from webshop.cart.models import CartLine
from webshop.catalogue.models import Catalogue, CatalogueItem, CatalogueStatus, ItemNumber, SearchLog, SynonymGroup
from webshop.search.store import SearchIndexes

V2 = (CSV_HEAD + "PEN-1;Kulepenn blå;Medium;44121704;EA;5,10\n"
      "KP-200;Kopipapir A4 80 g resirkulert;500 ark;14111507;XPK;55.00\n"
      "FAR-1;Farin 1 kg;Brunt;50161509;KGM;31.50\n")


def import_v2(app, tmp_path, text: str = V2) -> None:
    csv = tmp_path / "v2.csv"
    csv.write_text(text, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["catalogue", "import", "--agreement", "RA-2025-1", "--publish",
                                                str(csv)])
    assert result.exit_code == 0, result.output


def live_item(store, sid: str) -> CatalogueItem:
    store.expire_all()
    return store.scalar(select(CatalogueItem).join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id).where(
        Catalogue.status == CatalogueStatus.PUBLISHED, CatalogueItem.supplier_item_id == sid))


def test_cart_line_of_a_discontinued_item_offers_substitutes_and_swaps(world, login_as, store, app, tmp_path):
    c = login_as(world.orderer)
    c.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id, "quantity": "3"})
    c.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "2"})
    assert "Utgått eller ikke på lager" not in page_text(c.get("/handlekurv"))
    import_v2(app, tmp_path)

    html = page_text(c.get("/handlekurv"))
    assert "Utgått eller ikke på lager" in html and "Erstatningsforslag" in html
    assert "Bytt til: Kopipapir A4 80 g resirkulert" in html  # the substitute's button
    assert "Ny katalogversjon" in html and "Oppdater linjen: Kulepenn blå" in html  # same item, new version

    paper_line = store.scalar(select(CartLine.id).where(CartLine.item_id == world.items["KP-100"].id))
    substitute = live_item(store, "KP-200")
    # another user's line is not found; a non-orderable item changes nothing
    assert login_as(world.other_orderer).post(f"/katalog/handlekurv/{paper_line}/bytt",
                                              data={"item_id": substitute.id}).status_code == 404
    gone = live_item(store, "KP-100")
    assert gone.discontinued
    c.post(f"/katalog/handlekurv/{paper_line}/bytt", data={"item_id": gone.id})
    store.expire_all()
    assert store.get(CartLine, paper_line) is not None

    assert c.post(f"/katalog/handlekurv/{paper_line}/bytt", data={"item_id": substitute.id}).status_code == 302
    store.expire_all()
    assert store.get(CartLine, paper_line) is None
    assert store.scalar(select(CartLine.quantity).where(CartLine.item_id == substitute.id)) == Decimal("3.000")
    pen_line = store.scalar(select(CartLine.id).where(CartLine.item_id == world.items["PEN-1"].id))
    c.post(f"/katalog/handlekurv/{pen_line}/bytt", data={"item_id": live_item(store, "PEN-1").id})
    html = page_text(c.get("/handlekurv"))
    assert "Utgått eller ikke på lager" not in html and "Ny katalogversjon" not in html
    assert c.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302  # orderable again


def test_paper_catalogue_number_follows_an_item_carried_over_as_discontinued(world, login_as, store, app, tmp_path):
    import_v2(app, tmp_path)
    gone = live_item(store, "KP-100")
    assert gone.discontinued
    assert store.scalar(select(ItemNumber.value).where(ItemNumber.item_id == gone.id)) == "4711-22"
    html = page_text(login_as(world.orderer).get("/katalog?q=4711-22"))
    assert "1 treff" in html and "Utgått" in html and "Kopipapir A4 80 g" in html


def test_every_process_follows_publish_curation_and_synonyms(world, login_as, store, app, tmp_path):
    """Process A has its index open; process B (another SearchIndexes on the same folder) publishes
    a new version and renames an item; process C has an empty folder (a new machine)."""
    c = login_as(world.orderer)
    process_a = app.extensions["search_indexes"]
    assert "4,90" in page_text(c.get("/katalog?q=kulepenn"))  # A opens (and keeps) version 1
    assert "Farin 1 kg" not in page_text(c.get("/katalog?q=sukker"))  # A caches "no synonyms"
    process_b = SearchIndexes(process_a.root)
    try:
        app.extensions["search_indexes"] = process_b
        import_v2(app, tmp_path)
    finally:
        app.extensions["search_indexes"] = process_a
    html = page_text(c.get("/katalog?q=kulepenn"))
    assert "5,10" in html and "Penn blå" not in html  # A serves version 2 (and keeps it open)
    try:
        app.extensions["search_indexes"] = process_b
        buyer = login_as(central_buyer(store, world))
        pen = live_item(store, "PEN-1")
        assert buyer.post(f"/forvaltning/varer/{pen.id}", data={"name": "Penn blå", "extra_keywords": ""}
                          ).status_code == 302
        assert buyer.post("/forvaltning/synonymer", data={"terms": "farin, sukker"}).status_code == 302
    finally:
        app.extensions["search_indexes"] = process_a
    html = page_text(c.get("/katalog?q=kulepenn"))
    assert "5,10" in html and "Penn blå" in html  # A reloaded its open index: the renamed item
    assert "Farin 1 kg" in page_text(c.get("/katalog?q=sukker"))
    body = c.get("/api/v1/catalogue/search?q=kulepenn").get_json()
    assert body["items"][0]["name"] == "Penn blå" and body["items"][0]["price"] == "5.1000"
    # a synonym group deleted and another added (same count) is noticed too
    store.execute(SynonymGroup.__table__.delete())
    store.add(SynonymGroup(collaboration_id=world.org.collaboration_id, terms="tusj, markør"))
    store.commit()
    assert "Farin 1 kg" not in page_text(c.get("/katalog?q=sukker"))
    try:
        app.extensions["search_indexes"] = SearchIndexes(tmp_path / "new-machine")  # process C
        assert "Penn blå" in page_text(c.get("/katalog?q=kulepenn"))  # rebuilt from the database
    finally:
        app.extensions["search_indexes"] = process_a


def test_supplier_facet_has_counts(world, login_as):
    c = login_as(world.orderer)
    assert "Kontor AS (1)" in page_text(c.get("/katalog?q=kopipapir"))
    assert "Kontor AS (0)" in page_text(c.get("/katalog?q=xyzzyq"))
    html = page_text(c.get(f"/katalog?q=kopipapir&leverandor={world.supplier.id}"))
    assert "1 treff" in html and "Kontor AS (1)" in html


def test_abandoned_search_appears_in_quality_report(world, login_as, store):
    c = login_as(world.orderer)
    c.get("/katalog?q=penn")
    c.get("/katalog?q=skrivesaker")  # straight away, without ordering: the first one was abandoned
    assert store.scalar(select(SearchLog.abandoned).where(SearchLog.query == "penn")) is True
    html = page_text(login_as(central_buyer(store, world)).get(f"/forvaltning/katalog/{world.catalogue.id}/kvalitet"))
    section = html.split("Oppgitte søk", 1)[1]
    assert "«penn» (1 gang)" in section.split("</ul>", 1)[0]


def test_central_buyer_item_search_includes_hidden_items(world, login_as, store):
    buyer = login_as(central_buyer(store, world))
    pen = world.items["PEN-1"]
    buyer.post(f"/forvaltning/varer/{pen.id}", data={"name": "", "extra_keywords": "", "hidden": "y"})
    assert "0 treff" in page_text(login_as(world.orderer).get("/katalog?q=kulepenn"))
    html = page_text(buyer.get("/forvaltning/varer?q=kulepen"))  # a typo, and a hidden item
    assert "1 treff" in html and "Kulepenn blå" in html and "Skjult" in html
    assert f"/forvaltning/varer/{pen.id}" in html
    assert "Kopipapir A4 80 g" in page_text(buyer.get("/forvaltning/varer?q=4711-22"))
    assert login_as(world.orderer).get("/forvaltning/varer?q=kulepenn").status_code == 403
