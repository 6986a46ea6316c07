"""Where the shared, read-only Peppol material lives (examples, unit tests, XSD).

The files are not copied into the repository; tests read them from the
``shared/`` folder next to the repository checkout.
"""
from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
PEPPOL = SHARED / "peppol"
EXAMPLES = PEPPOL / "examples"
UNIT_TESTS = PEPPOL / "unit-tests"
XSD_DIR = PEPPOL / "xsd" / "ubl-2.1"


def examples(kind: str) -> list[Path]:
    """All example XML files of one kind (``order``, ``order-response``, ...), sorted."""
    return sorted((EXAMPLES / kind).rglob("*.xml"))


def unit_test_files(kind: str) -> list[Path]:
    """All vefa-validator testSet files of one kind (``order``, ``common``, ...), sorted."""
    return sorted((UNIT_TESTS / kind).glob("*.xml"))
