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
