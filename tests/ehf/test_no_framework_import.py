"""ehf/ is a standalone library: no module imports flask, sqlalchemy or webshop."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ehf

FORBIDDEN = ("flask", "sqlalchemy", "webshop")
PACKAGE = Path(ehf.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_forbidden_imports_in_source() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    offenders = {str(p.relative_to(PACKAGE)): sorted(_imports(p) & set(FORBIDDEN)) for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_ehf_loads_no_framework() -> None:
    code = ("import sys, ehf, ehf.cli, ehf.validation; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=PACKAGE.parent)
    assert out.stdout.strip() == "[]"
