"""``python -m ehf validate``: one line per finding, exit 0 / 1 (fatal) / 2 (unreadable), for
every supported message type (Order, OrderResponse, OrderAgreement, Catalogue, DespatchAdvice)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ehf import build_order
from ehf.cli import main
from ehf.sbdh import unwrap
from ehf.validation import select
from ehf.xmlsafe import parse_bytes
from tests.ehf.order_factory import make_order
from tests.ehf.shared_paths import EXAMPLES, NEEDS_SHARED

ROOT = Path(__file__).resolve().parents[2]


def run(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ehf", "validate", *map(str, files)],
                          capture_output=True, text=True, cwd=ROOT)


def test_valid_file_exits_0(tmp_path: Path) -> None:
    f = tmp_path / "order.xml"
    f.write_bytes(build_order(make_order()))
    result = run(f)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{f}\tOK"


def test_fatal_finding_exits_1(tmp_path: Path) -> None:
    f = tmp_path / "order.xml"
    f.write_bytes(build_order(make_order()).replace(b"<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:ordering:3",
                                                    b"<cbc:ProfileID>urn:example:other"))
    result = run(f)
    assert result.returncode == 1
    assert f"{f}\tPEPPOL-T01-R031\tfatal\t" in result.stdout


def test_hostile_file_exits_2_without_traceback(tmp_path: Path) -> None:
    f = tmp_path / "evil.xml"
    f.write_bytes(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')
    result = run(f, tmp_path / "missing.xml")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "DOCTYPE" in result.stderr and "missing.xml" in result.stderr


OFFICIAL_EXAMPLES = {
    "Order": EXAMPLES / "order" / "peppol" / "Order_Example.xml",
    "OrderResponse": EXAMPLES / "order-response" / "peppol" / "OrderResponse_Example.xml",
    "OrderAgreement": EXAMPLES / "order-agreement" / "peppol" / "OrderAgreement_Example.xml",
    "Catalogue": EXAMPLES / "catalogue" / "peppol" / "Catalogue_Example.xml",
    "DespatchAdvice": EXAMPLES / "despatch-advice" / "peppol" / "DespatchAdvice_Example.xml",
    "CatalogueResponse": EXAMPLES / "catalogue-response" / "peppol" / "CatalogueResponse_Example.xml",
}
RULE_PREFIX = {
    "Order": "PEPPOL-T01-", "OrderResponse": "PEPPOL-T76-", "OrderAgreement": "PEPPOL-T110-",
    "Catalogue": "PEPPOL-T19-", "DespatchAdvice": "PEPPOL-T16-", "CatalogueResponse": "PEPPOL-T58-",
}


@NEEDS_SHARED
@pytest.mark.parametrize("kind", OFFICIAL_EXAMPLES)
def test_validates_each_supported_type(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The official Peppol example of each transaction passes, checked by its own rule set
    (an Order Agreement is an ``OrderResponse`` document told apart by its CustomizationID)."""
    path = OFFICIAL_EXAMPLES[kind]
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}\tOK"
    assert select(unwrap(parse_bytes(path.read_bytes()))).ruleset.name == RULE_PREFIX[kind].rstrip("-")

