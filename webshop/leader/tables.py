"""Every table of the leader's view as data: the page, the printable report and the CSV export
all render the same ``Table`` (so every table has its CSV, and the CSV holds what the page shows)."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from webshop.leader import services
from webshop.leader.rules import Month, progress
from webshop.leader.services import Adoption, Period, UnitMonth
from webshop.orgs.models import Unit

TEXT, MONEY, PERCENT, NUMBER, HOURS = "text", "money", "percent", "number", "hours"


@dataclass(frozen=True)
class Column:
    label: Any  # a lazy string
    kind: str = TEXT


@dataclass
class Table:
    name: str  # the CSV's name and the section's anchor
    caption: Any
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    note: Any = None


def to_csv(table: Table) -> bytes:
    """``;``-separated, decimal comma, UTF-8 with BOM: how Excel in Norway opens it without a wizard."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(c.label) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else str(v).replace(".", ",") if isinstance(v, Decimal) else str(v)
                         for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


ADOPTION_COLUMNS = [Column(_l("Forbruk i regnskapet"), MONEY), Column(_l("Gjennom e-handel"), MONEY),
                    Column(_l("Hos avtaleleverandører (potensial)"), MONEY),
                    Column(_l("Andel av forbruket"), PERCENT), Column(_l("Andel av potensialet"), PERCENT),
                    Column(_l("Mål"), PERCENT), Column(_l("Store engangsordrer (vises for seg)"), MONEY)]


def _figures(cell: UnitMonth) -> list[Any]:
    return [cell.spend_total, cell.e_spend, cell.spend_agreement, cell.share_of_total, cell.share_of_potential,
            cell.target, cell.large_orders]


def _summed(cells: Sequence[UnitMonth], target: Decimal) -> UnitMonth:
    total = UnitMonth(cells[0].month if cells else Month(2000, 1), target)
    for cell in cells:
        total.add(cell)
    return total


def by_unit(adoption: Adoption) -> Table:
    table = Table("enheter", _l("Andel e-handel per enhet i perioden"),
                  [Column(_l("Enhet")), *ADOPTION_COLUMNS])
    for unit in adoption.units:
        cells = adoption.by_unit[unit.id]
        table.rows.append([unit.name, *_figures(_summed(cells, cells[0].target if cells else adoption.target))])
    table.rows.append([str(_l("Alle enhetene")), *_figures(_summed(adoption.total, adoption.target))])
    return table


def by_month(adoption: Adoption) -> Table:
    table = Table("maneder", _l("Andel e-handel per måned"), [Column(_l("Måned")), *ADOPTION_COLUMNS])
    for cell in adoption.total:
        table.rows.append([str(cell.month), *_figures(cell)])
    return table


def unit_goals(adoption: Adoption) -> Table:
    """This month's share per unit against the unit's goal (the coordinator sets it)."""
    table = Table("mal", _l("Enhetenes mål denne måneden"),
                  [Column(_l("Enhet")), Column(_l("Andel av forbruket"), PERCENT), Column(_l("Mål"), PERCENT),
                   Column(_l("Av målet"), PERCENT)])
    for unit in adoption.units:
        cell = adoption.by_unit[unit.id][-1]
        table.rows.append([unit.name, cell.share_of_total, cell.target, progress(cell.share_of_total, cell.target)])
    return table


def line_mix(organisation_id: int, unit_ids: Sequence[int], last: Month) -> Table:
    table = Table("innsparing", _l("Katalog, fritekst og innsparing"),
                  [Column(_l("Periode")), Column(_l("Fra katalog"), MONEY), Column(_l("Fritekst"), MONEY),
                   Column(_l("Andel fritekst"), PERCENT), Column(_l("Spart mot listepris"), MONEY)],
                  note=_l("Innsparing: avtalepris mot leverandørens listepris, på katalogvarer med listepris."))
    for label, period in ((_l("Denne måneden (%(m)s)", m=str(last)), Period(last, last)),
                          (_l("Hittil i år (%(y)s)", y=last.year), Period(Month(last.year, 1), last))):
        mix = services.line_mix(organisation_id, unit_ids, period)
        table.rows.append([str(label), mix.catalogue, mix.free_text, mix.free_text_share, mix.savings])
    return table


