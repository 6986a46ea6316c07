"""Transports for outgoing EHF messages, behind one small interface.

``FolderTransport`` (the default) drops the file in a folder (instance/outbox/),
written atomically so a reader never sees half a file; ``HttpTransport`` POSTs it
to a supplier endpoint. Both carry the stable message id (in the file name, in the
``Message-Id`` / ``Idempotency-Key`` headers), so a resend after a crash is
recognised by the receiver as a duplicate. ``PeppolAccessPointTransport`` is the
place for a Peppol access point client; none is configured here.
"""
from __future__ import annotations

import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from webshop.orders.models import OrderDocument


class TransportError(Exception):
    """The message did not reach the receiver; the text says why (shown to the coordinator)."""


@dataclass(frozen=True)
class Outgoing:
    message_id: str
    filename: str
    xml: bytes
    receiver: str  # the supplier's Peppol endpoint id


class Transport(Protocol):
    def send(self, message: Outgoing) -> str:
        """Deliver ``message``; return a reference (a path, an HTTP status, a receipt id). Raise TransportError."""
        ...


class FolderTransport:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def send(self, message: Outgoing) -> str:
        """Write the message as <order>-<message id>.xml: a resend overwrites the same file."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{message.filename.removesuffix('.xml')}-{message.message_id}.xml"
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".partial-", suffix=".xml")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(message.xml)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise TransportError(f"Kunne ikke skrive til {self.folder}: {exc}") from exc
        return str(target)


class HttpTransport:
    """POST the XML; 2xx is delivered, and 409 (already have it) too."""

    def __init__(self, url: str, timeout: float = 15.0) -> None:
        self.url = url
        self.timeout = timeout

    def send(self, message: Outgoing) -> str:
        request = urllib.request.Request(self.url, data=message.xml, method="POST", headers={
            "Content-Type": "application/xml", "Message-Id": message.message_id,
            "Idempotency-Key": message.message_id, "X-Peppol-Receiver": message.receiver})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http/https only)
                return f"HTTP {response.status} {self.url}"
        except urllib.error.HTTPError as exc:
            if exc.code == 409:
                return f"HTTP 409 (allerede mottatt) {self.url}"
            raise TransportError(f"Mottakeren svarte HTTP {exc.code} ({self.url})") from exc
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransportError(f"Fikk ikke kontakt med {self.url}: {reason}") from exc


class PeppolAccessPointTransport:
    """Send through a Peppol access point (AS4). Not configured in this installation."""

    def send(self, message: Outgoing) -> str:
        raise TransportError("Det er ikke satt opp noe Peppol-aksesspunkt. Velg mappe eller HTTP for leverandøren.")


def outgoing(document: OrderDocument, receiver: str = "") -> Outgoing:
    return Outgoing(document.message_id, document.filename, document.xml, receiver)


def deliver(document: OrderDocument, outbox_dir: str) -> str:
    """Write ``document`` to ``outbox_dir`` (kept for callers of the first version)."""
    try:
        return FolderTransport(outbox_dir).send(outgoing(document))
    except TransportError as exc:
        raise OSError(str(exc)) from exc
