"""Read vefa-validator ``<testSet>`` files: each ``<test>`` is a document fragment plus
the expected outcome of one rule (success / error / warning, optionally a count), and
check one expectation against a rule set."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ehf.findings import Flag
from ehf.rules.engine import RuleSet
from ehf.xmlsafe import parse_bytes

VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"
OUTCOMES = frozenset({"success", "error", "warning"})
"""The children of a test's ``<assert>`` that are expectations; others (the T110 sets
also have ``<description>``) are documentation."""


@dataclass(frozen=True)
class Expectation:
    file: str
    index: int
    kind: str  # "success" | "error" | "warning"
    rule_id: str
    number: int | None
    document: bytes

    @property
    def id(self) -> str:
        return f"{self.file}#{self.index}:{self.kind}:{self.rule_id}"


def read_test_set(path: Path) -> list[Expectation]:
    root = etree.parse(str(path)).getroot()
    out = []
    for index, test in enumerate(root.iter(f"{VEFA}test"), start=1):
        fragment = next(c for c in test if isinstance(c.tag, str) and not c.tag.startswith(VEFA))
        document = etree.tostring(copy.deepcopy(fragment))
        for expected in test.find(f"{VEFA}assert"):
            if not isinstance(expected.tag, str) or expected.tag not in {f"{VEFA}{o}" for o in OUTCOMES}:
                continue
            number = expected.get("number")
            out.append(Expectation(path.name, index, etree.QName(expected).localname, expected.text.strip(),
                                   int(number) if number else None, document))
    return out


def check_expectation(rules: RuleSet, expectation: Expectation) -> None:
    """``success``: the rule must not fire on the fragment; ``error``/``warning``: it must
    fire with that flag (``number`` times, when given)."""
    assert expectation.rule_id in rules.rule_ids()
    findings = [f for f in rules.check(parse_bytes(expectation.document)) if f.rule_id == expectation.rule_id]
    if expectation.kind == "success":
        assert findings == []
        return
    want = Flag.FATAL if expectation.kind == "error" else Flag.WARNING
    assert findings, f"{expectation.rule_id} did not fire"
    assert {f.flag for f in findings} == {want}
    if expectation.number is not None:
        assert len(findings) == expectation.number
