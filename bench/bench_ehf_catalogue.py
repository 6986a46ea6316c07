"""Benchmark the streaming catalogue reader.

Writes a synthetic Peppol catalogue of about ``--size`` MB into a temporary
directory with :func:`ehf.catalogue.write_catalogue`, then stream-parses it into
:class:`ehf.catalogue.CatalogueItem` objects and prints the throughput and the
peak resident memory of the process. Targets: >= 25 MB/s and < 300 MB peak RSS
whatever the size.

    .venv/bin/python bench/bench_ehf_catalogue.py              # ~17 MB
    .venv/bin/python bench/bench_ehf_catalogue.py --size 1000  # ~1 GB
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ehf.catalogue import (  # noqa: E402
    Attachment,
    CatalogueHeader,
    CatalogueItem,
    Classification,
    iter_catalogue,
    write_catalogue,
)
from ehf.parties import PartyRef, Period  # noqa: E402

BYTES_PER_ITEM = 2150  # measured size of one generated line, for sizing the file


def header() -> CatalogueHeader:
    return CatalogueHeader(
        id="CAT-BENCH",
        issue_date=date(2026, 11, 27),
        provider=PartyRef(
            endpoint_id="987654325", endpoint_scheme="0192", name="Leverandør AS", country_code="NO"
        ),
        receiver=PartyRef(
            endpoint_id="123456785", endpoint_scheme="0192", name="Innkjøpssamarbeidet", country_code="NO"
        ),
        validity=Period(date(2026, 1, 1), date(2027, 12, 31)),
        seller=PartyRef(party_id="987654325", party_id_scheme="0192", trade_name="Leverandør AS"),
    )


def items(n: int) -> Iterator[CatalogueItem]:
    for i in range(1, n + 1):
        yield CatalogueItem(
            line_id=str(i),
            name=f"Kopipapir A4 80 g, 500 ark, variant {i}",
            seller_item_id=f"SN-{i:08d}",
            standard_item_id=f"{7080000000000 + i}",
            standard_item_scheme="0160",
            manufacturer_item_id=f"M-{i}",
            description="Hvitt kopipapir for laser- og blekkskrivere. Miljømerket, FSC-sertifisert.",
            keywords=("papir", "kontor", "A4"),
            brand="Papirmerket",
            classifications=(Classification("14111507", "TST", "19.0501"),),
            action_code="Add",
            orderable=True,
            orderable_unit="EA",
            pack_size=Decimal(500),
            min_order_quantity=Decimal(1),
            max_order_quantity=Decimal(1000),
            line_validity=Period(date(2026, 1, 1), date(2027, 12, 31)),
            price=Decimal(i % 1000) + Decimal("0.95"),
            currency="NOK",
            price_base_quantity=Decimal(1),
            vat_category="S",
            vat_percent=Decimal(25),
            attachments=(Attachment(f"IMG-{i}", f"https://cdn.example.no/img/{i}.jpg", "PRODUCT_IMAGE"),),
            properties=(("Farge", "Hvit"), ("Vekt", "80 g")),
        )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run(size_mb: float, directory: Path) -> None:
    n = max(1, int(size_mb * 1024 * 1024 / BYTES_PER_ITEM))
    path = directory / "catalogue.xml"
    t0 = time.perf_counter()
    write_catalogue(path, header(), items(n))
    write_s = time.perf_counter() - t0
    mb = path.stat().st_size / 1024 / 1024
    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    head, lines = iter_catalogue(path)
    count = 0
    total = Decimal(0)
    for item in lines:
        count += 1
        total += item.price or 0
    read_s = time.perf_counter() - t0
    assert count == n and head.id == "CAT-BENCH"
    print(f"file        {mb:8.1f} MB, {count} items (written in {write_s:.1f} s, {mb / write_s:.1f} MB/s)")
    print(f"stream read {read_s:8.2f} s  = {mb / read_s:6.1f} MB/s, {count / read_s:,.0f} items/s")
    print(f"peak RSS    {peak_rss_mb():8.1f} MB (after writing: {rss_before:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--size", type=float, default=17, help="approximate catalogue size in MB (default 17)"
    )
    parser.add_argument(
        "--dir", type=Path, default=None, help="directory for the generated file (default: temp)"
    )
    args = parser.parse_args()
    if args.dir is not None:
        run(args.size, args.dir)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(args.size, Path(tmp))


if __name__ == "__main__":
    main()
