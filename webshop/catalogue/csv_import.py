"""Read a supplier catalogue CSV the way suppliers really send it, all or nothing.

UTF-8 (a BOM is fine) with a header row; the delimiter (`;`, `,` or tab) is
detected from the header; decimals may use a comma or a point; columns are found
by name. Every bad row is reported with its line number and the reason, and if
there is any, nothing is imported.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ehf.orgnr import is_valid_gtin
from webshop.catalogue.units import resolve_unit
from webshop.params import MAX_PRICE, MAX_TEXT, BadNumber, check_decimal
from webshop.textsafety import check_text

REQUIRED = ("supplier_item_id", "name", "description", "unspsc", "unit", "price")
OPTIONAL = ("gtin", "manufacturer_item_id", "list_price", "vat_rate", "pack_size", "brand", "keywords",
            "image_url", "paper_catalogue_no", "discontinued", "eco_label")
VAT_RATES = {Decimal(r) for r in ("0", "12", "15", "25")}
_UNSPSC = re.compile(r"\d{8}")
MULTILINE = frozenset({"description", "keywords"})  # columns where a line break inside a quoted cell is fine
# The widest value each text column of catalogue_items (and item_numbers) holds.
MAX_LENGTH = {"supplier_item_id": 60, "manufacturer_item_id": 60, "name": 300, "brand": 100, "image_url": 500,
              "eco_label": 60, "paper_catalogue_no": 60, "description": 10_000, "keywords": 2_000}
MAX_PACK_SIZE = 1_000_000


@dataclass(frozen=True, slots=True)
class ItemRow:
    line: int
    supplier_item_id: str
    name: str
    description: str
    unspsc: str
    unit_code: str
    price: Decimal
    gtin: str | None = None
    manufacturer_item_id: str | None = None
    list_price: Decimal | None = None
    vat_rate: Decimal = Decimal("25")
    pack_size: Decimal = Decimal("1")
    brand: str | None = None
    keywords: str = ""
    image_url: str | None = None
    paper_catalogue_no: str | None = None
    discontinued: bool = False
    eco_label: str | None = None
    unit_note: str | None = None  # set when a unit name («stk») was mapped to its code (EA)

    @property
    def note(self) -> str | None:
        """What the import noticed on this row, for the draft page (a mapped unit name)."""
        return f"linje {self.line}: {self.unit_note}" if self.unit_note else None


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"linje {self.line}: {self.message}"


class CatalogueImportError(Exception):
    """The file cannot be imported; ``errors`` says where and why."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} feil i katalogfilen")
        self.errors = errors


