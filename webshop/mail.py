"""Outgoing e-mail for every feature: one ``send(messages)``, over SMTP or into a folder.

Which backend is used is the app's ``MAIL_BACKEND`` setting: ``smtp`` sends through
``MAIL_SERVER`` (STARTTLS and login when configured); ``outbox`` writes each message as an
``.eml`` file to ``MAIL_OUTBOX_DIR`` (development, tests, a demo without a mail server: open
the file to follow an invitation link); unset means ``smtp`` when ``MAIL_SERVER`` is set,
else ``outbox``. Senders build their messages with ``message(...)`` and send them after their
transaction has committed, never before, so nobody gets a link to something that was rolled back.
"""
from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import current_app

from webshop.dbtypes import utcnow
from webshop.logs import fields

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailSettings:
    """An SMTP server from the app's MAIL_* settings (``MAIL_SERVER`` may carry ":port")."""

    server: str
    port: int = 25
    username: str | None = None
    password: str | None = None
    use_tls: bool = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings | None:
        server = config.get("MAIL_SERVER")
        if not server:
            return None
        host, _, port = str(server).partition(":")
        return cls(host, int(port or config.get("MAIL_PORT") or 25), config.get("MAIL_USERNAME") or None,
                   config.get("MAIL_PASSWORD") or None, bool(config.get("MAIL_USE_TLS")))


def send_mails(mails: list[EmailMessage], settings: MailSettings) -> int:
    """Send through a real SMTP server (STARTTLS and login when configured)."""
    sent = 0
    with smtplib.SMTP(settings.server, settings.port, timeout=30) as smtp:
        if settings.use_tls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        for mail in mails:
            smtp.send_message(mail)
            sent += 1
    return sent


def outbox_dir(config: Mapping[str, Any]) -> Path:
    """Where the outbox backend writes: MAIL_OUTBOX_DIR, else a ``mail`` folder beside OUTBOX_DIR."""
    configured = config.get("MAIL_OUTBOX_DIR")
    return Path(configured) if configured else Path(str(config["OUTBOX_DIR"])).parent / "mail"


def backend(config: Mapping[str, Any]) -> str:
    chosen = str(config.get("MAIL_BACKEND") or "").lower()
    if chosen in ("smtp", "outbox"):
        return chosen
    return "smtp" if config.get("MAIL_SERVER") else "outbox"


def message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from the app's MAIL_FROM."""
    mail = EmailMessage()
    mail["From"] = current_app.config.get("MAIL_FROM") or "innkjop@localhost"
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content(body)
    return mail


def _write(mails: list[EmailMessage], folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    for mail in mails:
        (folder / f"{stamp}-{uuid.uuid4().hex[:12]}.eml").write_bytes(bytes(mail))
    return len(mails)


def send(mails: list[EmailMessage]) -> int:
    """Send ``mails`` with the configured backend; returns how many went out."""
    if not mails:
        return 0
    config = current_app.config
    if backend(config) == "outbox":
        sent = _write(mails, outbox_dir(config))
    else:
        settings = MailSettings.from_config(config)
        if settings is None:
            raise RuntimeError("MAIL_BACKEND=smtp needs MAIL_SERVER")
        sent = send_mails(mails, settings)
    log.info("mail sent", extra=fields(count=sent, backend=backend(config)))
    return sent
