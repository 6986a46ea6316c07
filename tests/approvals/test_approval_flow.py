"""The approval workflow through the web app: routes, auto-approval, hard caps, tiers,
return for changes, bulk approval, substitutes, reminders, and the admin pages."""
from __future__ import annotations

import socket
from datetime import timedelta
from decimal import Decimal

import pytest
from helpers import outbox_files, page_text
from sqlalchemy import func, select

from webshop.approvals.models import ApprovalDecision, ApprovalStep, ApprovalSubstitute, Notification
from webshop.cart.models import CartLine
from webshop.catalogue.services import today_in_norway
from webshop.orders.models import AuditEvent, Order, OrderDocument
from webshop.orgs.models import Role, RoleAssignment


def run_worker(app) -> int:
    from webshop.delivery.worker import run_once  # approval queues; the delivery worker sends

    with app.app_context():
        return run_once("test").delivered


def actions(store, order) -> list[str]:
    return list(store.scalars(select(AuditEvent.action).where(AuditEvent.order_id == order.id)
                              .order_by(AuditEvent.id)))


def test_default_policy_routes_every_order_to_the_units_approvers(world, place, store):
    order = place(world.orderer, world.items["PEN-1"], world.school)
    steps = list(store.scalars(select(ApprovalStep).where(ApprovalStep.order_id == order.id)))
    assert [(s.number, s.approver_ids) for s in steps] == [(1, {world.approver.id, world.orderer_approver.id})]
    assert order.status == "pending_approval"
    assert actions(store, order) == ["submitted"]


def test_cart_shows_the_route_and_why_before_submit(world, people, set_policy, login_as, store):
    set_policy(per_order="100", director_above="1000", director=people.director)
    c = login_as(world.orderer)
    c.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id, "quantity": "25"})  # 1 300 kr
    text = page_text(c.get("/handlekurv"))
    assert "Slik går bestillingen" in text
    assert "over grensen din på" in text and "Trinn 2: Sektordirektør (Gunnhild Sektor)" in text
    assert "Kari Approver" in text


def test_auto_approval_below_threshold_is_audited_with_the_reason(world, set_policy, place, store, app):
    set_policy(auto="100")
    order = place(world.orderer, world.items["PEN-1"], world.school, "20")  # 98 kr
    assert order.status == "approved"
    assert actions(store, order) == ["submitted", "auto_approved", "ehf_built"]
    event = store.scalar(select(AuditEvent).where(AuditEvent.action == "auto_approved"))
    assert event.actor_id is None and "under" in event.comment
    assert store.scalar(select(func.count()).select_from(OrderDocument)) == 1
    above = place(world.orderer, world.items["PEN-1"], world.school, "21")  # 102.90 kr
    assert above.status == "pending_approval"


def test_free_text_is_never_auto_approved(world, set_policy, place, store):
    set_policy(auto="100000")
    order = place(world.orderer, world.items["PEN-1"], world.school, free_text="Stiftemaskin")
    assert order.status == "pending_approval"


@pytest.mark.parametrize("quantity, refused", [("102", False), ("103", True)])  # 4.90 kr: 499.80 / 504.70
def test_hard_cap_refuses_submit_with_a_clear_message(world, set_policy, place, store, quantity, refused):
    set_policy(per_order="500", hard=True)
    if refused:
        response = place(world.orderer, world.items["PEN-1"], world.school, quantity, expect=400)
        assert "kan ikke sendes" in page_text(response) and "over grensen din på" in page_text(response)
        assert store.scalar(select(func.count()).select_from(Order)) == 0
        assert store.scalar(select(func.count()).select_from(CartLine)) == 1  # the cart is kept
    else:
        assert place(world.orderer, world.items["PEN-1"], world.school, quantity).status == "pending_approval"


