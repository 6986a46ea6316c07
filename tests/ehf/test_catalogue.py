"""Catalogue (T19): stream-parse every official example (incl. the ISO-8859-1
ones), write catalogues that pass the UBL 2.1 XSD and the T19 rules, round-trip,
and check that streaming a 20 MB file (10 000 lines) keeps memory bounded."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from ehf.catalogue import (
    EHF_PROFILE,
    PEPPOL_PROFILE_WITHOUT_RESPONSE,
    Attachment,
    CatalogueHeader,
    CatalogueItem,
    CatalogueReader,
    Certificate,
    Classification,
    build_catalogue,
    iter_catalogue,
    write_catalogue,
)
from ehf.components import Dimension, Measure
from ehf.errors import EhfError
from ehf.parties import PartyRef, Period
from ehf.rules import t19
from ehf.validation import select
from tests.ehf.shared_paths import NEEDS_SHARED, XSD_DIR, examples

HEADER = CatalogueHeader(
    id="CAT-1",
    issue_date=date(2026, 11, 27),
    provider=PartyRef(endpoint_id="987654325", endpoint_scheme="0192", name="Leverandør AS", country_code="NO"),
    receiver=PartyRef(
        endpoint_id="123456785", endpoint_scheme="0192", name="Innkjøpssamarbeidet", country_code="NO"
    ),
    validity=Period(date(2026, 1, 1), date(2027, 12, 31)),
    contract_id="RA-2026-01",
    seller=PartyRef(party_id="987654325", party_id_scheme="0192", trade_name="Leverandør AS"),
    customer=PartyRef(party_id="123456785", trade_name="Innkjøpssamarbeidet"),
    action_code="Add",
)


def make_items(n: int) -> Iterator[CatalogueItem]:
    for i in range(1, n + 1):
        yield CatalogueItem(
            line_id=str(i),
            name=f"Miljømerket kopipapir {i}",
            seller_item_id=f"SN-{i}",
            standard_item_id=f"{7080000000000 + i}",
            standard_item_scheme="0160",
            manufacturer_item_id=f"M-{i}",
            description="Hvitt papir, 80 g",
            keywords=("papir", "A4"),
            brand="Papirmerket",
            classifications=(Classification("14111507", "TST", "19.0501"),),
            action_code="Add",
            orderable=True,
            orderable_unit="EA",
            pack_size=Decimal(500),
            min_order_quantity=Decimal(1),
            max_order_quantity=Decimal(100),
            line_validity=Period(date(2026, 1, 1), date(2026, 12, 31)),
            price=Decimal("49.90") + i,
            currency="NOK",
            price_base_quantity=Decimal(1),
            price_validity=Period(date(2026, 2, 1), date(2026, 6, 30)),
            vat_category="S",
            vat_percent=Decimal(25),
            origin_country="NO",
            attachments=(Attachment(f"IMG-{i}", f"https://cdn.example.no/{i}.jpg", "PRODUCT_IMAGE"),),
            properties=(("Farge", "Hvit"),),
        )


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "maindoc" / "UBL-Catalogue-2.1.xsd")))


@pytest.mark.parametrize("path", examples("catalogue"), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_stream_official_examples(path: Path) -> None:
    header, items = iter_catalogue(path)
    items_list = list(items)
    whole = etree.parse(str(path)).getroot()
    assert len(items_list) == len(whole.findall("{*}CatalogueLine"))
    assert header.id == whole.findtext("{*}ID")
    assert all(item.name for item in items_list)
    rebuilt = build_catalogue(header, items_list)
    assert schema().validate(etree.fromstring(rebuilt)), schema().error_log
    again_header, again = iter_catalogue(io.BytesIO(rebuilt))
    assert list(again) == items_list
    assert again_header.provider == header.provider


@NEEDS_SHARED
def test_iso_8859_1_example_is_decoded_by_its_declaration() -> None:
    path = next(p for p in examples("catalogue") if p.name == "catalogue-wo-response-use-case-1.xml")
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    reader = CatalogueReader(path)
    assert reader.header.profile_id == PEPPOL_PROFILE_WITHOUT_RESPONSE
    items = list(reader.items())
    assert items and all(isinstance(item.name, str) for item in items)
    # A catalogue re-encoded as ISO-8859-1 reads back with its Norwegian letters intact.
    utf8 = build_catalogue(HEADER, make_items(2))
    latin1 = utf8.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"').decode("utf-8").encode("iso-8859-1")
    assert "Miljømerket".encode("iso-8859-1") in latin1
    header, lines = iter_catalogue(io.BytesIO(latin1))
    assert header.receiver.name == "Innkjøpssamarbeidet"
    assert [item.name for item in lines] == ["Miljømerket kopipapir 1", "Miljømerket kopipapir 2"]


@NEEDS_SHARED
def test_official_example_fields() -> None:
    path = next(
        p for p in examples("catalogue") if p.parent.name == "peppol" and p.name == "Catalogue_Example.xml"
    )
    header, items = iter_catalogue(path)
    first = next(items)
    assert (header.id, header.contract_id, header.validity.end_date) == ("1387", "CRT1387", date(2019, 8, 31))
    assert (first.seller_item_id, first.standard_item_id, first.standard_item_scheme) == (
        "MNTR011",
        "1234567890114",
        "0160",
    )
    assert (first.price, first.currency, first.vat_category, first.vat_percent) == (
        Decimal("10.00"),
        "EUR",
        "S",
        18,
    )
    assert first.classifications == (Classification("20101601", "MP", "19.0501", "Office furniture"),)
    # the fields buyers need: pack quantity, certificates, dimensions, order quantities with their unit
    assert first.pack_quantity == Measure(Decimal(1), "LBR")
    assert first.certificates[0] == Certificate("123450", "SVANEN", "Environmental", "Svanen", "NA")
    assert first.dimensions[0] == Dimension("LN", Measure(Decimal("0.1"), "MTR"))
    assert (first.min_order_quantity, first.max_order_quantity, first.min_order_unit) == (1, 100, None)
    assert (first.warranty, first.pack_level) == ("text", "TU")
    assert (first.action_code, first.orderable, first.orderable_unit, first.pack_size) == (
        "Update",
        True,
        "LBR",
        10,
    )
    assert first.attachments[0].uri == "http://www.supplier.com/image1.png"


@pytest.mark.parametrize("profile", ["peppol", "ehf"])
def test_written_catalogue_is_valid_and_round_trips(profile: str) -> None:
    data = build_catalogue(HEADER, make_items(3), profile=profile)
    root = etree.fromstring(data)
    assert schema().validate(root), schema().error_log
    # The Peppol rules refuse only the EHF ProfileID (PEPPOL-T19-R017), as for the official EHF example;
    # the validator checks an EHF catalogue with the EHF rules (EHF-T19), which pass it.
    expected = ["PEPPOL-T19-R017"] if profile == "ehf" else []
    assert [f.rule_id for f in t19.RULES.check(root)] == expected
    assert select(root).ruleset.name == ("EHF-T19" if profile == "ehf" else "PEPPOL-T19")
    assert select(root).ruleset.check(root) == []
    assert (root.findtext("{*}ProfileID") == EHF_PROFILE) == (profile == "ehf")
    header, items = iter_catalogue(io.BytesIO(data))
    assert list(items) == list(make_items(3))
    assert header == CatalogueHeader(**{**HEADER.__dict__, "profile_id": header.profile_id})
    # One set of namespace declarations, on the root only.
    assert data.count(b"xmlns:cbc=") == 1


def test_rules_catch_a_line_outside_the_catalogue_validity() -> None:
    late = next(make_items(1))
    bad = CatalogueItem(
        **{
            **late.__dict__,
            "line_validity": Period(date(2026, 1, 1), date(2030, 1, 1)),
            "price_validity": None,
        }
    )
    ids = {f.rule_id for f in t19.RULES.check(etree.fromstring(build_catalogue(HEADER, [bad])))}
    assert ids == {"PEPPOL-T19-R007"}


def test_discontinued_items() -> None:
    item = next(make_items(1))
    assert not item.discontinued
    assert CatalogueItem("1", "x", action_code="Delete").discontinued
    assert CatalogueItem("1", "x", orderable=False).discontinued


def test_streaming_a_20_mb_catalogue_keeps_memory_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    assert write_catalogue(path, HEADER, make_items(10_000)) == 10_000
    size = path.stat().st_size
    assert size > 20_000_000  # each line is about 2 KB
    # Peak resident memory of a fresh process while it streams the file, over what it had after its
    # imports: counts libxml2's own memory (tracemalloc sees only Python's, and made this test take
    # most of a minute). Holding the tree would add several times the file size (parsing this
    # file whole grows it by about 80 MB; keeping the items too, 120 MB).
    result = subprocess.run([sys.executable, "-c", STREAM_AND_MEASURE, str(path)], capture_output=True,
                            text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    count, header_id, grown_kb = result.stdout.split()
    assert int(count) == 10_000 and header_id == "CAT-1"
    assert int(grown_kb) < 10_000, f"resident memory grew {grown_kb} KB while streaming a {size} byte file"


STREAM_AND_MEASURE = """
import resource, sys
from ehf.catalogue import iter_catalogue
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
header, items = iter_catalogue(sys.argv[1])
count = 0
for item in items:
    count += 1
    assert item.line_id == str(count)
