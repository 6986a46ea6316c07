"""The delivery worker under faults: killed mid-delivery, receiver down, two workers
at once, duplicate and out-of-order supplier documents. Run alone with
``pytest -k "worker and (kill or down or duplicate)"``; on PostgreSQL with
TEST_DATABASE_URL set."""
from __future__ import annotations

import re
import signal
from datetime import timedelta
from decimal import Decimal

from conftest import per_order, use_transport, wait_for
from helpers import page_text
from sqlalchemy import func, select

from webshop.dbtypes import clock_set_to, utcnow
from webshop.orders.models import AuditEvent, Order, OrderDocument
from webshop.orders.rules import DeliveryState, OrderStatus


def _all_delivered(store, ids) -> bool:
    store.expire_all()
    states = list(store.scalars(select(OrderDocument.state).where(OrderDocument.order_id.in_(ids))))
    return len(states) == len(ids) and all(s == DeliveryState.DELIVERED for s in states)


def _assert_exactly_once(store, receiver, ids) -> None:
    store.expire_all()
    documents = list(store.scalars(select(OrderDocument).where(OrderDocument.order_id.in_(ids))))
    assert len(documents) == len(ids)
    assert receiver.unique == {d.message_id for d in documents}
    numbers = {store.get(Order, i).number for i in ids}
    assert per_order(receiver) == {n: 1 for n in numbers}  # every order exactly once, as the receiver sees it
    assert all(store.get(Order, i).status == OrderStatus.SENT for i in ids)
    sent_events = store.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "sent", AuditEvent.order_id.in_(ids)))
    assert sent_events == len(ids)


def test_worker_kill_mid_delivery_then_restart_delivers_each_order_exactly_once(
        app, world, approved_orders, receiver, workers, store):
    ids = approved_orders(5)
    use_transport(app, world.supplier.id, receiver.url)
    receiver.delay = 1.0  # the receiver has the message but has not answered yet …
    first = workers.start("w-killed", "--lease", "1.5", "--batch", "1")
    wait_for(lambda: len(receiver.posts) >= 2, what="two deliveries to start")
    first.send_signal(signal.SIGKILL)  # … when the worker dies
    first.wait(timeout=10)
    store.expire_all()
    assert not _all_delivered(store, ids)

    receiver.delay = 0.0
    second = workers.start("w-restarted", "--lease", "1.5")
    wait_for(lambda: _all_delivered(store, ids), what="every order delivered after the restart")
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=10) == 0

    assert receiver.duplicates >= 1  # the message in flight was resent, and recognised by its id
    _assert_exactly_once(store, receiver, ids)


def test_worker_two_at_once_no_duplicate_sends(app, world, approved_orders, receiver, workers, store):
    ids = approved_orders(12)
    use_transport(app, world.supplier.id, receiver.url)
    receiver.delay = 0.05
    procs = [workers.start(f"w{i}", "--batch", "1", "--until-idle") for i in (1, 2)]
    for i, proc in enumerate(procs, start=1):
        assert proc.wait(timeout=120) == 0, workers.log(f"w{i}")
    wait_for(lambda: _all_delivered(store, ids), timeout=10, what="every order delivered")
    assert len(receiver.posts) == len(ids)  # not one message sent twice
    assert receiver.duplicates == 0
    _assert_exactly_once(store, receiver, ids)
    delivered = [sum(int(m) for m in re.findall(r"levert (\d+)", workers.log(f"w{i}"))) for i in (1, 2)]
    assert sum(delivered) == len(ids), delivered  # each message recorded as delivered by exactly one worker


