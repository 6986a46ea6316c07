"""The official Peppol unit tests for Order (T01) and the COMMON rules: for every
``<test>``, the expected rule must fire (error/warning, with the given count) or must
not fire (success) when our T01 rule set runs on the fragment."""
from __future__ import annotations

import pytest

from ehf.rules.t01 import RULES
from tests.ehf.shared_paths import NEEDS_SHARED, missing_param, unit_test_files
from tests.ehf.unit_test_sets import Expectation, check_expectation, read_test_set

pytestmark = NEEDS_SHARED  # reads ../shared/peppol (skipped when absent, fails with REQUIRE_SHARED=1)

EXPECTATIONS = [e for kind in ("order", "common") for f in unit_test_files(kind) for e in read_test_set(f)]


def test_all_test_sets_found() -> None:
    assert len(unit_test_files("order")) == 32
    assert len(unit_test_files("common")) == 10
    assert len(EXPECTATIONS) >= 100


@pytest.mark.parametrize("expectation", EXPECTATIONS or missing_param(), ids=lambda e: e.id)
def test_expectation(expectation: Expectation) -> None:
    check_expectation(RULES, expectation)
