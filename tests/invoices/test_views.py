"""The invoice pages: the order shows invoiced/matched/deviation, deviations are accepted or disputed
with a reason by the orderer or an approver, the coordinator's ready-for-payment list and CSV, the
tolerances, and training sandboxes never in the list."""
from __future__ import annotations

import re

import lxml.html
from sqlalchemy import select, update

from tests.invoices.builders import invoice_xml
from webshop.invoices.models import SupplierInvoice
from webshop.orders.models import AuditEvent


def page_text(response) -> str:
    """The visible text of the page's main content, whitespace collapsed."""
    root = lxml.html.fromstring(response.get_data(as_text=True))
    main = root.find(".//main")
    return re.sub(r"\s+", " ", (main if main is not None else root).text_content()).replace("\xa0", " ").strip()


def _status(store, number: str) -> str:
    store.expire_all()
    return store.scalar(select(SupplierInvoice.status).where(SupplierInvoice.number == number)).value


def _id(store, number: str) -> int:
    return store.scalar(select(SupplierInvoice.id).where(SupplierInvoice.number == number))


def test_order_page_shows_invoiced_matched_and_deviation(sent_order, deliver, intake, login_as, world):
    deliver(sent_order, {1: ("10", "0"), 2: ("20", "0")})
    intake(invoice_xml(sent_order, [("1", "10", "52.00")], number="F-1"))
    intake(invoice_xml(sent_order, [("2", "20", "5.00")], number="F-2"))  # 10 øre over the agreed 4.90
    client = login_as(world.orderer)
    page = page_text(client.get(f"/ordrer/{sent_order}"))
    assert "Fakturert 620,00 kr Avstemt 520,00 kr Avvik 100,00 kr" in page
    invoices = page_text(client.get(f"/ordrer/{sent_order}/fakturaer"))
    assert "Faktura F-1 Avstemt" in invoices
    assert "Faktura F-2 Avvik" in invoices and "pris avviker fra avtalt pris" in invoices


def test_orderer_disputes_and_approver_accepts_with_a_reason(sent_order, deliver, intake, login_as, world, store):
    deliver(sent_order, {1: ("10", "0")})
    intake(invoice_xml(sent_order, [("1", "10", "53.00")], number="F-1"))
    intake(invoice_xml(sent_order, [("1", "10", "52.00")], number="F-2"))  # 20 billed on 10 ordered
    assert (_status(store, "F-1"), _status(store, "F-2")) == ("deviation", "deviation")
    orderer = login_as(world.orderer)
    url = f"/ordrer/{sent_order}/fakturaer/vurdering"
    orderer.post(url, data={"invoice_id": _id(store, "F-1"), "decision": "dispute", "reason": ""})
    assert _status(store, "F-1") == "deviation"  # no reason: nothing decided
    orderer.post(url, data={"invoice_id": _id(store, "F-1"), "decision": "dispute", "reason": "Feil pris"})
    assert _status(store, "F-1") == "disputed"
    # the disputed invoice no longer counts, so F-2 alone bills exactly the order
    assert _status(store, "F-2") == "matched"
    events = store.scalars(select(AuditEvent.comment).where(AuditEvent.action == "invoice_disputed")).all()
    assert events == ["F-1: Feil pris"]
    # a decided invoice cannot be decided again
    login_as(world.approver).post(url, data={"invoice_id": _id(store, "F-1"), "decision": "accept", "reason": "x"})
    assert _status(store, "F-1") == "disputed"


def test_people_who_may_not_decide(sent_order, deliver, intake, login_as, world, store):
    intake(invoice_xml(sent_order, [("1", "10", "53.00")], number="F-1"))
    data = {"invoice_id": _id(store, "F-1"), "decision": "accept", "reason": "ok"}
    url = f"/ordrer/{sent_order}/fakturaer/vurdering"
    assert login_as(world.coordinator).post(url, data=data).status_code == 403
    assert login_as(world.other_approver).post(url, data=data).status_code == 404
    assert login_as(world.nursing_approver).post(url, data=data).status_code == 404
    assert _status(store, "F-1") == "deviation"


