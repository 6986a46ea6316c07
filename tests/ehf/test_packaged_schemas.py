"""The UBL 2.1 schemas ship inside ``ehf`` (package data), unchanged and with their OASIS
notices, so validation needs nothing beside the checkout; ``EHF_XSD_DIR`` still overrides."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ehf import build_order, validate_xsd
from ehf.xsd import DEFAULT_XSD_DIR, xsd_dir
from tests.ehf.order_factory import make_order

ROOT = Path(__file__).resolve().parents[2]
PACKAGED = ROOT / "ehf" / "schemas" / "ubl-2.1"
DOCUMENTS = ["ApplicationResponse", "Catalogue", "CreditNote", "DespatchAdvice", "Invoice", "Order", "OrderResponse"]


def test_default_is_the_packaged_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EHF_XSD_DIR", raising=False)
    assert DEFAULT_XSD_DIR == PACKAGED
    assert xsd_dir() == PACKAGED


def test_environment_variable_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EHF_XSD_DIR", str(tmp_path))
    assert xsd_dir() == tmp_path


def test_checksums_match_every_file() -> None:
    listed = {}
    for line in (PACKAGED / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    present = sorted(str(p.relative_to(PACKAGED)) for p in PACKAGED.rglob("*.xsd"))
    assert sorted(listed) == present
    assert len(present) == 20
    for name, digest in listed.items():
        assert hashlib.sha256((PACKAGED / name).read_bytes()).hexdigest() == digest, name


def test_notices_kept_in_every_file() -> None:
    """OASIS's header (and, in the UN/CEFACT and W3C modules it bundles, their copyright)."""
    oasis = 0
    for path in PACKAGED.rglob("*.xsd"):
        text = path.read_text(encoding="utf-8")
        assert "OASIS Universal Business Language (UBL) 2.1 OS" in text or "Copyright (C) UN/CEFACT" in text, path
        oasis += "Copyright (c) OASIS Open 2013. All Rights Reserved." in text
    assert oasis == 16


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_schema_is_present(name: str) -> None:
    assert (PACKAGED / "maindoc" / f"UBL-{name}-2.1.xsd").is_file()


def test_pyproject_ships_the_schemas_as_package_data() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert '"ehf" = ["schemas/ubl-2.1/*.md", "schemas/ubl-2.1/SHA256SUMS", "schemas/ubl-2.1/*/*.xsd"]' in text


def test_validates_with_nothing_beside_a_copy(tmp_path: Path) -> None:
    """A copy of the library alone (no ../shared, no EHF_XSD_DIR) validates a built order:
    a valid one passes and a schema error is reported, both through ``python -m ehf``."""
    import shutil

    shutil.copytree(ROOT / "ehf", tmp_path / "lib" / "ehf", ignore=shutil.ignore_patterns("__pycache__"))
    good = tmp_path / "good.xml"
    good.write_bytes(build_order(make_order()))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(good.read_bytes().replace(b"<cbc:IssueDate>", b"<cbc:Note>x</cbc:Note><cbc:IssueDate>", 1))
    env = {k: v for k, v in os.environ.items() if k not in ("EHF_XSD_DIR", "PYTHONPATH")}
    env["PYTHONPATH"] = str(tmp_path / "lib")
    result = subprocess.run([sys.executable, "-m", "ehf", "validate", str(good), str(bad)],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    lines = result.stdout.strip().splitlines()
    assert lines[0] == f"{good}\tOK", result.stdout + result.stderr
    assert any(line.startswith(f"{bad}\tXSD\tfatal") for line in lines[1:]), result.stdout + result.stderr
    assert result.returncode == 1


def test_validate_xsd_uses_packaged_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EHF_XSD_DIR", raising=False)
    assert validate_xsd(build_order(make_order())) == []
