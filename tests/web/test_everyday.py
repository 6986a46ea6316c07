"""Issue 15, the orderer's and approver's everyday: start page per role, counts in the header,
notices for orderers (in the app and by e-mail), the calm cart and the overview after submit."""
from __future__ import annotations

import re
from decimal import Decimal

from helpers import page_text
from sqlalchemy import select

from webshop.orders.models import Order
from webshop.orders.notices import NoticeKind, OrderNotice
from webshop.orders.rules import OrderStatus


def add(client, item, quantity="1"):
    r = client.post("/handlekurv/legg-til", data={"item_id": item.id, "quantity": quantity})
    assert r.status_code == 302
    return r


def submit(client, unit, **extra):
    return client.post("/handlekurv/send", data={"unit_id": unit.id, **extra})


def nav(html: str) -> str:
    """The main menu's HTML."""
    return html.split('<nav aria-label="Hovedmeny">', 1)[1].split("</nav>", 1)[0]


def test_an_approver_with_orders_waiting_lands_on_a_start_page_with_the_count_first(world, login_as):
    orderer = login_as(world.orderer)
    for _ in range(3):
        add(orderer, world.items["PEN-1"])
        assert submit(orderer, world.school).status_code == 302
    approver = login_as(world.approver)
    landing = approver.get("/")
    assert landing.status_code == 302 and landing.headers["Location"].endswith("/start")  # not the catalogue
    html = page_text(approver.get("/start"))
    main = html.split('<main id="main"', 1)[1]
    first_section = main.split("<section", 2)[1]
    assert "3 ordrer venter på din godkjenning" in first_section
    # the header says how many wait, on every page
    header = page_text(approver.get("/ordrer")).split("</header>", 1)[0]
    assert re.search(r'data-count="inbox">Til godkjenning\s*<span class="count-badge" aria-hidden="true">3</span>',
                     header)


def test_the_header_counts_the_cart_and_keeps_api_keys_out_of_the_main_menu(world, login_as):
    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"])
    add(orderer, world.items["KP-100"])
    html = page_text(orderer.get("/ordrer"))
    assert re.search(r'data-count="cart">Handlekurv\s*<span class="count-badge" aria-hidden="true">2</span>', html)
    assert "API-nøkler" not in nav(html)
    assert "API-nøkler" in html  # still reachable, beside the user's name
    assert 'id="site-q"' in html  # a search on every page (except the search page itself)


def test_the_orderers_start_page_shows_cart_recent_orders_with_what_changed_and_templates(world, login_as, store):
    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"], "10")
    assert submit(orderer, world.school).status_code == 302
    order = store.scalar(select(Order))
    approver = login_as(world.approver)
    assert approver.post(f"/godkjenning/{order.id}", data={"comment": "Feil enhet", "reject": "Avvis"}
                         ).status_code in (302, 303)
    add(orderer, world.items["KP-100"], "2")
    html = page_text(orderer.get("/start"))
    assert "1 linje, til sammen 104,00" in html.replace("\xa0", " ") or "1 linje, til sammen 104.00" in html
    assert order.number in html and "Avvist" in html and "«Feil enhet»" in html
    assert 'data-start="recent"' in html and 'data-start="cart"' in html
    assert 'data-start="inbox"' not in html  # an orderer has no inbox


def test_a_coordinator_sees_failed_deliveries_and_pending_orders(world, login_as):
    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"])
    assert submit(orderer, world.school).status_code == 302
    html = page_text(login_as(world.coordinator).get("/start"))
    assert "0 leveranser feilet" in html
    assert "1 ordre venter på godkjenning i kommunen" in html


# ------------------------------------------------------------------ notices


def _order_rejected_or_returned(world, login_as, store, button: str, comment: str) -> Order:
    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"], "10")
    assert submit(orderer, world.school).status_code == 302
    order = store.scalar(select(Order).order_by(Order.id.desc()))
    data = {"comment": comment, button: "x"}
    assert login_as(world.approver).post(f"/godkjenning/{order.id}", data=data).status_code in (302, 303)
    return order


