"""Where the shared, read-only Peppol material lives (official examples, unit tests).

The files are not copied into the repository; tests read them from the ``shared/``
folder next to the repository checkout (``../shared/peppol``). On a clone with nothing
beside it those tests are *skipped*, each with the reason "../shared/peppol not found";
CI sets ``REQUIRE_SHARED=1`` and then a missing folder *fails* them instead.

Use :func:`examples` / :func:`unit_test_files` both in ``@pytest.mark.parametrize`` and in
test bodies: when the folder is missing they return one placeholder marked
``needs_shared`` (collection) and the test is skipped or failed before it runs
(``tests/ehf/conftest.py``). Tests that read a fixed path call :func:`require_shared`
first, or carry ``NEEDS_SHARED`` as a mark.

The UBL 2.1 schemas are *not* shared material any more: they ship with ``ehf``
(``ehf/schemas/ubl-2.1``); :data:`XSD_DIR` points there.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ehf.xsd import DEFAULT_XSD_DIR

SHARED = Path(__file__).resolve().parents[3] / "shared"
PEPPOL = SHARED / "peppol"
EXAMPLES = PEPPOL / "examples"
UNIT_TESTS = PEPPOL / "unit-tests"
XSD_DIR = DEFAULT_XSD_DIR

NEEDS_SHARED = pytest.mark.needs_shared
MISSING = PEPPOL / "<missing>"


def shared_available() -> bool:
    return EXAMPLES.is_dir() and UNIT_TESTS.is_dir()


def require_shared() -> None:
    """Skip the running test when ../shared/peppol is absent; fail it when REQUIRE_SHARED=1."""
    if shared_available():
        return
    reason = f"../shared/peppol not found: {PEPPOL} (official Peppol/EHF examples and unit tests)"
    if os.environ.get("REQUIRE_SHARED") == "1":
        pytest.fail(f"{reason}; REQUIRE_SHARED=1 requires it", pytrace=False)
    pytest.skip(reason)


def missing_param(arity: int = 1) -> list[Any]:
    """One placeholder parameter set (skipped or failed before it runs) for a
    parametrize list that would be empty because ../shared/peppol is absent."""
    return [pytest.param(*[MISSING] * arity, marks=NEEDS_SHARED, id="shared-missing")]


def examples(kind: str) -> list[Path]:
    """All example XML files of one kind (``order``, ``order-response``, ...), sorted."""
    if not shared_available():
        return missing_param()
    return sorted((EXAMPLES / kind).rglob("*.xml"))


def unit_test_files(kind: str) -> list[Path]:
    """All vefa-validator testSet files of one kind (``order``, ``common``, ...), sorted."""
    if not shared_available():
        return []
    return sorted((UNIT_TESTS / kind).glob("*.xml"))