def suppliers(organisation_id: int, unit_ids: Sequence[int], period: Period, limit: int | None = 20) -> Table:
    table = Table("leverandorer", _l("Forbruk per leverandør: utenfor avtale og uten ordrenummer"),
                  [Column(_l("Leverandør")), Column(_l("Org.nr.")), Column(_l("Forbruk"), MONEY),
                   Column(_l("Uten ordrenummer"), MONEY), Column(_l("Avtale")),
                   Column(_l("Utenfor avtale"), MONEY)],
                  note=_l("Fakturaer uten ordrenummer kan ikke knyttes til en bestilling."))
    for s in services.spend_by_supplier(organisation_id, unit_ids, period)[:limit]:
        table.rows.append([s.name, s.orgnr, s.total, s.without_order_number,
                           str(_l("ja") if s.has_agreement else _l("nei")), s.maverick])
    return table


def authority(units: Sequence[Unit], period_months: int = 12) -> Table:
    stats = services.orderer_stats(list(units), months=period_months)
    table = Table("bestillerrett", _l("Bestillerrett og hvem som bestiller (siste 12 måneder)"),
                  [Column(_l("Enhet")), Column(_l("Med bestillerrett"), NUMBER), Column(_l("Har bestilt"), NUMBER),
                   Column(_l("Bestiller sjeldnere enn månedlig"), NUMBER), Column(_l("Ordrer"), NUMBER),
                   Column(_l("Ordrer per bestiller"), NUMBER)])
    for unit in units:
        rows = stats[unit.id]
        ordered = [s for s in rows if s.orders]
        orders = sum(s.orders for s in rows)
        table.rows.append([unit.name, len(rows), len(ordered), sum(1 for s in rows if s.is_infrequent), orders,
                           (Decimal(orders) / len(ordered)).quantize(Decimal("0.1")) if ordered else None])
    return table


def orderers(units: Sequence[Unit]) -> Table:
    stats = services.orderer_stats(list(units))
    table = Table("bestillere", _l("Bestillere, ordrer og forbruk siste 12 måneder"),
                  [Column(_l("Enhet")), Column(_l("Navn")), Column(_l("Ordrer"), NUMBER), Column(_l("Forbruk"), MONEY),
                   Column(_l("Ordrer per måned"), NUMBER), Column(_l("Sjelden"))])
    for unit in units:
        for s in stats[unit.id]:
            table.rows.append([unit.name, s.user.name, s.orders, s.spend, s.per_month,
                               str(_l("sjelden")) if s.is_infrequent else ""])
    return table


def lead_times(organisation_id: int, unit_ids: Sequence[int], period: Period) -> tuple[Table, Table]:
    per_approver, per_unit = services.approval_lead_times(organisation_id, unit_ids, period)
    columns = [Column(_l("Beslutninger"), NUMBER), Column(_l("Median timer fra innsending til beslutning"), HOURS)]
    month = period.last
    approvers = Table("ledetid-godkjenner", _l("Godkjenningstid per godkjenner i %(month)s", month=str(month)),
                      [Column(_l("Godkjenner")), *columns],
                      [[t.name, t.decisions, t.median_hours] for t in per_approver])
    units = Table("ledetid-enhet", _l("Godkjenningstid per enhet i %(month)s", month=str(month)),
                  [Column(_l("Enhet")), *columns],
                  [[t.name, t.decisions, t.median_hours] for t in per_unit])
    return approvers, units


def searches(organisation_id: int, period: Period) -> Table:
    return Table("sok-uten-treff", _l("Søk uten treff (flest først)"),
                 [Column(_l("Søk")), Column(_l("Antall"), NUMBER)],
                 [[q, n] for q, n in services.zero_result_searches(organisation_id, period)],
                 note=_l("Det bestillerne lette etter og ikke fant: hull i katalogene."))


def supplier_performance(rows: Sequence[tuple[Any, Any]]) -> Table:
    """From ``supplier.stats.supplier_statistics`` (the views pass it in: another feature's figures)."""
    table = Table("leverandorytelse", _l("Leverandørenes svar og leveranser (hele samarbeidet)"),
                  [Column(_l("Leverandør")), Column(_l("Sendte ordrer"), NUMBER), Column(_l("Besvart"), NUMBER),
                   Column(_l("Median svartid (timer)"), HOURS), Column(_l("Avvist"), PERCENT),
                   Column(_l("Delvis"), PERCENT), Column(_l("Sen levering"), PERCENT)])
    for supplier, stats in rows:
        hours = None if stats.median_response is None else \
            Decimal(stats.median_response.total_seconds() / 3600).quantize(Decimal("0.1"))
        table.rows.append([supplier.name, stats.orders, stats.answered, hours, stats.rejected_share,
                           stats.partial_share, stats.late_share])
    return table