def test_two_step_route_needs_two_different_people(world, people, set_policy, place, login_as, store, app):
    set_policy(director_above="1000", director=people.director)
    order = place(world.orderer, world.items["KP-100"], world.school, "20")  # 1 040 kr
    assert [s.name for s in order.approval_steps] == ["Enhetsleder", "Sektordirektør"]
    director = login_as(people.director)
    # Gunnhild approves step 1 as a unit approver ...
    r = director.post(f"/godkjenning/{order.id}", data={"approve": "1"}, follow_redirects=True)
    assert "går videre til neste godkjenner" in page_text(r)
    store.expire_all()
    assert store.get(Order, order.id).status == "pending_approval"
    # ... so she may not fill step 2 as well.
    r = director.post(f"/godkjenning/{order.id}", data={"approve": "1"}, follow_redirects=True)
    assert "Samme person kan ikke fylle to trinn" in page_text(r)
    # Kari is not the director: step 2 is not hers.
    r = login_as(world.approver).post(f"/godkjenning/{order.id}", data={"approve": "1"}, follow_redirects=True)
    assert "ikke godkjenner for dette trinnet" in page_text(r)
    store.expire_all()
    assert store.get(Order, order.id).status == "pending_approval"
    assert store.scalar(select(func.count()).select_from(OrderDocument)) == 0


def test_two_step_route_completes_and_sends_once(world, people, set_policy, place, login_as, store, app):
    set_policy(director_above="1000", director=people.director)
    order = place(world.orderer, world.items["KP-100"], world.school, "20")
    login_as(world.approver).post(f"/godkjenning/{order.id}", data={"approve": "1"})
    assert order.number in page_text(login_as(people.director).get("/godkjenning"))
    assert order.number not in page_text(login_as(world.approver).get("/godkjenning"))
    login_as(people.director).post(f"/godkjenning/{order.id}", data={"approve": "1"})
    assert run_worker(app) == 1
    store.expire_all()
    assert store.get(Order, order.id).status == "sent"
    assert len(outbox_files(app)) == 1
    assert actions(store, order) == ["submitted", "step_approved", "approved", "ehf_built", "sent"]


def test_changing_a_limit_in_the_ui_changes_the_next_orders_route_not_the_old_ones(
        world, people, set_policy, place, login_as, store):
    set_policy()
    old = place(world.orderer, world.items["KP-100"], world.school, "20")
    assert len(old.approval_steps) == 1
    coordinator = login_as(world.coordinator)
    r = coordinator.post("/admin/regler/trinn", data={"name": "Sektordirektør", "required_above": "1000",
                                                      "approver_user_id": people.director.id})
    assert r.status_code == 302, page_text(r)[:1500]
    new = place(world.orderer, world.items["KP-100"], world.school, "20")
    assert [s.name for s in new.approval_steps] == ["Enhetsleder", "Sektordirektør"]
    store.expire_all()
    assert len(store.get(Order, old.id).approval_steps) == 1  # decisions and routes already taken stay
    assert "policy_changed" in list(store.scalars(select(AuditEvent.action)))
    # Raise auto-approval over the order's total: the next identical order goes straight through.
    r = coordinator.post("/admin/regler", data={"auto_approve_below": "5000", "escalate_after_days": "3"})
    assert r.status_code == 302
    assert place(world.orderer, world.items["KP-100"], world.school, "20").status == "approved"


def test_person_limit_edited_by_coordinator(world, login_as, place, store):
    coordinator = login_as(world.coordinator)
    r = coordinator.post(f"/admin/personer/{world.orderer.id}/grenser",
                         data={"per_order": "50", "hard": "y", "unspsc_prefixes": ""})
    assert r.status_code == 302
    response = place(world.orderer, world.items["KP-100"], world.school, "1", expect=400)
    assert "over grensen din på" in page_text(response)
    bad = coordinator.post(f"/admin/personer/{world.orderer.id}/grenser", data={"per_order": "-1"})
    assert bad.status_code == 400 and "Dette må rettes" in page_text(bad)
    bad = coordinator.post(f"/admin/personer/{world.orderer.id}/grenser", data={"unspsc_prefixes": "papir"})
    assert bad.status_code == 400 and "UNSPSC" in page_text(bad)


