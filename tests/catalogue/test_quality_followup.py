"""Issue 16: a quality report the buyer can act on.

Observed: «Oppgitte søk» listed a search even when the item was then put in the cart; the same
zero-result searches appeared under every agreement; «Etterlys» only marked a request as sent.
Now a search is abandoned only when nothing went into the cart in the next minutes; zero-result
searches are counted once per municipality under the catalogue people turned to; requests get an
answer the requester sees (sent, added, declined with a reason); and the report is a CSV too."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from helpers import page_text
from sqlalchemy import select
from test_catalogue_search import central_buyer

from ehf.profiles import Profile
from webshop.catalogue.models import Agreement, CatalogueItem, ItemRequest, ItemRequestStatus
from webshop.orders.models import AuditEvent


def add(client, item_id: int) -> None:
    assert client.post("/handlekurv/legg-til", data={"item_id": item_id, "quantity": "1"}).status_code == 302


def report(buyer, catalogue_id: int) -> str:
    return page_text(buyer.get(f"/forvaltning/katalog/{catalogue_id}/kvalitet"))


def test_a_search_followed_by_a_cart_add_is_not_abandoned(world, login_as, store):
    orderer = login_as(world.orderer)
    orderer.get("/katalog?q=kulepenn")  # found the pen ...
    add(orderer, world.items["PEN-1"].id)  # ... and took it
    orderer.get("/katalog?q=kopipapir")  # a new search at once: the old rule called «kulepenn» abandoned
    orderer.get("/katalog?q=farin")  # «kopipapir» found paper, nothing was added: abandoned
    html = report(login_as(central_buyer(store, world)), world.catalogue.id)
    abandoned = html[html.index("Oppgitte søk"):html.index("Mangler klassifisering")]
    assert "«kopipapir»" in abandoned
    assert "«kulepenn»" not in abandoned


def second_agreement(app, world) -> tuple[int, int, int]:
    """Another agreement (cleaning) for both municipalities, with one item: (agreement, catalogue, item)."""
    from webshop.catalogue.csv_import import ItemRow
    from webshop.catalogue.models import Supplier
    from webshop.catalogue.publish import import_catalogue
    from webshop.extensions import db
    from webshop.orgs.models import Organisation

    with app.app_context():
        supplier = Supplier(key="renhold", name="Renhold AS", orgnr="923609016", endpoint_id="923609016",
                            profile=Profile.EHF_ORDERING, street="Vei 2", postcode="0150", city="Oslo")
        db.session.add(supplier)
        db.session.flush()
        agreement = Agreement(collaboration_id=world.org.collaboration_id, reference="RA-2025-2", title="Renhold",
                              supplier_id=supplier.id, valid_from=date(2024, 1, 1), valid_to=date(2099, 12, 31),
                              members=[db.session.get(Organisation, world.org.id),
                                       db.session.get(Organisation, world.other_org.id)])
        db.session.add(agreement)
        db.session.flush()
        catalogue = import_catalogue(agreement, [ItemRow(1, "SÅPE-1", "Grønnsåpe 1 l", "", "47131800", "LTR",
                                                         Decimal("40.00"))])
        db.session.commit()
        item = db.session.scalar(select(CatalogueItem.id).where(CatalogueItem.catalogue_id == catalogue.id))
        return agreement.id, catalogue.id, item


def test_zero_result_searches_count_once_per_municipality_under_their_likely_catalogue(app, world, login_as, store):
    _, cleaning_catalogue, soap = second_agreement(app, world)
    lia, bo = login_as(world.orderer), login_as(world.other_orderer)
    lia.get("/katalog?q=zalo")
    lia.get("/katalog?q=zalo")
    add(lia, soap)  # what they took after finding nothing: the cleaning catalogue
    bo.get("/katalog?q=zalo")
    bo.get("/katalog?q=laminatorlommer")  # nothing added afterwards: catalogue unknown
    buyer = login_as(central_buyer(store, world))
    cleaning = report(buyer, cleaning_catalogue)
    office = report(buyer, world.catalogue.id)
    assert "«zalo» (2 kommuner)" in cleaning  # Lia twice and Bø once: two municipalities
    assert "«zalo»" not in office and "«laminatorlommer»" not in office
    everything = page_text(buyer.get("/forvaltning/sok-uten-treff"))
    assert "RA-2025-2 – Renhold" in everything and "«laminatorlommer»" in everything and "ukjent" in everything


def test_an_item_request_gets_an_answer_the_requester_sees(world, login_as, store):
    orderer = login_as(world.orderer)
    assert orderer.post("/katalog/etterlys", data={"query": "stiftemaskin", "description": "Stor"}).status_code == 302
    request = store.scalar(select(ItemRequest))
    buyer = login_as(central_buyer(store, world))
    refused = buyer.post(f"/forvaltning/etterlysninger/{request.id}/svar", data={"status": "declined", "note": ""},
                         follow_redirects=True)
    assert "Skriv hvorfor" in page_text(refused)
    assert buyer.post(f"/forvaltning/etterlysninger/{request.id}/svar",
                      data={"status": "sent", "note": ""}).status_code == 302
    assert "stiftemaskin</strong>" in page_text(orderer.get("/katalog/etterlys"))
    assert "Sendt til leverandøren" in page_text(orderer.get("/katalog/etterlys"))
    assert buyer.post(f"/forvaltning/etterlysninger/{request.id}/svar",
                      data={"status": "declined", "note": "Ikke i avtalen; bruk Rapid 106"}).status_code == 302
    mine = page_text(orderer.get("/katalog/etterlys"))
    assert "Avslått – Ikke i avtalen; bruk Rapid 106" in mine
    store.expire_all()
    assert store.get(ItemRequest, request.id).status == ItemRequestStatus.DECLINED
    assert list(store.scalars(select(AuditEvent.action))) == ["item_request_answered", "item_request_answered"]
    # someone else's request is not on another orderer's page
    assert "stiftemaskin" not in page_text(login_as(world.orderer_approver).get("/katalog/etterlys"))


def test_the_report_downloads_as_csv_for_the_supplier(world, login_as, store):
    orderer = login_as(world.orderer)
    orderer.get("/katalog?q=zalo")
    add(orderer, world.items["PEN-1"].id)
    buyer = login_as(central_buyer(store, world))
    response = buyer.get(f"/forvaltning/katalog/{world.catalogue.id}/kvalitet.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="kvalitet-RA-2025-1-v1.csv"' in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "kategori;varenummer;navn;detalj"
    assert "mangler bilde;PEN-1;Kulepenn blå;" in lines
    assert "søk uten treff;;zalo;1 kommuner" in lines
    assert login_as(world.coordinator).get(f"/forvaltning/katalog/{world.catalogue.id}/kvalitet.csv"
                                           ).status_code == 403
