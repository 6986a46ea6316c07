"""The official Peppol rule unit tests (vefa-validator testSets) for Order
Response (T76), Catalogue (T19), Despatch Advice (T16) and Order Agreement (T110).

For every expectation, ``<success>`` means the rule must not fire on the fragment,
``<error>``/``<warning>`` means it must fire with that flag (``number`` times, when given).
"""

from __future__ import annotations

import pytest

from ehf.rules import t16, t19, t76, t110
from ehf.rules.engine import RuleSet
from tests.ehf.shared_paths import NEEDS_SHARED, missing_param, unit_test_files
from tests.ehf.unit_test_sets import Expectation, check_expectation, read_test_set

pytestmark = NEEDS_SHARED  # reads ../shared/peppol (skipped when absent, fails with REQUIRE_SHARED=1)

RULE_SETS: dict[str, RuleSet] = {
    "order-response": t76.RULES,
    "catalogue": t19.RULES,
    "despatch-advice": t16.RULES,
    "order-agreement": t110.RULES,
}
CASES = [(kind, e) for kind in RULE_SETS for f in unit_test_files(kind) for e in read_test_set(f)]


def test_all_test_sets_found() -> None:
    assert [len(unit_test_files(kind)) for kind in RULE_SETS] == [9, 15, 8, 23]
    assert len(CASES) >= 150


@pytest.mark.parametrize(("kind", "expectation"),
                         [pytest.param(k, e, id=f"{k}/{e.id}") for k, e in CASES] or missing_param(2))
def test_expectation(kind: str, expectation: Expectation) -> None:
    check_expectation(RULE_SETS[kind], expectation)


def test_descriptions_are_not_expectations() -> None:
    """T110 asserts carry ``<description>`` children; only outcomes become expectations."""
    kinds = {e.kind for f in unit_test_files("order-agreement") for e in read_test_set(f)}
    assert kinds == {"success", "error"}
    assert all(not e.rule_id.startswith(("No ", "Trigger")) for _, e in CASES)
