"""Issue 16: the small mail module. One ``send`` for every feature: SMTP when configured (the
approval reminders' SMTP code, now shared), else .eml files in a folder for development and tests."""
from __future__ import annotations

import socket
from email import message_from_bytes
from email.policy import default as default_policy

from webshop import mail


def test_the_backend_follows_the_settings():
    assert mail.backend({"MAIL_SERVER": None}) == "outbox"
    assert mail.backend({"MAIL_SERVER": "smtp.lia.no"}) == "smtp"
    assert mail.backend({"MAIL_SERVER": "smtp.lia.no", "MAIL_BACKEND": "outbox"}) == "outbox"
    assert str(mail.outbox_dir({"OUTBOX_DIR": "/srv/app/outbox"})) == "/srv/app/mail"
    chosen = {"OUTBOX_DIR": "/x/outbox", "MAIL_OUTBOX_DIR": "/var/mail/innkjop"}
    assert str(mail.outbox_dir(chosen)) == "/var/mail/innkjop"


def test_an_invitation_goes_out_through_smtp_when_a_server_is_set(app, world, login_as):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_FROM": "innkjop@lia.kommune.no"}
    before = {k: app.config.get(k) for k in settings}
    try:
        app.config.update(settings)
        response = login_as(world.coordinator).post("/brukere/inviter", data={
            "name": "Nina Ny", "email": "nina@lia.no", "unit_id": world.school.id, "role": "orderer"})
    finally:
        app.config.update(before)
        controller.stop()
    assert response.status_code == 302
    [envelope] = received
    assert envelope.mail_from == "innkjop@lia.kommune.no" and envelope.rcpt_tos == ["nina@lia.no"]
    body = message_from_bytes(envelope.content, policy=default_policy).get_body().get_content()
    assert "/konto/passord/" in body and "Nina Ny" in body
