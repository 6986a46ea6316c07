"""Inbound folder intake, the quarantine page, and the transports' error handling."""
from __future__ import annotations

import pytest
from helpers import page_text
from markupsafe import escape
from sqlalchemy import select

from webshop.delivery.transports import (
    FolderTransport,
    HttpTransport,
    Outgoing,
    PeppolAccessPointTransport,
    TransportError,
)

MESSAGE = Outgoing("0b5c-1", "IK-000001.xml", b"<Order/>", "918273646")


def test_folder_transport_resend_overwrites_the_same_file(tmp_path):
    transport = FolderTransport(tmp_path / "out")
    first, second = transport.send(MESSAGE), transport.send(MESSAGE)
    assert first == second and [p.name for p in (tmp_path / "out").iterdir()] == ["IK-000001-0b5c-1.xml"]


def test_folder_transport_unwritable_folder_is_a_transport_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(TransportError, match="Kunne ikke skrive"):
        FolderTransport(blocker / "out").send(MESSAGE)


def test_http_transport_error_codes_and_duplicates(receiver):
    assert HttpTransport(receiver.url, allow_loopback=True).send(MESSAGE).startswith("HTTP 200")
    assert receiver.posts == ["0b5c-1"]
    receiver.stop()
    with pytest.raises(TransportError, match="Fikk ikke kontakt"):
        HttpTransport(receiver.url, timeout=2, allow_loopback=True).send(MESSAGE)
    with pytest.raises(TransportError, match="Peppol-aksesspunkt"):
        PeppolAccessPointTransport().send(MESSAGE)


def test_inbox_folder_is_taken_in_and_bad_files_quarantined_and_shown(app, world, people, login_as, store,
                                                                     tmp_path):
    from webshop.delivery.worker import run_once
    from webshop.supplier.models import InboundDocument
    from webshop.supplier.rules import InboundState

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "broken.xml").write_bytes(b"<OrderResponse><oops")
    app.config["INBOX_DIR"] = str(inbox)
    try:
        with app.app_context():
            result = run_once("test")
        assert result.errors == []
        assert not (inbox / "broken.xml").exists() and list((inbox / "received").glob("*broken.xml"))
        document = store.scalar(select(InboundDocument).where(InboundDocument.source == "folder:broken.xml"))
        assert document.state == InboundState.QUARANTINED and document.xml == b"<OrderResponse><oops"
        page = page_text(login_as(people["buyer"]).get("/leverandorer/karantene"))
        assert "folder:broken.xml" in page and str(escape(document.reason)) in page
        assert document.reason.startswith("Ikke gyldig XML")
        # a coordinator only sees documents that belong to their municipality's orders
        assert "folder:broken.xml" not in page_text(login_as(world.coordinator).get("/leverandorer/karantene"))
    finally:
        del app.config["INBOX_DIR"]