def test_return_for_changes_puts_the_lines_back_in_the_cart(world, place, login_as, store):
    order = place(world.orderer, world.items["KP-100"], world.school, "3")
    approver = login_as(world.approver)
    r = approver.post(f"/godkjenning/{order.id}", data={"return_order": "1"}, follow_redirects=True)
    assert "Skriv hva som må endres" in page_text(r)
    approver.post(f"/godkjenning/{order.id}", data={"return_order": "1", "comment": "Ta 2 pakker"})
    store.expire_all()
    assert store.get(Order, order.id).status == "returned"
    line = store.scalar(select(CartLine).where(CartLine.user_id == world.orderer.id))
    assert line.item_id == world.items["KP-100"].id and line.quantity == Decimal("3")
    assert store.scalar(select(ApprovalDecision.decision)) == "returned"


def test_inbox_filters_review_page_and_bulk_approve(world, place, login_as, store, app):
    a = place(world.orderer, world.items["PEN-1"], world.school, "1")
    b = place(world.orderer, world.items["KP-100"], world.school, "2")
    c = place(world.orderer, world.items["PEN-1"], world.school, free_text="Noe rart")
    approver = login_as(world.approver)
    assert all(o.number in page_text(approver.get("/godkjenning")) for o in (a, b, c))
    filtered = page_text(approver.get("/godkjenning?fra_belop=100"))
    assert b.number in filtered and a.number not in filtered
    assert c.number not in page_text(approver.get("/godkjenning?type=katalog"))
    assert approver.get("/godkjenning?fra_belop=-5").status_code == 400
    review = page_text(approver.get(f"/godkjenning/{b.id}"))
    assert "Avtalepris mot listepris" in review and "67,30" in review  # list price beside the agreement price
    assert "forbruk denne måneden" in review
    r = approver.post("/godkjenning/flere", data={"order_id": [a.id, b.id, c.id]}, follow_redirects=True)
    assert "har fritekstlinjer" in page_text(r)
    assert run_worker(app) == 2
    store.expire_all()
    assert [store.get(Order, o.id).status for o in (a, b, c)] == ["sent", "sent", "pending_approval"]
    assert len(outbox_files(app)) == 2


def test_substitute_gets_the_pending_orders_and_gives_them_back(world, people, place, login_as, store):
    order = place(world.orderer, world.items["PEN-1"], world.school)
    kari = login_as(world.approver)
    today = today_in_norway()
    r = kari.post("/godkjenning/stedfortreder", data={"deputy_id": world.nursing_approver.id,
                                                       "starts_on": today.isoformat(),
                                                       "ends_on": (today + timedelta(days=3)).isoformat()})
    assert r.status_code == 302, page_text(r)[:2000]
    per = login_as(world.nursing_approver)
    # Siri (orderer-approver) is still on the step; Kari's share moved to Per.
    assert order.number in page_text(per.get("/godkjenning"))
    assert order.number not in page_text(kari.get("/godkjenning"))
    bad = kari.post("/godkjenning/stedfortreder", data={"deputy_id": world.approver.id,
                                                         "starts_on": today.isoformat(), "ends_on": today.isoformat()})
    assert bad.status_code == 400
    row = store.scalar(select(ApprovalSubstitute))
    kari.post(f"/godkjenning/stedfortreder/{row.id}/slett")
    assert order.number in page_text(kari.get("/godkjenning"))
    assert order.number not in page_text(per.get("/godkjenning"))


def test_deputy_can_approve_while_the_approver_is_away(world, place, login_as, store):
    order = place(world.orderer, world.items["PEN-1"], world.school)
    today = today_in_norway()
    store.add(ApprovalSubstitute(approver_id=world.approver.id, deputy_id=world.nursing_approver.id,
                                 starts_on=today, ends_on=today))
    store.commit()
    r = login_as(world.nursing_approver).post(f"/godkjenning/{order.id}", data={"approve": "1"})
    assert r.status_code == 302  # Per approves the school's order for Kari, although he approves for another unit
    store.expire_all()
    assert store.get(Order, order.id).status == "approved"


@pytest.mark.parametrize("path", ["/admin/regler", "/admin/statistikk"])
def test_orderer_and_approver_cannot_open_admin_pages(world, login_as, path):
    assert login_as(world.orderer).get(path).status_code == 403
    assert login_as(world.approver).get(path).status_code == 403


