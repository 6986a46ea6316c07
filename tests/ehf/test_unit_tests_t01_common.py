"""The official Peppol unit tests for Order (T01) and the COMMON rules: for every
``<test>``, the expected rule must fire (error/warning, with the given count) or must
not fire (success) when our T01 rule set runs on the fragment."""
from __future__ import annotations

import pytest

from ehf.findings import Flag
from ehf.rules.t01 import RULES
from ehf.xmlsafe import parse_bytes
from tests.ehf.shared_paths import unit_test_files
from tests.ehf.unit_test_sets import Expectation, read_test_set

EXPECTATIONS = [e for kind in ("order", "common") for f in unit_test_files(kind) for e in read_test_set(f)]


def test_all_test_sets_found() -> None:
    assert len(unit_test_files("order")) == 32
    assert len(unit_test_files("common")) == 10
    assert len(EXPECTATIONS) >= 100


@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda e: e.id)
def test_expectation(expectation: Expectation) -> None:
    assert expectation.rule_id in RULES.rule_ids()
    findings = [f for f in RULES.check(parse_bytes(expectation.document)) if f.rule_id == expectation.rule_id]
    if expectation.kind == "success":
        assert findings == []
        return
    want = Flag.FATAL if expectation.kind == "error" else Flag.WARNING
    assert findings, f"{expectation.rule_id} did not fire"
    assert {f.flag for f in findings} == {want}
    if expectation.number is not None:
        assert len(findings) == expectation.number
