"""Issue 16: user administration. A coordinator invites, deactivates, reactivates, gives and
takes roles in their municipality (the central buyer in the whole collaboration), imports people
from a CSV (all or nothing), and anyone can reset a forgotten password by e-mail. Links are
one-time, expire, are stored hashed, and every change is in the audit log."""
from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
from helpers import PASSWORD, page_text
from sqlalchemy import select

from webshop.admin.users_models import AccountToken
from webshop.orders.models import AuditEvent, Order
from webshop.orgs.models import Role, RoleAssignment, User

NEW_PASSWORD = "Lang-nok-passord-7"


@pytest.fixture
def mailbox(app):
    """The outbox backend's folder (MAIL_BACKEND unset, no MAIL_SERVER: .eml files), emptied first."""
    folder = Path(app.config["OUTBOX_DIR"]).parent / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    for f in folder.iterdir():
        f.unlink()

    def read() -> list:
        files = sorted(folder.iterdir(), key=lambda f: f.stat().st_mtime_ns)
        return [message_from_bytes(f.read_bytes(), policy=default_policy) for f in files]

    return read


def link_in(mail) -> str:
    body = mail.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"http://localhost(/konto/passord/[A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


def invite(client, world, **data):
    form = {"name": "Nina Ny", "email": "nina@lia.no", "unit_id": world.school.id, "role": "orderer", **data}
    return client.post("/brukere/inviter", data=form)


