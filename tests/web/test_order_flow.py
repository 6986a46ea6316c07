"""The whole post-award flow through the Flask test client: search → cart →
submit → approver inbox → approve → EHF order in the outbox, XSD- and rule-valid."""
from __future__ import annotations

from decimal import Decimal

from helpers import NS, outbox_files, page_text, ubl
from sqlalchemy import func, select

from ehf import validate
from ehf.findings import has_fatal
from ehf.xsd import validate_xsd
from webshop.approvals.models import ApprovalDecision
from webshop.cart.models import CartLine
from webshop.orders.models import AuditEvent, Order, OrderDocument
from webshop.orders.rules import OrderStatus


def add(client, item, quantity="1"):
    return client.post("/handlekurv/legg-til", data={"item_id": item.id, "quantity": quantity})


def submit(client, unit, **extra):
    return client.post("/handlekurv/send", data={"unit_id": unit.id, **extra})


def test_search_finds_items_of_member_agreements(world, login_as):
    c = login_as(world.orderer)
    html = page_text(c.get("/katalog?q=kopipapir"))
    assert "Kopipapir A4 80 g" in html
    assert "Kulepenn" not in html
    # the paper-catalogue number finds its item
    assert "Kopipapir A4 80 g" in page_text(c.get("/katalog?q=4711-22"))
    assert "1 treff" in page_text(c.get("/katalog?q=4711-22"))


def test_orderer_to_approver_to_ehf_file(app, world, login_as, store):
    orderer = login_as(world.orderer)
    assert add(orderer, world.items["KP-100"], "3").status_code == 302
    assert add(orderer, world.items["PEN-1"], "10").status_code == 302
    assert add(orderer, world.items["KP-100"], "2").status_code == 302  # adds up: 5 reams
    lines_page = page_text(orderer.get("/handlekurv"))
    assert "Kopipapir A4 80 g" in lines_page and 'value="5"' in lines_page

    line_id = store.scalar(select(func.min(CartLine.id)))
    assert orderer.post(f"/handlekurv/{line_id}/antall", data={"quantity": "4"}).status_code == 302
    response = orderer.post("/handlekurv/fritekst", data={
        "supplier_id": world.supplier.id, "description": "Navneskilt til resepsjonen", "quantity": "1",
        "unit_code": "EA", "estimated_price": "250"})
    assert response.status_code == 302

    response = submit(orderer, world.school, buyer_reference="Prosjekt 7", note="Levér i resepsjonen")
    assert response.status_code == 302
    order = store.scalar(select(Order))
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert [(line.name, line.quantity, line.unit_price) for line in order.lines] == [
        ("Kopipapir A4 80 g", Decimal("4.000"), Decimal("52.0000")),
        ("Kulepenn blå", Decimal("10.000"), Decimal("4.9000")),
        ("Navneskilt til resepsjonen", Decimal("1.000"), Decimal("250.0000")),
    ]
    assert order.total == Decimal("507.00")  # 208 + 49 + 250
    assert order.vat_total == Decimal("126.75")
    assert "Handlekurven er tom" in page_text(orderer.get("/handlekurv"))

    approver = login_as(world.approver)
    inbox = page_text(approver.get("/godkjenning"))
    assert order.number in inbox
    detail = page_text(approver.get(f"/ordrer/{order.id}"))
    assert "Godkjenn og send" in detail
    response = approver.post(f"/godkjenning/{order.id}", data={"approve": "1", "comment": "Ok"})
    assert response.status_code == 302
    from webshop.delivery.worker import run_once  # approval queues; the delivery worker sends

    with app.app_context():
        assert run_once("test").delivered == 1

    store.expire_all()
    order = store.get(Order, order.id)
    assert order.status == OrderStatus.SENT
    assert [e.action for e in order.events] == ["submitted", "approved", "ehf_built", "sent"]
    assert store.scalar(select(func.count()).select_from(ApprovalDecision)) == 1

    files = outbox_files(app)
    assert len(files) == 1
    xml = files[0].read_bytes()
    document = store.scalar(select(OrderDocument))
    assert xml == document.xml and document.delivered_at is not None
    assert validate_xsd(xml) == []
    assert not has_fatal(validate(xml))
    root = ubl(xml)
    assert root.findtext("cbc:ID", namespaces=NS) == order.number
    assert root.findtext("cac:Contract/cbc:ID", namespaces=NS) == "RA-2025-1"
    assert root.findtext("cac:AnticipatedMonetaryTotal/cbc:LineExtensionAmount", namespaces=NS) == "507.00"
    assert root.findtext("cac:BuyerCustomerParty/cac:Party/cbc:EndpointID", namespaces=NS) == "938472610"
    assert len(root.findall("cac:OrderLine", NS)) == 3

    # the orderer sees the timeline and can download the same XML
    page = page_text(orderer.get(f"/ordrer/{order.id}"))
    assert "Sendt til leverandør" in page and "Levert til leverandøren" in page
    download = orderer.get(f"/ordrer/{order.id}/ehf/{document.id}")
    assert download.status_code == 200 and download.data == xml
    assert download.headers["Content-Disposition"].endswith(f'{order.number}.xml"')


def test_cart_splits_into_one_order_per_supplier(world, login_as, store):
    from webshop.catalogue.models import Supplier

    other = Supplier(key="mat", name="Mat AS", orgnr="981726340", endpoint_id="981726340",
                     profile=world.supplier.profile, street="Vei 2", postcode="5000", city="Bergen")
    store.add(other)
    store.commit()
    orderer = login_as(world.orderer)
    add(orderer, world.items["KP-100"])
    # a free-text line needs a supplier the organisation has an agreement with
    response = orderer.post("/handlekurv/fritekst", data={
        "supplier_id": other.id, "description": "Kake", "quantity": "1", "unit_code": "EA", "estimated_price": "1"})
    assert response.status_code == 400
    assert "Ikke et gyldig valg" in page_text(response)
    submit(orderer, world.school)
    assert store.scalar(select(func.count()).select_from(Order)) == 1


def test_rejection_needs_a_comment_and_is_recorded(world, login_as, store):
    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"])
    submit(orderer, world.school)
    order = store.scalar(select(Order))
    approver = login_as(world.approver)
    response = approver.post(f"/godkjenning/{order.id}", data={"reject": "1", "comment": ""}, follow_redirects=True)
    assert "Skriv en begrunnelse" in page_text(response)
    store.expire_all()
    assert store.get(Order, order.id).status == OrderStatus.PENDING_APPROVAL
    approver.post(f"/godkjenning/{order.id}", data={"reject": "1", "comment": "Bruk lageret"})
    store.expire_all()
    order = store.get(Order, order.id)
    assert order.status == OrderStatus.REJECTED
    assert order.events[-1].comment == "Bruk lageret"
    assert store.scalar(select(func.count()).select_from(OrderDocument)) == 0


def test_audit_log_is_append_only(world, login_as, store):
    import pytest

    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"])
    submit(orderer, world.school)
    event = store.scalar(select(AuditEvent))
    event.comment = "rewritten history"
    with pytest.raises(RuntimeError, match="append-only"):
        store.flush()
    store.rollback()
