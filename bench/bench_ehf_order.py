"""Benchmark: build + XSD-validate + rule-check a 20-line order on one core, and parse.

Run: ``python bench/bench_ehf_order.py`` (prints orders/second; target >= 200/s)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ehf import build_order, has_fatal, parse_order, validate  # noqa: E402
from tests.ehf.order_factory import make_order  # noqa: E402


def rate(fn, seconds: float = 3.0) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm up (loads and caches the schema)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - start)


def main() -> None:
    order = make_order(lines=20)
    data = build_order(order)
    assert not has_fatal(validate(data))

    def build_and_validate() -> None:
        assert not has_fatal(validate(build_order(order)))

    print(f"20-line order: {len(data)} bytes")
    print(f"build only:                  {rate(lambda: build_order(order)):8.0f} orders/s")
    print(f"build + XSD + rules:         {rate(build_and_validate):8.0f} orders/s")
    print(f"parse_order:                 {rate(lambda: parse_order(data)):8.0f} orders/s")
    print(f"validate (XSD + rules) only: {rate(lambda: validate(data)):8.0f} orders/s")


if __name__ == "__main__":
    main()
