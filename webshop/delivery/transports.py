"""Transports for outgoing EHF messages, behind one small interface.

``FolderTransport`` (the default) drops the file in a folder (instance/outbox/),
written atomically so a reader never sees half a file; ``HttpTransport`` POSTs it
to a supplier endpoint. Both carry the stable message id (in the file name, in the
``Message-Id`` / ``Idempotency-Key`` headers), so a resend after a crash is
recognised by the receiver as a duplicate. ``HttpTransport`` refuses, before connecting,
any endpoint that is not https to a public address (webshop.supplier.endpoints).
``PeppolAccessPointTransport`` is the place for a Peppol access point client; none is configured here.
"""
from __future__ import annotations

import http.client
import os
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from webshop.orders.models import OrderDocument
from webshop.supplier.endpoints import AddrInfo, EndpointRefused, check_endpoint_url, resolve_checked


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
    """POST the XML; 2xx is delivered, and 409 (already have it) too. Before connecting, the
    URL and every address its host resolves to are checked (supplier.endpoints: https, public
    addresses only), and the connection goes to exactly the addresses checked, so a name that
    resolves inside the network never gets a request. Redirects are not followed."""

    def __init__(self, url: str, timeout: float = 15.0, *, allow_loopback: bool = False) -> None:
        self.url = url
        self.timeout = timeout
        self.allow_loopback = allow_loopback

    def send(self, message: Outgoing) -> str:
        parts = urlsplit(self.url)
        try:
            check_endpoint_url(self.url, allow_http_loopback=self.allow_loopback)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            addresses = resolve_checked(parts.hostname or "", port, allow_loopback=self.allow_loopback)
        except EndpointRefused as exc:
            raise TransportError(f"Adressen {self.url} er ikke tillatt: {exc}") from None
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.hostname or "", port, timeout=self.timeout)
        connection._create_connection = _connect_to(addresses)  # type: ignore[attr-defined]
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("POST", path, body=message.xml, headers={
                "Content-Type": "application/xml", "Message-Id": message.message_id,
                "Idempotency-Key": message.message_id, "X-Peppol-Receiver": message.receiver})
            response = connection.getresponse()
            response.read(64 * 1024)
        except (OSError, http.client.HTTPException) as exc:
            raise TransportError(f"Fikk ikke kontakt med {self.url}: {exc}") from exc
        finally:
            connection.close()
        if 200 <= response.status < 300:
            return f"HTTP {response.status} {self.url}"
        if response.status == 409:
            return f"HTTP 409 (allerede mottatt) {self.url}"
        raise TransportError(f"Mottakeren svarte HTTP {response.status} ({self.url})")


def _connect_to(addresses: list[AddrInfo]) -> Callable[..., socket.socket]:
    """A replacement for socket.create_connection that only connects to the checked addresses."""

    def connect(_address: object, timeout: float | None = None, source_address: object = None) -> socket.socket:
        error: OSError = OSError("ingen adresse")
        for family, kind, proto, _name, sockaddr in addresses:
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error

    return connect


class PeppolAccessPointTransport:
    """Send through a Peppol access point (AS4). Not configured in this installation."""

    def send(self, message: Outgoing) -> str:
        raise TransportError("Det er ikke satt opp noe Peppol-aksesspunkt. Velg mappe eller HTTP for leverandøren.")


class SandboxTransport:
    """A training sandbox's order (issue 12): it never leaves this machine, whatever the supplier's
    own transport is; the supplier simulator answers it instead."""

    def send(self, message: Outgoing) -> str:
        return f"sandbox:{message.message_id}"


def outgoing(document: OrderDocument, receiver: str = "") -> Outgoing:
    return Outgoing(document.message_id, document.filename, document.xml, receiver)


def deliver(document: OrderDocument, outbox_dir: str) -> str:
    """Write ``document`` to ``outbox_dir`` (kept for callers of the first version)."""
    try:
        return FolderTransport(outbox_dir).send(outgoing(document))
    except TransportError as exc:
        raise OSError(str(exc)) from exc
