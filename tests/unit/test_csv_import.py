"""The catalogue CSV reader accepts what suppliers really send and reports every bad row."""
from __future__ import annotations

from decimal import Decimal

import pytest

from webshop.catalogue.csv_import import CatalogueImportError, parse_decimal, read_bytes

HEADER = ["supplier_item_id", "name", "description", "unspsc", "unit", "price", "gtin", "list_price"]


def csv_bytes(delimiter: str, rows: list[list[str]], header=HEADER) -> bytes:
    return "\n".join(delimiter.join(r) for r in [header, *rows]).encode("utf-8")


@pytest.mark.parametrize("delimiter, price", [(";", "52,50"), ("\t", "52.50"), (",", '"52,50"')])
def test_delimiters_and_decimal_comma(delimiter, price):
    rows = read_bytes(csv_bytes(delimiter, [["A-1", "Kopipapir", "A4", "14111507", "XPK", price, "", ""]]))
    assert [(r.supplier_item_id, r.price, r.unit_code) for r in rows] == [("A-1", Decimal("52.50"), "XPK")]


def test_columns_are_found_by_name_in_any_order_with_bom():
    header = ["price", "name", "unit", "unspsc", "description", "supplier_item_id", "vat_rate"]
    data = "\ufeff".encode() + csv_bytes(";", [["1 234,5", "Kaffe", "KGM", "50201706", "Mørk", "K-1", "15"]], header)
    (row,) = read_bytes(data)
    assert (row.name, row.price, row.vat_rate) == ("Kaffe", Decimal("1234.5"), Decimal("15"))


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_returned():
    data = csv_bytes(";", [
        ["A-1", "Ok", "", "14111507", "EA", "1,00", "", ""],
        ["A-2", "Bad unit", "", "14111507", "XYZ", "1,00", "", ""],  # PK is a known name since issue 16
        ["A-3", "Bad price", "", "14111507", "EA", "gratis", "", ""],
        ["A-4", "Bad gtin", "", "14111507", "EA", "1", "7037060146342", ""],
        ["A-1", "Duplicate", "", "14111507", "EA", "1", "", ""],
        ["A-6", "Short unspsc", "", "1411", "EA", "1", "", ""],
        ["A-7", "Negative", "", "14111507", "EA", "-1", "", ""],
    ])
    with pytest.raises(CatalogueImportError) as caught:
        read_bytes(data)
    assert [e.line for e in caught.value.errors] == [3, 4, 5, 6, 7, 8]
    messages = " | ".join(str(e) for e in caught.value.errors)
    for fragment in ("XYZ", "gratis", "GTIN", "linje 2", "unspsc", "negativ"):
        assert fragment in messages


@pytest.mark.parametrize("data, message", [
    (b"", "tom"),
    (b"supplier_item_id;name\nA;B\n", "mangler kolonne"),
    (b"just one column\nx\n", "skilletegn"),
    ("supplier_item_id;name;description;unspsc;unit;price\nA;Ø;d;14111507;EA;1\n".encode("latin-1"), "UTF-8"),
])
def test_unreadable_files_get_a_clear_message(data, message):
    with pytest.raises(CatalogueImportError) as caught:
        read_bytes(data)
    assert message in str(caught.value.errors[0])


@pytest.mark.parametrize("text, value", [("1 234,50", "1234.50"), ("1.234,50", "1234.50"), ("1,234.50", "1234.50"),
                                         ("0,5", "0.5"), ("12", "12")])
def test_parse_decimal(text, value):
    assert parse_decimal(text) == Decimal(value)