print(count, header.id, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_tree_is_pruned_while_streaming(tmp_path: Path) -> None:
    path = tmp_path / "c.xml"
    write_catalogue(path, HEADER, make_items(50))
    reader = CatalogueReader(path)
    it = reader.items()
    for _ in range(40):
        next(it)
    root = reader._root  # noqa: SLF001 - the partly built tree of the iterparse
    assert root is not None
    # The header and lines 1-39 are gone; what remains is line 40 and the parser's read-ahead.
    ids = [int(i) for line in root if (i := line.findtext("{*}ID"))]  # the last may be half-read
    assert ids and min(ids) == 40 and len(root) == len(root.findall("{*}CatalogueLine"))
    reader.close()


@pytest.mark.parametrize(
    "data",
    [
        b"<Catalogue",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
        b'<Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2">&a;</Catalogue>',
        b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
    ],
)
def test_bad_input_raises_ehf_error(data: bytes) -> None:
    with pytest.raises(EhfError):
        header, items = iter_catalogue(io.BytesIO(data))
        list(items)


def test_broken_xml_mid_stream_raises_ehf_error() -> None:
    data = build_catalogue(HEADER, make_items(3))
    truncated = data[: data.rindex(b"<cac:CatalogueLine>") + 40]
    header, items = iter_catalogue(io.BytesIO(truncated))
    with pytest.raises(EhfError):
        list(items)


def test_empty_catalogue_is_refused() -> None:
    with pytest.raises(EhfError):
        build_catalogue(HEADER, [])