def test_unit_manager_manages_own_unit_only_and_other_municipality_is_404(world, people, login_as, store):
    mia = login_as(people.manager)
    assert mia.get(f"/admin/enheter/{world.school.id}").status_code == 200
    assert mia.get(f"/admin/enheter/{world.nursing.id}").status_code == 403
    assert mia.get(f"/admin/enheter/{world.other_unit.id}").status_code == 404
    assert mia.get("/admin/regler").status_code == 403  # municipality-wide rules: the coordinator only
    assert mia.post(f"/admin/enheter/{world.nursing.id}/bestillere", data={"user_id": world.approver.id}
                    ).status_code == 403
    assert login_as(world.coordinator).get(f"/admin/personer/{world.other_orderer.id}/grenser").status_code == 404


def test_grant_and_revoke_ordering_authority_is_audited(world, people, login_as, store):
    mia = login_as(people.manager)
    r = mia.post(f"/admin/enheter/{world.school.id}/bestillere", data={"user_id": world.approver.id})
    assert r.status_code == 302, page_text(r)[:1500]
    assert login_as(world.approver).get("/handlekurv").status_code == 200
    again = mia.post(f"/admin/enheter/{world.school.id}/bestillere", data={"user_id": world.approver.id})
    assert again.status_code == 400
    mia.post(f"/admin/enheter/{world.school.id}/bestillere/{world.approver.id}/fjern")
    assert login_as(world.approver).get("/handlekurv").status_code == 403
    events = list(store.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == people.manager.id)
                                .order_by(AuditEvent.id)))
    assert events == ["authority_granted", "authority_revoked"]
    store.expire_all()
    assert not store.scalar(select(RoleAssignment).where(RoleAssignment.user_id == world.approver.id,
                                                          RoleAssignment.role == Role.ORDERER))


def test_statistics_and_fewer_orderers_proposal(world, people, place, login_as, store):
    for _ in range(3):
        place(world.orderer, world.items["PEN-1"], world.school)
    coordinator = login_as(world.coordinator)
    assert coordinator.get("/admin/statistikk").headers["Location"].endswith("/leder/bestillere")  # moved (issue 13)
    stats = page_text(coordinator.get("/leder/bestillere"))
    assert "Ola Orderer" in stats and "sjelden" in stats
    text = page_text(coordinator.get(f"/admin/enheter/{world.school.id}?antall=1"))
    assert "hadde 1 bestiller i stedet for 2" in text and "Mister bestillerrett: Siri Both" in text
    assert coordinator.get(f"/admin/enheter/{world.school.id}?antall=0").status_code == 400


def test_remind_escalates_old_orders_and_mails_through_smtp(world, people, set_policy, place, app, store):
    from aiosmtpd.controller import Controller

    set_policy(escalate_after_days=1)
    order = place(world.orderer, world.items["PEN-1"], world.school)
    store.get(Order, order.id).submitted_at = order.submitted_at - timedelta(days=7)
    store.commit()
    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            received.append((envelope, session.authenticated))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        return AuthResult(success=(auth_data.login, auth_data.password) == (b"varsel", b"hemmelig"))

    with socket.socket() as probe:  # a free port on the loopback interface
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    mail = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USERNAME": "varsel", "MAIL_PASSWORD": "hemmelig",
            "MAIL_FROM": "innkjop@lia.kommune.no"}
    before = {k: app.config.get(k) for k in mail}
    try:
        app.config.update(mail)
        result = app.test_cli_runner().invoke(args=["approvals", "remind"])
    finally:
        app.config.update(before)
        controller.stop()
    assert result.exit_code == 0, result.output
    assert "Eskalert: 1" in result.output
    step = store.scalar(select(ApprovalStep).where(ApprovalStep.order_id == order.id))
    store.refresh(step)
    assert step.escalated_at is not None
    assert {a.user_id for a in step.approvers} >= {people.manager.id, world.coordinator.id}
    assert received and all(authenticated for _, authenticated in received)  # MAIL_USERNAME / MAIL_PASSWORD
    assert {e.mail_from for e, _ in received} == {"innkjop@lia.kommune.no"}  # MAIL_FROM
    recipients = sorted(r for e, _ in received for r in e.rcpt_tos)
    assert "kari@lia.no" in recipients and "mia@lia.no" in recipients and "koord@lia.no" in recipients
    assert store.scalar(select(func.count()).select_from(Notification)) == len(recipients)
    again = app.test_cli_runner().invoke(args=["approvals", "remind"])
    assert "Eskalert: 0" in again.output  # escalated once
    assert "escalated" in actions(store, order)