def test_a_rejected_order_tells_the_orderer_why(world, login_as, store):
    order = _order_rejected_or_returned(world, login_as, store, "reject", "Kjøp fra lageret")
    notice = store.scalar(select(OrderNotice))
    assert (notice.user_id, notice.order_id, notice.kind, notice.comment) == (
        world.orderer.id, order.id, NoticeKind.REJECTED, "Kjøp fra lageret")
    orderer = login_as(world.orderer)
    start = page_text(orderer.get("/start"))
    assert f"Ordre {order.number} er avvist." in start and "Kjøp fra lageret" in start
    assert re.search(r'data-count="notices">Varsler\s*<span class="count-badge" aria-hidden="true">1</span>', start)
    detail = page_text(orderer.get(f"/ordrer/{order.id}"))
    summary = detail.split('id="order-summary"', 1)[1].split("</section>", 1)[0]
    assert "avvist" in summary and "Kjøp fra lageret" in summary
    assert orderer.post("/varsler/lest", data={}).status_code == 302
    assert 'data-count="notices"' not in page_text(orderer.get("/start"))


def test_a_returned_order_shows_the_approvers_comment_on_the_cart(world, login_as, store):
    _order_rejected_or_returned(world, login_as, store, "return_order", "Ta 5 i stedet for 10")
    cart = page_text(login_as(world.orderer).get("/handlekurv"))
    assert "Ta 5 i stedet for 10" in cart  # the lines came back, and now the orderer knows why
    assert "Kulepenn blå" in cart


def test_notices_are_mailed_when_mail_is_configured(world, login_as, store, app):
    import socket
    import threading

    from aiosmtpd.controller import Controller

    received: list[bytes] = []
    done = threading.Event()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            received.append(envelope.content)
            done.set()
            return "250 OK"

    with socket.socket() as probe:  # a free port on the loopback interface
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        order = _order_rejected_or_returned(world, login_as, store, "reject", "Ikke budsjett")
        from webshop.extensions import db
        from webshop.orders.notices import mail_pending

        config = {"MAIL_SERVER": f"127.0.0.1:{port}",
                  "MAIL_FROM": "innkjop@lia.no"}
        with app.app_context():
            assert mail_pending(config) == 1
            db.session.commit()
            assert mail_pending(config) == 0  # once
        assert done.wait(5)
    finally:
        controller.stop()
    text = received[0].decode()
    assert "To: ola@lia.no" in text and f"Ordre {order.number} er avvist." in text and "Ikke budsjett" in text


def test_without_mail_server_notices_stay_in_the_app(world, login_as, store, app):
    _order_rejected_or_returned(world, login_as, store, "reject", "Nei")
    from webshop.extensions import db
    from webshop.orders.notices import mail_pending

    with app.app_context():
        assert mail_pending({"MAIL_SERVER": None}) == 0
        db.session.commit()
    store.expire_all()
    assert store.scalar(select(OrderNotice.mail_state)) == "no-mail"


def test_partly_delivered_and_lines_rejected_by_the_supplier_notify_the_orderer(world, store, app):
    from webshop.extensions import db
    from webshop.orders.notices import on_answered, on_received

    with app.app_context():
        order = Order(organisation_id=world.org.id, unit_id=world.school.id, supplier_id=world.supplier.id,
                      orderer_id=world.orderer.id, status=OrderStatus.SENT, total=Decimal("10"),
                      vat_total=Decimal("2.5"))
        db.session.add(order)
        db.session.flush()
        on_received(order, to_status=OrderStatus.PARTLY_DELIVERED)
        on_received(order, to_status=OrderStatus.DELIVERED)  # complete: nothing to say
        on_answered(order, to_status=OrderStatus.REJECTED_BY_SUPPLIER, comment="Utsolgt")
        on_answered(order, to_status=OrderStatus.CONFIRMED)
        db.session.commit()
    assert [(n.kind, n.comment) for n in store.scalars(select(OrderNotice).order_by(OrderNotice.id))] == [
        (NoticeKind.PARTLY_DELIVERED, None), (NoticeKind.REJECTED_BY_SUPPLIER, "Utsolgt")]