def test_worker_receiver_down_retries_then_visible_failure_then_recovers(
        app, world, approved_orders, receiver, login_as, store):
    from webshop.delivery.worker import run_once

    (order_id,) = approved_orders(1)
    use_transport(app, world.supplier.id, receiver.url)
    receiver.stop()
    start = utcnow()
    coordinator = login_as(world.coordinator)
    orderer = login_as(world.orderer)

    def attempt(after: timedelta) -> None:
        with clock_set_to(start + after), app.app_context():
            run_once("test")

    attempt(timedelta(0))
    store.expire_all()
    doc = store.scalar(select(OrderDocument).where(OrderDocument.order_id == order_id))
    assert (doc.state, doc.attempts) == (DeliveryState.RETRYING, 1)
    assert doc.next_attempt_at == start + timedelta(seconds=30) and "Fikk ikke kontakt" in doc.delivery_error
    assert "Prøves igjen" in page_text(orderer.get(f"/ordrer/{order_id}"))
    assert "Ingen feilede leveranser" in page_text(coordinator.get("/leveranser/feilet"))

    attempt(timedelta(seconds=10))  # not due yet: no attempt
    store.expire_all()
    assert store.get(OrderDocument, doc.id).attempts == 1
    attempt(timedelta(seconds=31))
    attempt(timedelta(seconds=100))  # 30 s, then 60 s backoff
    store.expire_all()
    doc = store.get(OrderDocument, doc.id)
    assert (doc.state, doc.attempts) == (DeliveryState.FAILED, 3)
    assert doc.next_attempt_at == start + timedelta(seconds=100 + 120)
    failed = page_text(coordinator.get("/leveranser/feilet"))
    number = store.get(Order, order_id).number
    assert number in failed and "Fikk ikke kontakt" in failed
    assert "Levering feilet" in page_text(orderer.get(f"/ordrer/{order_id}"))
    assert store.get(Order, order_id).status == OrderStatus.APPROVED

    receiver.start()  # the supplier is back
    attempt(timedelta(seconds=221))
    store.expire_all()
    doc = store.get(OrderDocument, doc.id)
    assert (doc.state, doc.attempts, doc.delivery_error) == (DeliveryState.DELIVERED, 4, None)
    assert store.get(Order, order_id).status == OrderStatus.SENT
    assert receiver.posts == [doc.message_id]
    assert number not in page_text(coordinator.get("/leveranser/feilet"))


def test_worker_failed_delivery_retry_button_and_its_permissions(app, world, approved_orders, receiver, login_as,
                                                                 store):
    from webshop.delivery.worker import run_once

    (order_id,) = approved_orders(1)
    use_transport(app, world.supplier.id, receiver.url)
    receiver.stop()
    start = utcnow()
    for seconds in (0, 31, 100):
        with clock_set_to(start + timedelta(seconds=seconds)), app.app_context():
            run_once("test")
    doc_id = store.scalar(select(OrderDocument.id).where(OrderDocument.order_id == order_id))
    assert login_as(world.orderer).get("/leveranser/feilet").status_code == 403
    assert login_as(world.other_orderer).post(f"/leveranser/{doc_id}/prov-igjen").status_code == 403
    receiver.start()
    response = login_as(world.coordinator).post(f"/leveranser/{doc_id}/prov-igjen")
    assert response.status_code == 302
    with clock_set_to(start + timedelta(seconds=101)), app.app_context():
        assert run_once("test").delivered == 1


def _response(order, code_lines, *, doc_id: str, hour: int):
    from datetime import time

    from ehf.order_response import OrderResponse, OrderResponseLine, build_order_response
    from ehf.parties import PartyRef

    seller = PartyRef(endpoint_id=order.supplier.endpoint_id, endpoint_scheme="0192", name=order.supplier.name)
    buyer = PartyRef(endpoint_id=order.organisation.orgnr, endpoint_scheme="0192", name=order.organisation.name)
    common = {"id": doc_id, "issue_date": utcnow().date(), "issue_time": time(hour, 0), "seller": seller,
              "buyer": buyer}
    if not code_lines:
        return build_order_response(OrderResponse.accepted(order.number, **common))
    lines = [OrderResponseLine.rejected(str(no), "x", "Ikke på lager") if verdict == "rejected"
             else OrderResponseLine.accepted(str(no), "x") for no, verdict in code_lines]
    return build_order_response(OrderResponse.conditionally_accepted(order.number, lines, **common))


