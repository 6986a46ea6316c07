"""Map an EHF / Peppol BIS Catalogue 3 document (parsed by `ehf.catalogue`) to import rows.

Each catalogue line goes through the same checks as a CSV row (unit code, UNSPSC,
GTIN, VAT rate), so a bad line is reported with its line number and nothing is imported.
"""
from __future__ import annotations

import io
from collections.abc import Iterator

from ehf.catalogue import iter_catalogue
from webshop.catalogue.csv_import import CatalogueImportError, ItemRow, RowError, read_rows

_COLUMNS = ("supplier_item_id", "name", "description", "unspsc", "unit", "price", "gtin", "manufacturer_item_id",
            "vat_rate", "pack_size", "brand", "keywords", "image_url", "eco_label")


def _cell(value: object) -> str:
    # Tab separates the columns and CR/LF end a row, so none may survive inside a value.
    text = "" if value is None else str(value)
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ").replace('"', "'")


def read_ehf_catalogue(data: bytes) -> Iterator[ItemRow]:
    try:
        _, lines = iter_catalogue(io.BytesIO(data))
        table = ["\t".join(_COLUMNS)]
        for line in lines:
            unspsc = next((c.code for c in line.classifications if c.list_id == "TST"), "")
            gtin = line.standard_item_id if line.standard_item_scheme in (None, "0160") else None
            image = next((a.uri for a in line.attachments if a.uri), None)
            eco = next((v for k, v in line.properties if k.lower() in ("miljømerke", "eco label", "ecolabel")), None)
            table.append("\t".join(_cell(v) for v in (
                line.seller_item_id or line.line_id, line.name, line.description, unspsc,
                line.orderable_unit, line.price, gtin, line.manufacturer_item_id,
                line.vat_percent, line.pack_size, line.brand, " ".join(line.keywords), image, eco)))
    except CatalogueImportError:
        raise
    except Exception as exc:  # the parser's own errors: not a well-formed catalogue
        raise CatalogueImportError([RowError(1, f"ikke en gyldig EHF-katalog: {exc}")]) from None
    yield from read_rows(iter(table))
