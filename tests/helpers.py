"""Small helpers shared by the web and browser tests."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from lxml import etree

from webshop.config import TestConfig

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


def set_password(user, password: str = PASSWORD) -> None:
    """``user.set_password`` under the test configuration (its cheap hash), also where no app
    context is pushed: a test's own ``store`` session works outside one."""
    with _HASHING.app_context():
        user.set_password(password)


_HASHING = Flask("password-hashing")
_HASHING.config.from_object(TestConfig)
