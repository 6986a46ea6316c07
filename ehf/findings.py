"""Validation findings: one per broken rule, with the official rule id."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Flag(StrEnum):
    FATAL = "fatal"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str  # official id, e.g. "PEPPOL-T01-R004" or "XSD"
    flag: Flag
    location: str  # XPath-like path of the offending node, e.g. "/Order/OrderLine[2]/LineItem"
    message: str  # official assertion text (or the XSD error)

    def __str__(self) -> str:
        return f"[{self.flag}] {self.rule_id} at {self.location}: {self.message}"


def has_fatal(findings: list[Finding]) -> bool:
    return any(f.flag is Flag.FATAL for f in findings)