# ------------------------------------------------------------------ the cart


def _money(html: str) -> str:
    return html.replace("\xa0", " ").replace("\u202f", " ")


def test_the_cart_shows_line_sums_a_total_per_supplier_and_overall(world, login_as):
    orderer = login_as(world.orderer)
    add(orderer, world.items["KP-100"], "3")  # 3 × 52,00 = 156,00
    add(orderer, world.items["PEN-1"], "10")  # 10 × 4,90 = 49,00
    assert orderer.post("/handlekurv/fritekst", data={
        "supplier_id": world.supplier.id, "description": "Navneskilt", "quantity": "2", "unit_code": "EA",
        "estimated_price": "12.5"}).status_code == 302  # 2 × 12,50 = 25,00
    html = _money(page_text(orderer.get("/handlekurv")))
    line_totals = re.findall(r"<td class=\"num\" data-line-total>([^<]+)</td>", html)
    assert [t.strip() for t in line_totals] == ["156,00 kr", "49,00 kr", "25,00 kr"] or \
        [t.strip() for t in line_totals] == ["kr 156,00", "kr 49,00", "kr 25,00"]
    assert "230,00" in re.search(r"data-supplier-total>([^<]+)<", html).group(1)
    assert "230,00" in re.search(r"data-cart-total><strong>([^<]+)<", html).group(1)


def test_one_calm_summary_instead_of_stacked_alerts(world, login_as, store):
    from webshop.catalogue.models import Supplier

    supplier = store.get(Supplier, world.supplier.id)
    supplier.min_order_value, supplier.delivery_days = Decimal("500"), "Mon,Wed"
    store.commit()
    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"], "10")
    html = _money(page_text(orderer.get("/handlekurv")))
    form_part = html.split('id="submit-heading"', 1)[1].split("</section>", 1)[0]
    assert form_part.count('class="ds-alert"') == 0  # no stacked alert boxes above the submit button
    summary = form_part.split('id="route-preview"', 1)[1]
    assert "Kontor AS (49,00 kr)" in summary or "Kontor AS (kr 49,00)" in summary
    assert "Under minste ordreverdi" in summary and "451,00" in summary  # warns only: the default
    assert "Leverer: man, ons" in summary
    assert "Godkjenner for enheten" in summary  # the route, in the same list


def test_an_agreement_can_make_the_minimum_order_value_block_set_by_its_central_buyer(world, login_as, store):
    from webshop.catalogue.models import Agreement, Supplier
    from webshop.orders.models import AuditEvent
    from webshop.orgs.models import Role, RoleAssignment, User

    supplier = store.get(Supplier, world.supplier.id)
    supplier.min_order_value = Decimal("500")
    buyer = User(email="innkjop@lia.no", name="Ingrid Innkjøp", organisation_id=world.org.id)
    from helpers import set_password

    set_password(buyer)
    buyer.roles = [RoleAssignment(role=Role.CENTRAL_BUYER, unit_id=None)]
    store.add(buyer)
    store.commit()
    # an orderer may not change it
    assert login_as(world.orderer).post(f"/forvaltning/avtaler/{world.agreement.id}/minste-ordreverdi",
                                        data={"policy": "block"}).status_code == 403
    central = login_as(buyer)
    r = central.post(f"/forvaltning/avtaler/{world.agreement.id}/minste-ordreverdi", data={"policy": "block"})
    assert r.status_code == 302
    store.expire_all()
    assert store.get(Agreement, world.agreement.id).min_order_blocks is True
    event = store.scalar(select(AuditEvent).where(AuditEvent.action == "agreement_min_order"))
    assert (event.actor_id, event.comment) == (buyer.id, "RA-2025-1: warn → block")

    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"], "10")
    cart = _money(page_text(orderer.get("/handlekurv")))
    assert "Kan ikke sendes ennå: minste ordreverdi er" in cart
    refused = submit(orderer, world.school)
    assert refused.status_code == 400
    assert "Kontor AS krever minst 500,00 kr per ordre" in _money(page_text(refused))
    assert store.scalar(select(Order)) is None