def test_ready_for_payment_list_and_csv(sent_order, deliver, intake, login_as, world, store):
    deliver(sent_order, {1: ("10", "0")})
    intake(invoice_xml(sent_order, [("1", "10", "52.00")], number="F-1"))
    intake(invoice_xml(sent_order, [("1", "2", "52.00")], number="K-1", credit=True))
    intake(invoice_xml(sent_order, [("1", "5", "60.00")], number="F-9"))  # wrong price: not ready
    coordinator = login_as(world.coordinator)
    page = page_text(coordinator.get("/fakturaer/klar-til-betaling"))
    assert "Faktura F-1" in page and "Kreditnota K-1" in page and "F-9" not in page
    csv = coordinator.get("/fakturaer/klar-til-betaling.csv")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data().decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("fakturanummer;type;leverandor_orgnr;ordre")
    assert lines[1:3] == [
        f"F-1;faktura;918273646;IK-{sent_order};Ola;2026-12-01;2026-12-31;NOK;520.00;130.00;650.00;matched",
        f"K-1;kreditnota;918273646;IK-{sent_order};Ola;2026-12-01;2026-12-31;NOK;-104.00;-26.00;-130.00;matched"]
    assert login_as(world.orderer).get("/fakturaer/klar-til-betaling.csv").status_code == 403


def test_a_sandbox_never_lists_invoices_for_payment(sent_order, deliver, intake, login_as, world, store):
    from webshop.orgs.models import Organisation

    deliver(sent_order, {1: ("10", "0")})
    intake(invoice_xml(sent_order, [("1", "10", "52.00")], number="F-1"))
    store.execute(update(Organisation).where(Organisation.id == world.org.id).values(is_sandbox=True))
    store.commit()
    page = page_text(login_as(world.coordinator).get("/fakturaer/klar-til-betaling"))
    assert "F-1" not in page and "Ingen fakturaer er klare til betaling" in page


def test_tolerances_are_the_coordinators_and_match_again(sent_order, deliver, intake, login_as, world, store):
    deliver(sent_order, {1: ("10", "0")})
    intake(invoice_xml(sent_order, [("1", "10", "52.50")], number="F-1"))
    assert _status(store, "F-1") == "deviation"
    coordinator = login_as(world.coordinator)
    refused = coordinator.post("/fakturaer/toleranser", data={"quantity": "0", "price": "-1"})
    assert refused.status_code == 400
    assert coordinator.post("/fakturaer/toleranser", data={"quantity": "0", "price": "0,49",
                                                           "three_way": "y"}).status_code == 302
    assert _status(store, "F-1") == "deviation"  # one øre over
    coordinator.post("/fakturaer/toleranser", data={"quantity": "0", "price": "0,50", "three_way": "y"})
    assert _status(store, "F-1") == "matched"  # exactly at the tolerance
    comments = store.scalars(select(AuditEvent.comment).where(AuditEvent.action == "invoice_tolerance_changed")
                             .order_by(AuditEvent.id)).all()
    assert comments == ["antall 0, pris 0.49 kr, treveis ja", "antall 0, pris 0.50 kr, treveis ja"]
    assert login_as(world.orderer).post("/fakturaer/toleranser", data={"price": "5"}).status_code == 403


def test_leader_figures_count_invoices_with_and_without_order_number(app, sent_order, intake):
    from flask import render_template

    intake(invoice_xml(sent_order, [("1", "10", "52.00")], number="F-1"))
    intake(invoice_xml(sent_order, [("1", "1", "52.00")], number="K-1", credit=True))
    intake(invoice_xml(None, [("1", "1", "52.00")], number="F-2"))
    with app.test_request_context():
        html = render_template("invoices/_leader_figures.html")
    text = re.sub(r"\s+", " ", lxml.html.fromstring(html).text_content())
    assert "Med ordrenummer (avstemt mot ordre) 2 Uten ordrenummer (i karantene) 1" in text


def test_deviation_inbox_and_decide_predicate_are_twins(app, sent_order, deliver, intake, login_as, world, store):
    """Every demo person: the inbox lists exactly the invoices ``can_decide_invoice`` allows."""
    from webshop.extensions import db
    from webshop.invoices import services
    from webshop.orgs.models import User

    intake(invoice_xml(sent_order, [("1", "10", "53.00")], number="F-1"))
    with app.app_context():
        invoice = db.session.scalar(select(SupplierInvoice))
        allowed = {}
        for user in db.session.scalars(select(User)):
            listed = [i.id for i in db.session.scalars(services.decidable_invoices(user))]
            assert listed == ([invoice.id] if services.can_decide_invoice(user, invoice) else []), user.email
            allowed[user.email] = bool(listed)
    assert {email for email, yes in allowed.items() if yes} == {"ola@lia.no", "kari@lia.no", "siri@lia.no"}
    page = page_text(login_as(world.approver).get("/fakturaer/avvik"))
    assert "Faktura F-1" in page
    assert "Ingen fakturaavvik venter på deg" in page_text(login_as(world.other_orderer).get("/fakturaer/avvik"))