def test_deputy_who_is_not_an_approver_reaches_the_inbox_and_decides(world, people, place, login_as, store):
    order = place(world.orderer, world.items["PEN-1"], world.school)
    mia = login_as(people.manager)  # unit manager: no approver role anywhere
    assert mia.get("/godkjenning").status_code == 403
    assert 'href="/godkjenning"' not in page_text(mia.get("/ordrer"))
    kari = login_as(world.approver)
    today = today_in_norway()
    r = kari.post("/godkjenning/stedfortreder", data={"deputy_id": people.manager.id, "starts_on": today.isoformat(),
                                                       "ends_on": today.isoformat()})
    assert r.status_code == 302, page_text(r)[:2000]
    assert 'href="/godkjenning"' in page_text(mia.get("/ordrer"))  # the navigation shows the inbox
    inbox = mia.get("/godkjenning")
    assert inbox.status_code == 200 and order.number in page_text(inbox)
    assert mia.get(f"/godkjenning/{order.id}").status_code == 200
    response = mia.post(f"/godkjenning/{order.id}", data={"approve": "1"}, follow_redirects=True)
    assert "er godkjent" in page_text(response)
    store.expire_all()
    assert store.get(Order, order.id).status == "approved"
    decision = store.scalar(select(ApprovalDecision).where(ApprovalDecision.order_id == order.id))
    assert decision.approver_id == people.manager.id
    # The range is over: no deputy role, no pending step, no inbox.
    row = store.scalar(select(ApprovalSubstitute))
    row.starts_on = row.ends_on = today - timedelta(days=1)
    store.commit()
    assert mia.get("/godkjenning").status_code == 403


def test_escalated_coordinator_reaches_the_inbox(world, place, login_as, store):
    from webshop.approvals.models import ApprovalStepApprover

    order = place(world.orderer, world.items["PEN-1"], world.school)
    coordinator = login_as(world.coordinator)
    assert coordinator.get("/godkjenning").status_code == 403
    step = store.scalar(select(ApprovalStep).where(ApprovalStep.order_id == order.id))
    store.add(ApprovalStepApprover(step_id=step.id, user_id=world.coordinator.id, via="escalation"))
    store.commit()
    inbox = coordinator.get("/godkjenning")
    assert inbox.status_code == 200 and order.number in page_text(inbox)


def test_escalation_counts_working_days_and_skips_easter(world, set_policy, place, app, store):
    from datetime import UTC, datetime

    from webshop.approvals.reminders import escalate_and_remind
    from webshop.dbtypes import clock_set_to
    from webshop.extensions import db

    set_policy(escalate_after_days=1)
    order = place(world.orderer, world.items["PEN-1"], world.school)
    store.get(Order, order.id).submitted_at = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)  # Wednesday before Easter
    store.commit()

    def remind_at(moment):
        with app.app_context(), clock_set_to(moment):
            escalated = escalate_and_remind().escalated
            db.session.commit()
        return escalated

    assert remind_at(datetime(2026, 4, 7, 8, 0, tzinfo=UTC)) == []  # one working day: Tuesday after Easter
    assert remind_at(datetime(2026, 4, 8, 8, 0, tzinfo=UTC)) == [order.number]  # two: escalated


def test_mail_settings_from_the_environment_style_config():
    from webshop.approvals.reminders import MailSettings

    assert MailSettings.from_config({"MAIL_SERVER": None}) is None
    assert MailSettings.from_config({"MAIL_SERVER": "smtp.lia.no", "MAIL_PORT": 587, "MAIL_USE_TLS": True,
                                     "MAIL_USERNAME": "u", "MAIL_PASSWORD": "p"}) == MailSettings(
        "smtp.lia.no", 587, "u", "p", True)
    assert MailSettings.from_config({"MAIL_SERVER": "smtp.lia.no:2525", "MAIL_PORT": 25}).port == 2525