def parse_decimal(text: str) -> Decimal:
    """'1 234,50', '1234.50' and '1234,5' all mean the same amount."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if len(cleaned) > MAX_TEXT:
        raise InvalidOperation(text)
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".") if cleaned.rfind(",") > cleaned.rfind(".") \
            else cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


def detect_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        raise CatalogueImportError([RowError(1, "fant ingen skilletegn (; , eller tabulator) i overskriftslinjen")])
    return best


def read_rows(lines: Iterable[str]) -> Iterator[ItemRow]:
    """Yield valid rows; raise CatalogueImportError with every problem found at the end."""
    iterator = iter(lines)
    header = next(iterator, "").lstrip("\ufeff")
    if not header.strip():
        raise CatalogueImportError([RowError(1, "filen er tom")])
    reader = csv.reader(_chain(header, iterator), delimiter=detect_delimiter(header))
    columns = [c.strip().lower() for c in next(reader)]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise CatalogueImportError([RowError(1, "mangler kolonne: " + ", ".join(missing))])
    index = {name: columns.index(name) for name in (*REQUIRED, *OPTIONAL) if name in columns}
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a field over the csv module's 131,072 characters
            errors.append(RowError(reader.line_num, f"linjen kan ikke leses ({exc})"))
            continue
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        try:
            row = _row(line, record, index)
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        if row.supplier_item_id in seen:
            errors.append(RowError(line, f"varenummer {row.supplier_item_id} står også på linje "
                                         f"{seen[row.supplier_item_id]}"))
            continue
        seen[row.supplier_item_id] = line
        if not errors:
            yield row
    if errors:
        raise CatalogueImportError(errors)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _row(line: int, record: list[str], index: dict[str, int]) -> ItemRow:
    def cell(name: str) -> str:
        i = index.get(name)
        return record[i].strip() if i is not None and i < len(record) else ""

    def money(name: str, required: bool) -> Decimal | None:
        text = cell(name)
        if not text:
            if required:
                raise ValueError(f"{name} mangler")
            return None
        try:
            value = parse_decimal(text)
        except (InvalidOperation, ValueError):
            raise ValueError(f"{name} «{text[:40]}» er ikke et tall") from None
        if value < 0:
            raise ValueError(f"{name} kan ikke være negativ")
        high, places = (MAX_PACK_SIZE, 3) if name == "pack_size" else (MAX_PRICE, 4)
        try:
            return check_decimal(value, low=0, high=high, places=places)
        except BadNumber:
            raise ValueError(f"{name} «{text[:40]}» må være høyst {high} med høyst {places} desimaler") from None

    for name in ("supplier_item_id", "name", "unit"):
        if not cell(name):
            raise ValueError(f"{name} mangler")
    for name, i in index.items():  # what XML cannot carry could never leave in an EHF order
        problem = check_text(record[i], multiline=name in MULTILINE) if i < len(record) else None
        if problem is not None:
            raise ValueError(f"{name}: {problem}")
    for name, longest in MAX_LENGTH.items():
        if len(cell(name)) > longest:
            raise ValueError(f"{name} er lengre enn {longest} tegn")
    unspsc = cell("unspsc")
    if not _UNSPSC.fullmatch(unspsc):
        raise ValueError(f"unspsc «{unspsc}» må være 8 siffer")
    unit, unit_note = resolve_unit(cell("unit"))  # UnknownUnit is a ValueError: reported for the row
    gtin = cell("gtin") or None
    if gtin and not is_valid_gtin(gtin):
        raise ValueError(f"GTIN «{gtin}» har feil lengde eller kontrollsiffer")
    vat = money("vat_rate", False)
    if vat is not None and vat not in VAT_RATES:
        raise ValueError(f"mva-sats {vat} er ikke en norsk sats (0, 12, 15 eller 25)")
    pack = money("pack_size", False)
    if pack is not None and pack == 0:
        raise ValueError("pack_size kan ikke være 0")
    price = money("price", True)
    assert price is not None
    return ItemRow(
        line=line,
        supplier_item_id=cell("supplier_item_id"),
        name=cell("name"),
        description=cell("description"),
        unspsc=unspsc,
        unit_code=unit,
        price=price,
        gtin=gtin,
        manufacturer_item_id=cell("manufacturer_item_id") or None,
        list_price=money("list_price", False),
        vat_rate=vat if vat is not None else Decimal("25"),
        pack_size=pack if pack is not None else Decimal("1"),
        brand=cell("brand") or None,
        keywords=cell("keywords"),
        image_url=cell("image_url") or None,
        paper_catalogue_no=cell("paper_catalogue_no") or None,
        discontinued=cell("discontinued").lower() in ("1", "true", "ja", "yes"),
        eco_label=cell("eco_label") or None,
        unit_note=unit_note,
    )


def read_file(path: str) -> list[ItemRow]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(read_rows(fh))


def iter_file(path: str) -> Iterator[ItemRow]:
    """Stream the rows of a (large) file; the error, if any, is raised after the last row."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield from read_rows(fh)


def read_bytes(data: bytes) -> list[ItemRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueImportError([RowError(1, f"filen er ikke UTF-8 (byte {exc.start})")]) from None
    return list(read_rows(io.StringIO(text, newline="")))
