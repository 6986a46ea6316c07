"""A tiny rule registry: each rule is a function over the document root that
yields findings. Rule sets are per transaction (T01, T76, ...); COMMON rules
are a set of their own that transaction sets include."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from ehf.findings import Finding, Flag

Check = Callable[[etree._Element], Iterable[etree._Element]]
"""A check returns the nodes that break the rule (the rule's context nodes that fail)."""

MultiCheck = Callable[[etree._Element], Iterable[tuple[str, etree._Element]]]
"""A check for many rules at once (e.g. the table-driven basic rules): it returns
(rule id, failing node) pairs; the rule ids must be declared with ``RuleSet.declare``."""


@dataclass(frozen=True)
class Rule:
    rule_id: str
    flag: Flag
    message: str
    check: Check


@dataclass
class RuleSet:
    name: str
    rules: list[Rule] = field(default_factory=list)
    includes: list[RuleSet] = field(default_factory=list)
    multi_checks: list[MultiCheck] = field(default_factory=list)
    declared: dict[str, tuple[Flag, str]] = field(default_factory=dict)

    def rule(self, rule_id: str, flag: Flag, message: str) -> Callable[[Check], Check]:
        def register(check: Check) -> Check:
            self.rules.append(Rule(rule_id, flag, message, check))
            return check

        return register

    def declare(self, rule_id: str, flag: Flag, message: str) -> None:
        """Declare a rule id that a multi check (see ``add_multi_check``) may report."""
        self.declared[rule_id] = (flag, message)

    def add_multi_check(self, check: MultiCheck) -> None:
        self.multi_checks.append(check)

    def all_rules(self) -> Iterator[Rule]:
        for inc in self.includes:
            yield from inc.all_rules()
        yield from self.rules

    def all_multi_checks(self) -> Iterator[tuple[MultiCheck, dict[str, tuple[Flag, str]]]]:
        for inc in self.includes:
            yield from inc.all_multi_checks()
        for check in self.multi_checks:
            yield check, self.declared

    def rule_ids(self) -> set[str]:
        """Every rule id this set (with its includes) can report."""
        ids = {r.rule_id for r in self.all_rules()}
        for inc in [self, *self.includes]:
            ids.update(inc.declared)
        return ids

    def check(self, root: etree._Element, *, exclude: frozenset[str] = frozenset()) -> list[Finding]:
        """Run every rule (except the ids in ``exclude``) against ``root``."""
        findings: list[Finding] = []
        tree = root.getroottree()
        for rule in self.all_rules():
            if rule.rule_id in exclude:
                continue
            for node in rule.check(root):
                findings.append(Finding(rule.rule_id, rule.flag, location_of(tree, node), rule.message))
        for multi, declared in self.all_multi_checks():
            for rule_id, node in multi(root):
                if rule_id in exclude:
                    continue
                flag, message = declared[rule_id]
                findings.append(Finding(rule_id, flag, location_of(tree, node), message))
        return findings


def location_of(tree: etree._ElementTree, node: etree._Element) -> str:
    """A readable XPath of ``node`` without namespace prefixes noise."""
    try:
        return str(tree.getpath(node))
    except (ValueError, TypeError):
        return "/"