def audit_actions(store) -> list[str]:
    store.expire_all()
    return list(store.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_coordinator_invites_an_orderer_who_sets_a_password_and_orders(app, world, login_as, store, mailbox):
    coordinator = login_as(world.coordinator)
    response = invite(coordinator, world)
    assert response.status_code == 302, page_text(response)[:2000]
    [mail] = mailbox()
    assert mail["To"] == "nina@lia.no" and "invitert" in mail["Subject"]
    link = link_in(mail)

    newcomer = app.test_client()
    no_password_yet = newcomer.post("/logg-inn", data={"email": "nina@lia.no", "password": "!"})
    assert no_password_yet.status_code == 200
    page = newcomer.get(link)
    assert page.status_code == 200 and "Velkommen, Nina Ny" in page_text(page)
    done = newcomer.post(link, data={"password": NEW_PASSWORD, "repeated": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/logg-inn")
    assert newcomer.post("/logg-inn", data={"email": "nina@lia.no", "password": NEW_PASSWORD}).status_code == 302
    pen = world.items["PEN-1"]
    assert newcomer.post("/handlekurv/legg-til", data={"item_id": pen.id, "quantity": "2"}).status_code == 302
    assert newcomer.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302
    nina = store.scalar(select(User).where(User.email == "nina@lia.no"))
    order = store.scalar(select(Order).where(Order.orderer_id == nina.id))
    assert order is not None and order.unit_id == world.school.id
    assert [(r.role, r.unit_id) for r in nina.roles] == [(Role.ORDERER, world.school.id)]
    assert audit_actions(store)[:2] == ["user_invited", "password_set"]


def test_the_link_is_stored_hashed_works_once_and_expires(app, world, login_as, store, mailbox):
    invite(login_as(world.coordinator), world)
    link = link_in(mailbox()[0])
    token = link.rsplit("/", 1)[1]
    row = store.scalar(select(AccountToken))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash
    assert (row.expires_at - row.created_at) == timedelta(days=7)
    client = app.test_client()
    assert client.post(link, data={"password": NEW_PASSWORD, "repeated": NEW_PASSWORD}).status_code == 302
    again = client.post(link, data={"password": "Annet-passord-99", "repeated": "Annet-passord-99"})
    assert again.status_code == 404 and "Lenken virker ikke" in page_text(again)

    invite(login_as(world.coordinator), world, email="ove@lia.no", name="Ove Sen")
    late = link_in(mailbox()[-1])
    for pending in store.scalars(select(AccountToken).where(AccountToken.used_at.is_(None))):
        pending.expires_at = pending.created_at - timedelta(minutes=1)
    store.commit()
    assert app.test_client().get(late).status_code == 404


def test_a_resent_invitation_replaces_the_old_link(app, world, login_as, store, mailbox):
    coordinator = login_as(world.coordinator)
    invite(coordinator, world)
    first = link_in(mailbox()[0])
    nina = store.scalar(select(User).where(User.email == "nina@lia.no"))
    assert coordinator.post(f"/brukere/{nina.id}/invitasjon").status_code == 302
    second = link_in(mailbox()[-1])
    assert first != second
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200


def test_passwords_that_are_refused(app, world, login_as, mailbox):
    invite(login_as(world.coordinator), world)
    link = link_in(mailbox()[0])
    client = app.test_client()
    short = client.post(link, data={"password": "kort", "repeated": "kort"})
    assert short.status_code == 400 and "minst 10 tegn" in page_text(short)
    differ = client.post(link, data={"password": NEW_PASSWORD, "repeated": NEW_PASSWORD + "x"})
    assert differ.status_code == 400 and "ikke like" in page_text(differ)
    assert client.get(link).status_code == 200  # a refused password does not spend the link


def test_a_coordinator_invites_only_into_their_own_municipality(world, login_as, store, mailbox):
    response = invite(login_as(world.coordinator), world, unit_id=world.other_unit.id)
    assert response.status_code == 400  # Bø's units are not among the choices
    assert store.scalar(select(User).where(User.email == "nina@lia.no")) is None and mailbox() == []
    taken = invite(login_as(world.coordinator), world, email="OLA@lia.no")
    assert taken.status_code == 400 and "finnes allerede" in page_text(taken)


def central_buyer(store, world) -> User:
    from helpers import set_password
    buyer = User(email="innkjop@lia.no", name="Ingrid Innkjøp", organisation_id=world.org.id)
    set_password(buyer)
    buyer.roles = [RoleAssignment(role=Role.CENTRAL_BUYER, unit_id=None)]
    store.add(buyer)
    store.commit()
    return buyer


def test_the_central_buyer_administers_the_whole_collaboration(world, login_as, store, mailbox):
    buyer = login_as(central_buyer(store, world))
    assert invite(buyer, world, unit_id=world.other_unit.id, email="ny@bo.no").status_code == 302
    assert mailbox()[0]["To"] == "ny@bo.no"
    listing = page_text(buyer.get("/brukere/"))
    assert "Bo Other" in listing and "Ola Orderer" in listing
    # the central buyer may make someone coordinator of their municipality; a coordinator may not
    other = world.other_orderer
    assert buyer.post(f"/brukere/{other.id}/roller", data={"role": "coordinator", "unit_id": 0}).status_code == 302
    refused = login_as(world.coordinator).post(f"/brukere/{world.orderer.id}/roller",
                                               data={"role": "coordinator", "unit_id": 0})
    assert refused.status_code == 400
    store.expire_all()
    assert {r.role for r in store.get(User, other.id).roles} == {Role.ORDERER, Role.COORDINATOR}
    assert login_as(world.coordinator).get(f"/brukere/{other.id}").status_code == 404  # Bø: not theirs


def test_deactivate_and_reactivate(app, world, login_as, store):
    orderer = login_as(world.orderer)
    coordinator = login_as(world.coordinator)
    assert coordinator.post(f"/brukere/{world.orderer.id}/deaktiver").status_code == 302
    assert orderer.get("/katalog").status_code == 302  # the running session ended at once
    assert app.test_client().post("/logg-inn", data={"email": world.orderer.email, "password": PASSWORD}
                                  ).status_code == 200
    assert coordinator.post(f"/brukere/{world.orderer.id}/aktiver").status_code == 302
    login_as(world.orderer)  # asserts the login works again
    assert audit_actions(store) == ["user_deactivated", "user_reactivated"]
    assert "Ingen roller" not in page_text(coordinator.get(f"/brukere/{world.orderer.id}"))
    assert coordinator.post(f"/brukere/{world.coordinator.id}/deaktiver").status_code == 404  # never oneself


def test_give_and_take_a_role_per_unit(world, login_as, store):
    coordinator = login_as(world.coordinator)
    response = coordinator.post(f"/brukere/{world.orderer.id}/roller",
                                data={"role": "approver", "unit_id": world.nursing.id})
    assert response.status_code == 302
    store.expire_all()
    ola = store.get(User, world.orderer.id)
    assert ola.unit_ids(Role.APPROVER) == {world.nursing.id}
    assignment = next(r for r in ola.roles if r.role == Role.APPROVER)
    assert coordinator.post(f"/brukere/{ola.id}/roller/{assignment.id}/fjern").status_code == 302
    store.expire_all()
    assert store.get(User, ola.id).unit_ids(Role.APPROVER) == set()
    wrong_unit = coordinator.post(f"/brukere/{ola.id}/roller", data={"role": "approver",
                                                                     "unit_id": world.other_unit.id})
    assert wrong_unit.status_code == 400
    events = store.execute(select(AuditEvent.action, AuditEvent.comment, AuditEvent.actor_id)
                           .order_by(AuditEvent.id)).all()
    assert events == [
        ("role_granted", "Ola Orderer (ola@lia.no): approver for Lia sykehjem", world.coordinator.id),
        ("role_revoked", "Ola Orderer (ola@lia.no): approver for Lia sykehjem", world.coordinator.id),
    ]


def upload_users(client, world, text: str):
    return client.post("/brukere/import", data={"organisation_id": world.org.id,
                                                "file": (io.BytesIO(text.encode()), "brukere.csv")},
                       content_type="multipart/form-data")


def test_a_csv_with_one_bad_row_imports_nobody_and_says_which_rows(world, login_as, store, mailbox):
    coordinator = login_as(world.coordinator)
    text = ("navn;e-post;enhet;rolle\n"
            "Anne A;anne@lia.no;Lia skole;bestiller\n"
            "Berit B;berit@lia.no;Finnes ikke;bestiller\n"
            "Cato C;ikke-epost;skole;godkjenner\n"
            "Dina D;anne@lia.no;sykehjem;bestiller\n"
            "Eva E;eva@lia.no;sykehjem;sjef\n")
    response = upload_users(coordinator, world, text)
    html = page_text(response)
    assert response.status_code == 400
    assert "linje 3: enheten «Finnes ikke» finnes ikke i Lia kommune" in html
    assert "linje 4: «ikke-epost» er ikke en e-postadresse." in html
    assert "linje 5: anne@lia.no står også på linje 2" in html
    assert "linje 6: rollen «sjef» kan ikke brukes" in html
    assert store.scalar(select(User).where(User.email == "anne@lia.no")) is None and mailbox() == []

    good = ("name,email,unit,role\nAnne A,anne@lia.no,Lia skole,bestiller\n"
            "Cato C,cato@lia.no,sykehjem,Godkjenner\n")
    assert upload_users(coordinator, world, good).status_code == 302
    store.expire_all()
    people = {u.email: {(r.role, r.unit_id) for r in u.roles}
              for u in store.scalars(select(User).where(User.email.in_(["anne@lia.no", "cato@lia.no"])))}
    assert people == {"anne@lia.no": {(Role.ORDERER, world.school.id)},
                      "cato@lia.no": {(Role.APPROVER, world.nursing.id)}}
    assert sorted(m["To"] for m in mailbox()) == ["anne@lia.no", "cato@lia.no"]
    assert audit_actions(store) == ["user_invited", "user_invited", "users_imported"]


def test_password_reset_by_mail_says_the_same_for_unknown_addresses(app, world, store, mailbox):
    client = app.test_client()
    known = client.post("/glemt-passord", data={"email": world.orderer.email})
    unknown = client.post("/glemt-passord", data={"email": "finnes.ikke@lia.no"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert mailbox() == []  # the mail goes out after the answer has been sent (a slow SMTP server tells nothing)
    known.close()
    unknown.close()
    assert "Hvis adressen hører til en konto" in page_text(client.get(known.headers["Location"]))
    [mail] = mailbox()
    assert mail["To"] == world.orderer.email
    link = link_in(mail)
    assert client.post(link, data={"password": NEW_PASSWORD, "repeated": NEW_PASSWORD}).status_code == 302
    assert client.post("/logg-inn", data={"email": world.orderer.email, "password": PASSWORD}).status_code == 200
    assert client.post("/logg-inn", data={"email": world.orderer.email, "password": NEW_PASSWORD}).status_code == 302
    assert audit_actions(store) == ["password_reset_requested", "password_reset"]


def test_password_reset_is_rate_limited_per_account(app, world, mailbox):
    client = app.test_client()
    responses = [client.post("/glemt-passord", data={"email": world.approver.email}) for _ in range(4)]
    for response in responses:
        response.close()  # the server has sent the answer: now the mail goes out
    assert [r.status_code for r in responses] == [302, 302, 302, 429]
    assert len(mailbox()) == 3


def test_the_rule_and_the_user_list_agree_for_every_pair(app, world, store):
    """``can_manage`` and its twin query ``managed_users`` give the same answer for every user pair."""
    from webshop.admin.users import can_manage, managed_users
    from webshop.extensions import db

    central_buyer(store, world)
    with app.app_context():
        everyone = list(db.session.scalars(select(User)))
        for by in everyone:
            listed = set(db.session.scalars(managed_users(by).with_only_columns(User.id)))
            assert listed == {p.id for p in everyone if can_manage(by, p)}, by.email
        by_email = {u.email: u for u in everyone}
        assert {p.email for p in everyone if can_manage(by_email["koord@lia.no"], p)} == {
            "ola@lia.no", "kari@lia.no", "siri@lia.no", "per@lia.no"}  # not the central buyer


def test_the_service_refuses_an_invitation_into_another_municipality(app, world):
    from webshop.admin.users import UserAdminError, invite_user
    from webshop.extensions import db
    from webshop.orgs.models import Unit

    with app.app_context():
        coordinator = db.session.get(User, world.coordinator.id)
        with pytest.raises(UserAdminError, match="kan ikke invitere"):
            invite_user(name="Nina", email="nina@bo.no", unit=db.session.get(Unit, world.other_unit.id),
                        role=Role.ORDERER, by=coordinator, lifetime=timedelta(days=7))
        with pytest.raises(UserAdminError, match="tegn som ikke kan brukes"):
            invite_user(name="Nina\x0bNy", email="nina@lia.no", unit=db.session.get(Unit, world.school.id),
                        role=Role.ORDERER, by=coordinator, lifetime=timedelta(days=7))
        db.session.rollback()


def test_a_link_used_twice_at_once_sets_one_password_concurrent(app, world, login_as, store, mailbox):
    """Two tabs submit the same invitation link together. Both have read the live token before either
    commits (tests/overlap.py); the compare-and-set on the token (``used_at IS NULL``) refuses the loser."""
    from overlap import Overlap

    from webshop.extensions import db

    invite(login_as(world.coordinator), world)
    link = link_in(mailbox()[0])
    tabs = [app.test_client(), app.test_client()]
    with app.app_context():
        engine = db.engine
    passwords = ["Vinnerens-passord-1", "Taperens-passord-22"]
    with Overlap(engine, arm=lambda sql: sql.startswith("UPDATE account_tokens SET used_at")) as forced:
        outcome = forced.run(*(lambda tab=tab, pw=pw: tab.post(link, data={"password": pw, "repeated": pw})
                               for tab, pw in zip(tabs, passwords, strict=True)))
    assert outcome["winner"].status_code == 302 and outcome["loser"].status_code == 404
    assert forced.rowcounts("loser", "UPDATE account_tokens SET used_at") == [0]
    client = app.test_client()
    assert client.post("/logg-inn", data={"email": "nina@lia.no", "password": passwords[1]}).status_code == 200
    assert client.post("/logg-inn", data={"email": "nina@lia.no", "password": passwords[0]}).status_code == 302
