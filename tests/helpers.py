"""Small helpers shared by the web and browser tests."""
from __future__ import annotations

from pathlib import Path

from lxml import etree

SHARED = Path(__file__).resolve().parents[2] / "shared" / "peppol"


def page_text(response) -> str:
    return response.get_data(as_text=True)


def outbox_files(app) -> list[Path]:
    folder = Path(app.config["OUTBOX_DIR"])
    return sorted(folder.glob("*.xml")) if folder.exists() else []


def ubl(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
PASSWORD = "Correct-horse-9"  # every test user's password
