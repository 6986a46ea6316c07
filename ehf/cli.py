"""Command line: ``python -m ehf validate FILE...``.

Prints one line per finding (file, rule id, flag, location, message). Exit status: 0
when no file has a fatal finding, 1 when one has, 2 when a file cannot be read or is
not acceptable XML (the error is printed, without a traceback)."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ehf.errors import EhfError
from ehf.findings import has_fatal
from ehf.validation import validate


def _validate_files(files: Sequence[str]) -> int:
    status = 0
    for name in files:
        try:
            findings = validate(Path(name).read_bytes())
        except (OSError, EhfError) as exc:
            print(f"{name}: error: {exc}", file=sys.stderr)
            status = 2
            continue
        for f in findings:
            print(f"{name}\t{f.rule_id}\t{f.flag}\t{f.location}\t{f.message}")
        if has_fatal(findings) and status == 0:
            status = 1
        if not findings:
            print(f"{name}\tOK")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ehf", description="Peppol BIS / EHF post-award tools")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="validate documents (XSD + Peppol rules)")
    check.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    return _validate_files(args.files)