def test_the_delivery_unit_defaults_to_the_one_last_used(world, login_as, store):
    from webshop.orgs.models import Role, RoleAssignment, User

    user = store.get(User, world.orderer.id)
    user.roles.append(RoleAssignment(role=Role.ORDERER, unit_id=world.nursing.id))  # «Lia sykehjem» after «Lia skole»
    store.commit()
    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"])
    first = page_text(orderer.get("/handlekurv"))
    assert re.search(rf'<option selected value="{world.school.id}">Lia skole', first)  # nothing used yet: first
    assert submit(orderer, world.nursing).status_code == 302
    add(orderer, world.items["PEN-1"])
    again = page_text(orderer.get("/handlekurv"))
    assert re.search(rf'<option selected value="{world.nursing.id}">Lia sykehjem', again)


def test_after_submit_an_overview_of_the_orders_one_basket_became(world, login_as, store):

    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"], "2")
    assert orderer.post("/handlekurv/fritekst", data={
        "supplier_id": world.supplier.id, "description": "Skilt", "quantity": "1", "unit_code": "EA",
        "estimated_price": "10"}).status_code == 302
    r = submit(orderer, world.school)
    assert r.status_code == 302 and "/handlekurv/sendt?ordre=" in r.headers["Location"]
    html = page_text(orderer.get(r.headers["Location"]))
    order = store.scalar(select(Order))
    assert "Bestillingen ble 1 ordre" in html and order.number in html and "Venter på godkjenning" in html
    assert "Bestillingen er sendt til godkjenning" in html
    # someone else's order id shows nothing of it
    other = login_as(world.orderer_approver).get(r.headers["Location"])
    assert other.status_code == 302 and order.number not in page_text(other)


def test_auto_approved_orders_do_not_say_sent_for_approval(world, login_as, store):
    from webshop.approvals.models import ApprovalPolicy

    store.add(ApprovalPolicy(organisation_id=world.org.id, auto_approve_below=Decimal("1000"), default_hard=False,
                             escalate_after_days=3))
    store.commit()
    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"], "2")
    cart = page_text(orderer.get("/handlekurv"))
    assert ">Send bestillingen</button>" in cart and "Send til godkjenning" not in cart
    r = submit(orderer, world.school)
    html = page_text(orderer.get(r.headers["Location"]))
    assert "sendt til godkjenning" not in html.lower()
    assert "godkjent automatisk og sendes til leverandøren" in html
    order = store.scalar(select(Order))
    detail = page_text(orderer.get(f"/ordrer/{order.id}"))
    assert "Ordren ble godkjent automatisk og sendes til Kontor AS." in detail


# ------------------------------------------------------------------ templates


def _template(world, login_as, store):
    from webshop.catalogue.models import OrderTemplate

    orderer = login_as(world.orderer)
    add(orderer, world.items["PEN-1"], "10")
    add(orderer, world.items["KP-100"], "2")
    assert submit(orderer, world.school).status_code == 302
    order = store.scalar(select(Order))
    assert orderer.post(f"/katalog/maler/fra-ordre/{order.id}", data={"name": "Kontorfast"}).status_code == 302
    return orderer, store.scalar(select(OrderTemplate))


def test_a_template_can_be_renamed_its_quantities_changed_and_lines_dropped(world, login_as, store):
    orderer, template = _template(world, login_as, store)
    pen, paper = template.lines
    assert f'href="/katalog/maler/{template.id}"' in page_text(orderer.get("/katalog/mine-varer"))
    page = page_text(orderer.get(f"/katalog/maler/{template.id}"))
    assert 'value="Kontorfast"' in page and f'id="qty-{pen.id}"' in page
    r = orderer.post(f"/katalog/maler/{template.id}", data={
        "name": "Fast hver mandag", f"qty-{pen.id}": "2,5", f"qty-{paper.id}": "1", f"remove-{paper.id}": "1"})
    assert r.status_code == 302
    store.expire_all()
    template = store.get(type(template), template.id)
    assert template.name == "Fast hver mandag"
    assert [(line.supplier_item_id, line.quantity) for line in template.lines] == [("PEN-1", Decimal("2.500"))]


