"""Pure rules of the leader's view: reading an accounting export, months, shares and the
"fewer orderers" projection (no Flask, no SQLAlchemy).

An accounting export is CSV as Norwegian accounting systems write it: a header row, `;` (or
`,` or tab) between fields, UTF-8 or Windows-1252, dates as 31.01.2026 (or 2026-01-31), amounts
with a decimal comma and spaces or points between thousands (``-1 234,50``, ``1.234,50``, a
trailing minus ``1234,50-`` for a credit note). Columns are found by name (Norwegian or English,
any case); :data:`COLUMNS` lists the names each column may have.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final
from zoneinfo import ZoneInfo

OSLO: Final = ZoneInfo("Europe/Oslo")
CENT: Final = Decimal("0.01")
MAX_ROWS: Final = 1_000_000

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "date": ("date", "dato", "bilagsdato", "fakturadato", "posteringsdato", "booked_on"),
    "cost_centre": ("cost_centre", "cost centre", "cost_center", "koststed", "kostnadssted", "ansvar",
                    "ansvarssted", "enhet", "unit"),
    "supplier_orgnr": ("supplier_orgnr", "orgnr", "org.nr", "org nr", "organisasjonsnummer",
                       "leverandør orgnr", "leverandørens orgnr", "leverandor_orgnr", "supplier"),
    "amount": ("amount", "beløp", "belop", "beløp eks mva", "beløp eks. mva", "netto", "nettobeløp"),
    "order_number": ("order_number", "ordrenummer", "ordrenr", "bestillingsnummer", "bestillingsnr",
                     "innkjøpsordre", "order", "order no"),
    "supplier_name": ("supplier_name", "leverandør", "leverandørnavn", "leverandor"),
}
REQUIRED: Final = ("date", "cost_centre", "supplier_orgnr", "amount")
ORDER_NUMBER = re.compile(r"^\s*IK-?0*(\d{1,12})\s*$", re.IGNORECASE)
DATE_FORMATS: Final = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")


@dataclass(frozen=True)
class SpendRow:
    """One accounting row, read and checked; ``line`` is its line number in the file."""

    line: int
    booked_on: date
    cost_centre: str
    supplier_orgnr: str
    amount: Decimal
    order_number: str | None
    order_id: int | None  # what the order number names (IK-000123 -> 123), if it is one of ours
    supplier_name: str | None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Linje {self.line}: {self.message}"


class SpendFileInvalid(Exception):
    """The file cannot be imported; ``errors`` says why, row by row. Nothing was imported."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = list(errors)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which older accounting systems write."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _norm(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").split())


_ALIASES: Final = {_norm(alias): column for column, names in COLUMNS.items() for alias in names}


def parse_amount(text: str) -> Decimal:
    """``-1 234,50`` / ``1.234,50`` / ``1234.50`` / ``1234,50-`` -> Decimal; ValueError if unclear."""
    s = text.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").replace("kr", "")
    negative = False
    if s.endswith("-"):
        negative, s = True, s[:-1]
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.startswith("-"):
        negative, s = not negative, s[1:]
    if "," in s and "." in s:
        decimal_sep = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal_sep == "," else ",", "").replace(decimal_sep, ".")
    elif "," in s:
        if s.count(",") > 1:
            raise ValueError(text)
        s = s.replace(",", ".")
    elif s.count(".") > 1:
        s = s.replace(".", "")
    elif "." in s and len(s) - s.rfind(".") - 1 == 3:
        raise ValueError(text)  # 1.234: a thousand or one point two? Refuse rather than guess
    if not re.fullmatch(r"\d+(\.\d+)?", s):
        raise ValueError(text)
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if value != value.quantize(CENT):
        raise ValueError(text)
    return -value if negative else value