def _despatch(order, delivered: Decimal, *, doc_id: str):
    from ehf.despatch_advice import DespatchAdvice, DespatchLine, build_despatch_advice
    from ehf.parties import PartyRef

    seller = PartyRef(endpoint_id=order.supplier.endpoint_id, endpoint_scheme="0192", name=order.supplier.name,
                      country_code="NO")
    buyer = PartyRef(endpoint_id=order.organisation.orgnr, endpoint_scheme="0192", name=order.organisation.name,
                     country_code="NO")
    line = DespatchLine("1", "1", "Kopipapir", delivered, "XPK", order_id=order.number, sellers_item_id="KP-100")
    return build_despatch_advice(DespatchAdvice(id=doc_id, issue_date=utcnow().date(), supplier=seller,
                                                delivery_customer=buyer, lines=(line,), order_id=order.number))


def test_worker_duplicate_and_out_of_order_supplier_documents(app, world, approved_orders, store):
    from webshop.delivery.worker import run_once
    from webshop.extensions import db
    from webshop.supplier import inbound
    from webshop.supplier.models import InboundDocument, OrderLineStatus
    from webshop.supplier.rules import InboundState, LineResponse

    (order_id,) = approved_orders(1, items=("KP-100", "PEN-1", "FAR-1"))
    with app.app_context():
        run_once("test")  # delivered (folder transport); no simulator configured
        order = db.session.get(Order, order_id)
        newer = _response(order, [], doc_id="OR-2", hour=11)
        older = _response(order, [(3, "rejected"), (1, "accepted")], doc_id="OR-1", hour=10)
        despatch = _despatch(order, Decimal(2), doc_id="DA-1")
        other_order = order.number.replace("IK-", "IK-9")
        feed = [
            ("despatch before any response", despatch),
            ("newer response", newer),
            ("older response, late", older),
            ("same response again", newer),
            ("same despatch again", despatch),
            ("not XML", b"\x00\xffnot xml at all"),
            ("an order, not an answer", order.documents[0].xml),
            ("unknown order", newer.replace(order.number.encode(), other_order.encode())),
            ("half a document", newer[: len(newer) // 2]),
        ]
        for name, xml in feed:
            inbound.receive(xml, source=f"test:{name}")
        db.session.commit()
        result = run_once("test")  # must not crash on any of them
        assert result.errors == []
    store.expire_all()
    states = {d.source.removeprefix("test:"): d for d in store.scalars(select(InboundDocument))}
    assert states["despatch before any response"].reason is None, states["despatch before any response"].reason
    assert {k: d.state for k, d in states.items()} == {
        "despatch before any response": InboundState.PROCESSED,
        "newer response": InboundState.PROCESSED,
        "older response, late": InboundState.STALE,
        "same response again": InboundState.DUPLICATE,
        "same despatch again": InboundState.DUPLICATE,
        "not XML": InboundState.QUARANTINED,
        "an order, not an answer": InboundState.QUARANTINED,
        "unknown order": InboundState.QUARANTINED,
        "half a document": InboundState.QUARANTINED,
    }
    assert states["despatch before any response"].reason is None, states["despatch before any response"].reason
    assert "Ukjent dokumenttype" in states["an order, not an answer"].reason
    assert "Ukjent ordre" in states["unknown order"].reason
    assert all(d.xml for d in states.values())  # kept as received, never lost
    lines = {s.line.line_no: s for s in store.scalars(select(OrderLineStatus).where(
        OrderLineStatus.order_id == order_id))}
    assert {no: s.response for no, s in lines.items()} == {n: LineResponse.ACCEPTED for n in (1, 2, 3)}
    assert lines[1].delivered_quantity == Decimal(2)  # the repeated despatch advice was not counted twice
    # the order follows: confirmed, then partly delivered (lines 2 and 3 still to come), never moved twice
    order_events = [e.to_status for e in store.get(Order, order_id).events if e.to_status]
    assert order_events[-2:] == ["sent", "partly_delivered"], order_events
    assert store.get(Order, order_id).status == OrderStatus.PARTLY_DELIVERED