def test_a_template_edit_with_bad_input_says_what_is_wrong(world, login_as, store):
    orderer, template = _template(world, login_as, store)
    pen, paper = template.lines
    spaces = orderer.post(f"/katalog/maler/{template.id}", data={"name": "   ", f"qty-{pen.id}": "1",
                                                                f"qty-{paper.id}": "1"})
    assert spaces.status_code == 400 and "Gi malen et navn." in page_text(spaces)
    bad = orderer.post(f"/katalog/maler/{template.id}", data={"name": "X", f"qty-{pen.id}": "null",
                                                             f"qty-{paper.id}": "1"})
    assert bad.status_code == 400 and "Antallet for Kulepenn blå" in page_text(bad)
    everything = orderer.post(f"/katalog/maler/{template.id}", data={
        "name": "X", f"qty-{pen.id}": "1", f"qty-{paper.id}": "1", f"remove-{pen.id}": "1", f"remove-{paper.id}": "1"})
    assert everything.status_code == 400 and "minst én vare" in page_text(everything)


def test_a_template_can_be_deleted_by_the_units_orderers_only(world, login_as, store):
    from webshop.catalogue.models import OrderTemplate

    _orderer, template = _template(world, login_as, store)
    assert login_as(world.other_orderer).post(f"/katalog/maler/{template.id}/slett").status_code == 404
    assert login_as(world.approver).post(f"/katalog/maler/{template.id}/slett").status_code == 403
    colleague = login_as(world.orderer_approver)  # orders for the same school
    assert colleague.post(f"/katalog/maler/{template.id}/slett").status_code == 302
    assert store.scalar(select(OrderTemplate)) is None


def test_flask_notices_mail_marks_notices_in_app_only_without_a_mail_server(world, login_as, store, app):
    _order_rejected_or_returned(world, login_as, store, "reject", "Nei")
    result = app.test_cli_runner().invoke(args=["notices", "mail"])
    assert result.exit_code == 0 and "Sendt: 0" in result.output
    store.expire_all()
    assert store.scalar(select(OrderNotice.mail_state)) == "no-mail"


def test_items_show_their_catalogue_image_with_alt_text(world, login_as, store):
    from webshop.catalogue.models import CatalogueItem

    store.get(CatalogueItem, world.items["PEN-1"].id).image_url = "https://bilder.example/pen-1.jpg"
    store.get(CatalogueItem, world.items["KP-100"].id).image_url = "javascript:alert(1)"  # never shown
    store.commit()
    html = page_text(login_as(world.orderer).get("/katalog?q=kulepenn"))
    assert re.search(r'<img class="result-thumb" src="https://bilder.example/pen-1.jpg" referrerpolicy="no-referrer" '
                     r'alt="Kulepenn blå"', html)
    assert "javascript:" not in page_text(login_as(world.orderer).get("/katalog?q=kopipapir"))


def test_a_training_sandbox_never_mails_its_notices(world, login_as, store, app):
    from webshop.orgs.models import Organisation

    _order_rejected_or_returned(world, login_as, store, "reject", "Øvelse")
    store.get(Organisation, world.org.id).is_sandbox = True
    store.commit()
    from webshop.extensions import db
    from webshop.orders.notices import mail_pending

    with app.app_context():  # a server nobody listens on: it must not even be tried
        assert mail_pending({"MAIL_SERVER": "127.0.0.1:9", "MAIL_FROM": "x@lia.no"}) == 0
        db.session.commit()
    store.expire_all()
    assert store.scalar(select(OrderNotice.mail_state)) == "sandbox"