def parse_date(text: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_orgnr(text: str) -> str:
    digits = re.sub(r"[\s.]", "", text.strip().upper().removeprefix("NO").removesuffix("MVA"))
    if not re.fullmatch(r"\d{9}", digits):
        raise ValueError(text)
    return digits


def order_id_of(order_number: str | None) -> int | None:
    """``IK-000123`` -> 123: the order number the supplier saw (``Order.number``), else None."""
    match = ORDER_NUMBER.match(order_number or "")
    return int(match.group(1)) if match else None


def read_spend_csv(data: bytes) -> list[SpendRow]:
    """Every row of an accounting export, or :class:`SpendFileInvalid` with every bad row."""
    text = decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", "\t", ","), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise SpendFileInvalid([RowError(1, "Filen er tom.")])
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        column = _ALIASES.get(_norm(name))
        if column and column not in columns:
            columns[column] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(header)
        raise SpendFileInvalid([RowError(1, f"Mangler kolonne: {', '.join(missing)} (fant: {found})")])
    rows: list[SpendRow] = []
    errors: list[RowError] = []
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(line, f"Mer enn {MAX_ROWS} rader: del filen opp."))
            break
        row, problems = _row(line, record, columns)
        if problems:
            errors.extend(RowError(line, p) for p in problems)
        elif row is not None:
            rows.append(row)
    if errors:
        raise SpendFileInvalid(errors)
    if not rows:
        raise SpendFileInvalid([RowError(2, "Filen har ingen rader.")])
    return rows


def _row(line: int, record: list[str], columns: dict[str, int]) -> tuple[SpendRow | None, list[str]]:
    def cell(name: str) -> str:
        index = columns.get(name)
        return record[index].strip() if index is not None and index < len(record) else ""

    problems = []
    booked_on, amount, orgnr = date.min, Decimal(0), ""
    try:
        booked_on = parse_date(cell("date"))
    except ValueError:
        problems.append(f"ugyldig dato «{cell('date')}» (skriv 31.01.2026)")
    try:
        amount = parse_amount(cell("amount"))
    except ValueError:
        problems.append(f"ugyldig beløp «{cell('amount')}» (skriv 1234,50 eller -1234,50)")
    try:
        orgnr = parse_orgnr(cell("supplier_orgnr"))
    except ValueError:
        problems.append(f"ugyldig organisasjonsnummer «{cell('supplier_orgnr')}» (9 siffer)")
    cost_centre = cell("cost_centre")
    if not cost_centre:
        problems.append("koststed mangler")
    elif len(cost_centre) > 40:
        problems.append("koststed er lengre enn 40 tegn")
    order_number = cell("order_number")[:40] or None
    if problems:
        return None, problems
    return SpendRow(line, booked_on, cost_centre, orgnr, amount, order_number, order_id_of(order_number),
                    cell("supplier_name")[:200] or None), []


# ------------------------------------------------------------------ months


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2026-01`` -> Month(2026, 1); ValueError otherwise."""
        match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
            raise ValueError(text)
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def of_instant(cls, at: datetime) -> Month:
        """The month in Oslo of a UTC instant: 31 January 23:30 in Oslo is January."""
        local = at.replace(tzinfo=at.tzinfo or UTC).astimezone(OSLO)
        return cls(local.year, local.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def start_utc(self) -> datetime:
        """Midnight on the first in Oslo, as an aware UTC datetime (how the app stores times)."""
        return datetime(self.year, self.month, 1, tzinfo=OSLO).astimezone(UTC)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last``, both included."""
    months, current = [], first
    while current <= last:
        months.append(current)
        current = current.next()
    return months


# ------------------------------------------------------------------ shares and goals


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, one decimal; None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def progress(current: Decimal | None, goal: Decimal) -> Decimal | None:
    """How far towards the goal, in percent of the goal (may pass 100)."""
    if current is None or goal <= 0:
        return None
    return (current * 100 / goal).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def is_large(total: Decimal, limit: Decimal) -> bool:
    """A large one-off order: shown apart, never part of a share (one construction order must not make it)."""
    return total >= limit


# ------------------------------------------------------------------ fewer orderers


def approvals_per_week(weeks: Iterable[Sequence[tuple[int, int]]], orderers: int | None,
                       n_weeks: int) -> Decimal:
    """Approvals per week, now (``orderers=None``) or if ``orderers`` people ordered for the unit.

    ``weeks`` has, per week, the (orderer id, supplier id) of each order. With fewer orderers each
    of them collects the unit's needs and sends at most one order per supplier a week, so a week
    needs at most ``orderers × suppliers that week`` approvals, never more than it had.
    """
    total = 0
    for orders in weeks:
        if orderers is None:
            total += len(orders)
        else:
            suppliers = len({supplier for _, supplier in orders})
            total += min(len(orders), orderers * suppliers)
    return (Decimal(total) / max(n_weeks, 1)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def iter_chunks(items: Sequence[SpendRow], size: int) -> Iterator[Sequence[SpendRow]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
