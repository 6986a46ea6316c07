"""Import benchmark (issue 5): time and peak memory of importing N rows through the CSV importer.

    .venv/bin/python bench/bench_import.py --rows 1000000
Runs in a fresh process so the peak RSS printed is the import's own.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import import_file, make_world, setup_app, write_csv  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    csv = tmp / "items.csv"
    write_csv(csv, args.rows)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite'}"
    app = setup_app(url)
    agreement_id, _ = make_world(app)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds = import_file(app, agreement_id, csv)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.rows:,} rows imported in {seconds:.1f} s; peak RSS {peak:.0f} MB (before import {before:.0f} MB)")


if __name__ == "__main__":
    main()
