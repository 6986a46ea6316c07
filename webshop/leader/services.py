"""Use cases of the leader's view: import accounting spend, set targets and unit goals, and the
figures (adoption per unit and month, savings, free text, maverick spend, lead times, searches).

The one spend rule: spend through e-ordering is the total (excl. VAT) of the orders whose status
is in ``SPEND_COMMITTING``, counted in the Oslo month they were submitted, never in a training
sandbox (``real_organisation_ids``). Total spend is the accounting system's rows (credit notes
negative) by booking date. The *potential* is accounting spend with suppliers that have a
framework agreement with a published catalogue for the municipality. Large one-off orders (at
or above the municipality's limit) are shown apart: they are left out of spend through
e-ordering, and the invoices that carry their order number are left out of total spend and
potential, so one construction order can neither make nor break a share.
"""
from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import median
from typing import Any, TypeVar, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, case, delete, func, insert, select, type_coerce

from webshop import audit
from webshop.approvals.models import ApprovalDecision  # lead times read the decisions
from webshop.catalogue.models import Agreement, Catalogue, CatalogueStatus, SearchLog, Supplier, agreement_members
from webshop.dbtypes import ScaledDecimal, utcnow
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.leader import rules
from webshop.leader.models import (
    DEFAULT_LARGE_ORDER_LIMIT,
    DEFAULT_TARGET_PERCENT,
    AdoptionSettings,
    CostCentre,
    OrderMonth,
    SpendImport,
    SpendMonth,
    SpendRecord,
    UnitGoal,
)
from webshop.leader.rules import Month, RowError, SpendFileInvalid, share
from webshop.orders.models import AuditEvent, Order, OrderLine
from webshop.orders.money import line_savings
from webshop.orders.rules import SPEND_COMMITTING
from webshop.orgs.models import Organisation, Role, RoleAssignment, Unit, User
from webshop.orgs.scoping import real_organisation_ids

T = TypeVar("T")
ZERO = Decimal("0.00")
CHUNK = 5000
CACHE_SIZE = 256
LEAD_TIME_HORIZON = timedelta(days=92)  # decisions on orders older than this are not approval lead time any more


# ------------------------------------------------------------------ a cache that knows when it is stale


_cache: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = OrderedDict()
_cache_lock = threading.Lock()  # threaded servers share the cache


def fingerprint(organisation_id: int | None) -> tuple[Any, ...]:
    """What changes whenever a figure of the municipality (``None``: of any municipality) can change:
    a new order, any status change or setting (each writes an audit event), a new accounting import.
    Three index look-ups."""
    if organisation_id is None:
        return (db.session.scalar(select(func.max(Order.id))), db.session.scalar(select(func.max(AuditEvent.id))),
                str(db.engine.url))
    return (db.session.scalar(select(func.max(Order.id)).where(Order.organisation_id == organisation_id)),
            db.session.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.organisation_id == organisation_id)),
            db.session.scalar(select(func.max(SpendImport.id)).where(SpendImport.organisation_id == organisation_id)),
            str(db.engine.url))


def cached(key: tuple[Any, ...], organisation_id: int | None, compute: Callable[[], T]) -> T:
    """``compute()``, or its earlier answer while the municipality's fingerprint is unchanged.

    Year-long aggregates over 100,000 orders take longer than a page may; they are remembered per
    process (LEADER_CACHE, on outside tests) until an order, a status, a setting or an import changes.
    """
    if not current_app.config.get("LEADER_CACHE", not current_app.testing):
        return compute()
    mark = fingerprint(organisation_id)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == mark:
            _cache.move_to_end(key)
            return cast(T, hit[1])
    value = compute()
    with _cache_lock:
        _cache[key] = (mark, value)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value


class LeaderError(DomainError):
    """A leader-view change that cannot be made; the message is shown to the user."""


# ------------------------------------------------------------------ settings and goals


@dataclass(frozen=True)
class Settings:
    target_percent: Decimal
    large_order_limit: Decimal


def settings_of(organisation_id: int) -> Settings:
    row = db.session.get(AdoptionSettings, organisation_id)
    if row is None:
        return Settings(DEFAULT_TARGET_PERCENT, DEFAULT_LARGE_ORDER_LIMIT)
    return Settings(row.target_percent, row.large_order_limit)


def save_settings(organisation: Organisation, *, target_percent: Decimal, large_order_limit: Decimal,
                  by: User) -> None:
    """The municipality's target (percent of spend through e-ordering) and its large-order limit."""
    if not Decimal(0) < target_percent <= Decimal(100):
        raise LeaderError(_("Målet må være mellom 0 og 100 %."))
    if large_order_limit <= 0:
        raise LeaderError(_("Grensen for store engangsordrer må være over 0 kr."))
    row = db.session.get(AdoptionSettings, organisation.id)
    if row is None:
        row = AdoptionSettings(organisation_id=organisation.id)
        db.session.add(row)
    row.target_percent, row.large_order_limit = target_percent, large_order_limit
    audit.record("adoption_target_changed", by=by, organisation_id=organisation.id,
                 comment=f"mål {target_percent} %, store engangsordrer fra {large_order_limit} kr")
    db.session.flush()


def unit_goals(unit_ids: Iterable[int]) -> dict[int, Decimal]:
    ids = list(unit_ids)
    return {g.unit_id: g.target_percent for g in db.session.scalars(select(UnitGoal).where(UnitGoal.unit_id.in_(ids)))}


def save_unit_goal(unit: Unit, target_percent: Decimal | None, *, by: User) -> None:
    """The coordinator's goal for a unit; ``None`` removes it (the municipality's target applies)."""
    row = db.session.get(UnitGoal, unit.id)
    if target_percent is None:
        if row is not None:
            db.session.delete(row)
    else:
        if not Decimal(0) < target_percent <= Decimal(100):
            raise LeaderError(_("Målet må være mellom 0 og 100 %."))
        if row is None:
            row = UnitGoal(unit_id=unit.id, target_percent=target_percent)
            db.session.add(row)
        row.target_percent, row.set_by_id, row.set_at = target_percent, by.id, utcnow()
    audit.record("unit_goal_changed", by=by, organisation_id=unit.organisation_id,
                 comment=f"{unit.name}: {'kommunens mål' if target_percent is None else f'{target_percent} %'}")
    db.session.flush()


# ------------------------------------------------------------------ spend import


def cost_centre_map(organisation_id: int) -> dict[str, int]:
    """Cost centre (or unit key) -> unit id for one municipality: the units' own cost centres and
    keys, then the extra mappings in ``cost_centres`` (which win)."""
    mapping: dict[str, int] = {}
    for unit in db.session.scalars(select(Unit).where(Unit.organisation_id == organisation_id)):
        mapping[unit.key.lower()] = unit.id
        if unit.cost_centre:
            mapping[unit.cost_centre.strip().lower()] = unit.id
    for row in db.session.scalars(select(CostCentre).where(CostCentre.organisation_id == organisation_id)):
        mapping[row.code.strip().lower()] = row.unit_id
    return mapping


def map_cost_centre(organisation: Organisation, code: str, unit: Unit, *, by: User) -> None:
    """Map an accounting cost centre to a unit of the same municipality."""
    code = code.strip()
    if unit.organisation_id != organisation.id or not code or len(code) > 40:
        raise LeaderError(_("Ugyldig koststed eller enhet."))
    row = db.session.scalar(select(CostCentre).where(CostCentre.organisation_id == organisation.id,
                                                     func.lower(CostCentre.code) == code.lower()))
    if row is None:
        row = CostCentre(organisation_id=organisation.id, code=code, unit_id=unit.id)
        db.session.add(row)
    row.unit_id = unit.id
    audit.record("cost_centre_mapped", by=by, organisation_id=organisation.id, comment=f"{code} → {unit.name}")
    db.session.flush()


def import_spend(organisation: Organisation, data: bytes, filename: str, *, by: User | None) -> SpendImport:
    """Import an accounting export for ``organisation``: every row, or none (``SpendFileInvalid``
    lists every bad row). Cost centres must map to the municipality's units; an order number
    (IK-000123) is linked to the order when the order is the municipality's."""
    if organisation.is_sandbox:
        raise LeaderError(_("En øvingskommune har ikke regnskap."))
    rows = rules.read_spend_csv(data)
    units = cost_centre_map(organisation.id)
    errors = [RowError(r.line, _("ukjent koststed «%(code)s»: knytt det til en enhet først", code=r.cost_centre))
              for r in rows if r.cost_centre.lower() not in units]
    if errors:
        raise SpendFileInvalid(errors)
    wanted = {r.order_id for r in rows if r.order_id is not None}
    ours: set[int] = set()
    for chunk in _chunks(sorted(wanted)):
        ours.update(db.session.scalars(select(Order.id).where(Order.id.in_(chunk),
                                                              Order.organisation_id == organisation.id)))
    total = sum((r.amount for r in rows), ZERO)
    record = SpendImport(organisation_id=organisation.id, filename=filename[:200], rows=len(rows), total=total,
                         imported_by_id=by.id if by is not None else None)
    db.session.add(record)
    db.session.flush()
    for chunk_rows in rules.iter_chunks(rows, CHUNK):
        db.session.execute(insert(SpendRecord), [{
            "import_id": record.id, "organisation_id": organisation.id,
            "unit_id": units[r.cost_centre.lower()], "booked_on": r.booked_on, "cost_centre": r.cost_centre,
            "supplier_orgnr": r.supplier_orgnr, "supplier_name": r.supplier_name,
            "amount": r.amount,
            "order_number": r.order_number, "order_id": r.order_id if r.order_id in ours else None,
        } for r in chunk_rows])
    refresh_spend_months(organisation.id)
    audit.record("spend_imported", by=by, organisation_id=organisation.id,
                 comment=f"{filename[:200]}: {len(rows)} rader, {total} kr")
    db.session.flush()
    return record


def _chunks(items: Sequence[int], size: int = 900) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def refresh_spend_months(organisation_id: int) -> None:
    """Rebuild the municipality's monthly sums (``SpendMonth``) from its accounting rows."""
    db.session.execute(delete(SpendMonth).where(SpendMonth.organisation_id == organisation_id))
    has_number = SpendRecord.order_number.is_not(None)
    sums: dict[tuple[int, date, str, bool], list[Any]] = {}
    for unit_id, day, orgnr, numbered, name, amount, rows in db.session.execute(
            select(SpendRecord.unit_id, SpendRecord.booked_on, SpendRecord.supplier_orgnr, has_number,
                   func.max(SpendRecord.supplier_name), _money_sum(SpendRecord.amount), func.count())
            .where(SpendRecord.organisation_id == organisation_id)
            .group_by(SpendRecord.unit_id, SpendRecord.booked_on, SpendRecord.supplier_orgnr, has_number)):
        key = (unit_id, day.replace(day=1), orgnr, bool(numbered))
        cell = sums.setdefault(key, [name, ZERO, 0])
        cell[0] = cell[0] or name
        cell[1] += amount
        cell[2] += rows
    values = [{"organisation_id": organisation_id, "unit_id": u, "month": m, "supplier_orgnr": o,
               "with_order_number": n, "supplier_name": name, "amount": amount, "rows": rows}
              for (u, m, o, n), (name, amount, rows) in sums.items()]
    for start in range(0, len(values), CHUNK):
        db.session.execute(insert(SpendMonth), values[start:start + CHUNK])


def latest_spend_month(organisation_id: int) -> Month | None:
    """The last month the accounting has rows for: the natural month to follow up."""
    latest = db.session.scalar(select(func.max(SpendMonth.month)).where(SpendMonth.organisation_id == organisation_id))
    return None if latest is None else Month.of(latest)


def spend_imports(organisation_id: int, limit: int = 20) -> list[SpendImport]:
    return list(db.session.scalars(select(SpendImport).where(SpendImport.organisation_id == organisation_id)
                                   .order_by(SpendImport.id.desc()).limit(limit)))


# ------------------------------------------------------------------ the orders, summed per month


CellKey = tuple[int, int, date, int]  # organisation, unit, first day of the Oslo month, orderer


def _cells(orders: Iterable[Any]) -> dict[CellKey, dict[str, Any]]:
    """Sum orders (id, organisation, unit, orderer, submitted_at, total) and their lines per cell."""
    cells: dict[CellKey, dict[str, Any]] = {}
    where: dict[int, CellKey] = {}
    for order_id, org, unit, orderer, submitted, total in orders:
        key = (org, unit, Month.of_instant(submitted).first_day(), orderer)
        cell = cells.setdefault(key, {"orders": 0, "spend": ZERO, "catalogue": ZERO, "free_text": ZERO,
                                      "savings": ZERO, "last_order_at": None})
        cell["orders"] += 1
        cell["spend"] += total
        cell["last_order_at"] = max(filter(None, (cell["last_order_at"], submitted)))
        where[order_id] = key
    ids = sorted(where)
    for chunk in _chunks(ids):
        for order_id, free, line_total, quantity, price, list_price in db.session.execute(
                select(OrderLine.order_id, OrderLine.is_free_text, OrderLine.line_total, OrderLine.quantity,
                       OrderLine.unit_price, OrderLine.list_price).where(OrderLine.order_id.in_(chunk))):
            cell = cells[where[order_id]]
            cell["free_text" if free else "catalogue"] += line_total
            cell["savings"] += line_savings(quantity, price, list_price)  # the same rule as the orderer's why
    return cells


def refresh_order_month(organisation_id: int, unit_id: int, month: Month, orderer_id: int) -> None:
    """Sum one cell again from its orders (the one spend rule); remove it when nothing counts."""
    orders = db.session.execute(
        select(Order.id, Order.organisation_id, Order.unit_id, Order.orderer_id, Order.submitted_at, Order.total)
        .where(committing_orders(organisation_id), Order.unit_id == unit_id, Order.orderer_id == orderer_id,
               Order.submitted_at >= month.start_utc(), Order.submitted_at < month.next().start_utc())).all()
    row = db.session.scalar(select(OrderMonth).where(
        OrderMonth.organisation_id == organisation_id, OrderMonth.unit_id == unit_id,
        OrderMonth.month == month.first_day(), OrderMonth.orderer_id == orderer_id))
    cells = _cells(orders)
    if not cells:
        if row is not None:
            db.session.delete(row)
        return
    (key, values), = cells.items()
    if row is None:
        row = OrderMonth(organisation_id=key[0], unit_id=key[1], month=key[2], orderer_id=key[3])
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)


def on_order_changed(sender: Order, **_signal: Any) -> None:
    """Receiver of every order signal (webshop/subscriptions.py): the order's cell is summed again
    inside the same transaction, so the figures never disagree with the orders."""
    if sender.organisation is not None and sender.organisation.is_sandbox:
        return
    db.session.flush()
    refresh_order_month(sender.organisation_id, sender.unit_id, Month.of_instant(sender.submitted_at),
                        sender.orderer_id)


def rebuild_order_months(organisation_id: int) -> None:
    """Sum every cell of the municipality again (orders that came in before this table, or by hand)."""
    db.session.execute(delete(OrderMonth).where(OrderMonth.organisation_id == organisation_id))
    orders = db.session.execute(
        select(Order.id, Order.organisation_id, Order.unit_id, Order.orderer_id, Order.submitted_at, Order.total)
        .where(committing_orders(organisation_id))).all()
    values = [{"organisation_id": k[0], "unit_id": k[1], "month": k[2], "orderer_id": k[3], **v}
              for k, v in _cells(orders).items()]
    for start in range(0, len(values), CHUNK):
        db.session.execute(insert(OrderMonth), values[start:start + CHUNK])


def ensure_order_months(organisation_id: int) -> None:
    """Build the municipality's cells once, when it has orders that count but no cells yet (orders
    from before this table). Commits: derived rows, built once, whatever page asked first."""
    if db.session.scalar(select(OrderMonth.id).where(OrderMonth.organisation_id == organisation_id).limit(1)):
        return
    if db.session.scalar(select(Order.id).where(committing_orders(organisation_id)).limit(1)) is not None:
        rebuild_order_months(organisation_id)
        db.session.commit()


# ------------------------------------------------------------------ adoption per unit and month


@dataclass
class UnitMonth:
    """The figures of one unit (or the whole municipality) in one month."""

    month: Month
    target: Decimal
    spend_total: Decimal = ZERO  # accounting, credit notes negative
    spend_agreement: Decimal = ZERO  # accounting with agreement suppliers: the potential
    e_spend: Decimal = ZERO  # orders through the app (SPEND_COMMITTING), large ones left out
    large_orders: Decimal = ZERO  # large one-off orders through the app, shown apart
    large_invoiced: Decimal = ZERO  # invoices carrying a large order's number
    large_invoiced_agreement: Decimal = ZERO

    @property
    def share_of_total(self) -> Decimal | None:
        return share(self.e_spend, self.spend_total - self.large_invoiced)

    @property
    def share_of_potential(self) -> Decimal | None:
        return share(self.e_spend, self.spend_agreement - self.large_invoiced_agreement)

    def add(self, other: UnitMonth) -> None:
        for name in ("spend_total", "spend_agreement", "e_spend", "large_orders", "large_invoiced",
                     "large_invoiced_agreement"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Adoption:
    """Per unit id, the months in order; ``total`` is the municipality (or the units shown) per month."""

    months: list[Month]
    units: list[Unit]
    by_unit: dict[int, list[UnitMonth]]
    total: list[UnitMonth] = field(default_factory=list)
    target: Decimal = DEFAULT_TARGET_PERCENT


def agreement_supplier_orgnrs(organisation_id: int) -> set[str]:
    """Organisation numbers of the suppliers with a framework agreement (with a published
    catalogue) that the municipality is a member of: the potential for e-ordering."""
    published = select(Catalogue.agreement_id).where(Catalogue.status == CatalogueStatus.PUBLISHED)
    return set(db.session.scalars(
        select(Supplier.orgnr).join(Agreement, Agreement.supplier_id == Supplier.id)
        .join(agreement_members, agreement_members.c.agreement_id == Agreement.id)
        .where(agreement_members.c.organisation_id == organisation_id, Agreement.id.in_(published))))


def _month_index(column: Any, months: Sequence[Month], *, instant: bool) -> ColumnElement[Any]:
    """The month's position in ``months`` (Oslo months for instants), -1 outside them."""
    start = months[0].start_utc() if instant else months[0].first_day()
    bounds = [m.next().start_utc() if instant else m.next().first_day() for m in months]
    return case((column < start, -1), *[(column < bound, i) for i, bound in enumerate(bounds)], else_=-1)


def _money_sum(expression: Any, scale: int = 2) -> Any:
    return type_coerce(func.coalesce(func.sum(expression), 0), ScaledDecimal(scale))


def committing_orders(organisation_id: int) -> ColumnElement[bool]:
    """The one spend rule as a WHERE clause: the municipality's real orders that commit money."""
    return and_(Order.organisation_id == organisation_id, Order.organisation_id.in_(real_organisation_ids()),
                Order.status.in_(SPEND_COMMITTING))


def adoption(organisation_id: int, units: Sequence[Unit], first: Month, last: Month) -> Adoption:
    """Spend, spend through e-ordering, the potential and both shares per unit and month."""
    key = ("adoption", organisation_id, tuple(u.id for u in units), first, last)
    by_unit, totals, target = cached(key, organisation_id, lambda: _adoption(organisation_id, units, first, last))
    months = rules.months_between(first, last)
    return Adoption(months, list(units), {k: [replace(c) for c in v] for k, v in by_unit.items()},
                    [replace(c) for c in totals], target)


def _adoption(organisation_id: int, units: Sequence[Unit], first: Month,
              last: Month) -> tuple[dict[int, list[UnitMonth]], list[UnitMonth], Decimal]:
    months = rules.months_between(first, last)
    settings = settings_of(organisation_id)
    goals = unit_goals(u.id for u in units)
    unit_ids = [u.id for u in units]
    by_unit = {u.id: [UnitMonth(m, goals.get(u.id, settings.target_percent)) for m in months] for u in units}
    limit = settings.large_order_limit
    large = Order.total >= limit
    ensure_order_months(organisation_id)
    index = _month_index(OrderMonth.month, months, instant=False)
    cells = (select(OrderMonth.unit_id, index, _money_sum(OrderMonth.spend))
             .where(OrderMonth.organisation_id == organisation_id, OrderMonth.unit_id.in_(unit_ids),
                    OrderMonth.organisation_id.in_(real_organisation_ids()),
                    OrderMonth.month >= first.first_day(), OrderMonth.month < last.next().first_day())
             .group_by(OrderMonth.unit_id, index))
    for unit_id, i, spent in db.session.execute(cells):
        if i >= 0:
            by_unit[unit_id][i].e_spend = spent
    large_rows = db.session.execute(  # large one-off orders: few; shown apart, taken out of the share
        select(Order.id, Order.unit_id, Order.submitted_at, Order.total)
        .where(committing_orders(organisation_id), large, Order.unit_id.in_(unit_ids),
               Order.submitted_at >= first.start_utc(), Order.submitted_at < last.next().start_utc())).all()
    position = {m: i for i, m in enumerate(months)}
    for _id, unit_id, submitted, total in large_rows:
        cell = by_unit[unit_id][position[Month.of_instant(submitted)]]
        cell.e_spend -= total
        cell.large_orders += total
    agreed = sorted(agreement_supplier_orgnrs(organisation_id))
    real = SpendMonth.organisation_id.in_(real_organisation_ids())
    mindex = _month_index(SpendMonth.month, months, instant=False)
    spend = (select(SpendMonth.unit_id, mindex, _money_sum(SpendMonth.amount),
                    _money_sum(case((SpendMonth.supplier_orgnr.in_(agreed), SpendMonth.amount), else_=0)))
             .where(SpendMonth.organisation_id == organisation_id, real, SpendMonth.unit_id.in_(unit_ids),
                    SpendMonth.month >= first.first_day(), SpendMonth.month < last.next().first_day())
             .group_by(SpendMonth.unit_id, mindex))
    for unit_id, i, total, agreed_total in db.session.execute(spend):
        if i >= 0:
            by_unit[unit_id][i].spend_total, by_unit[unit_id][i].spend_agreement = total, agreed_total
    # the invoices that carry a large order's number: few, found through the order_id index
    large_ids = list(db.session.scalars(select(Order.id).where(Order.organisation_id == organisation_id, large,
                                                               Order.submitted_at >= first.start_utc())))
    sindex = _month_index(SpendRecord.booked_on, months, instant=False)
    matched = (select(SpendRecord.unit_id, sindex, _money_sum(SpendRecord.amount),
                      _money_sum(case((SpendRecord.supplier_orgnr.in_(agreed), SpendRecord.amount), else_=0)))
               .where(SpendRecord.order_id.in_(large_ids))  # alone, so the order_id index is the one used
               .group_by(SpendRecord.unit_id, sindex))
    for unit_id, i, big, big_agreed in (db.session.execute(matched) if large_ids else ()):
        if i >= 0 and unit_id in by_unit:
            by_unit[unit_id][i].large_invoiced, by_unit[unit_id][i].large_invoiced_agreement = big, big_agreed
    totals = [UnitMonth(m, settings.target_percent) for m in months]
    for rows in by_unit.values():
        for total_cell, cell in zip(totals, rows, strict=True):
            total_cell.add(cell)
    return by_unit, totals, settings.target_percent


# ------------------------------------------------------------------ the period's other figures


@dataclass(frozen=True)
class Period:
    """From the start of ``first`` to the end of ``last`` (Oslo months)."""

    first: Month
    last: Month

    @property
    def start(self) -> datetime:
        return self.first.start_utc()

    @property
    def end(self) -> datetime:
        return self.last.next().start_utc()


@dataclass(frozen=True)
class LineMix:
    catalogue: Decimal
    free_text: Decimal
    savings: Decimal

    @property
    def free_text_share(self) -> Decimal | None:
        return share(self.free_text, self.catalogue + self.free_text)


def line_mix(organisation_id: int, unit_ids: Sequence[int], period: Period) -> LineMix:
    """Catalogue vs free-text spend and the savings against list price, over the period's orders."""
    return cached(("line_mix", organisation_id, tuple(unit_ids), period), organisation_id,
                  lambda: _line_mix(organisation_id, unit_ids, period))


def _line_mix(organisation_id: int, unit_ids: Sequence[int], period: Period) -> LineMix:
    ensure_order_months(organisation_id)
    row = db.session.execute(
        select(_money_sum(OrderMonth.catalogue), _money_sum(OrderMonth.free_text), _money_sum(OrderMonth.savings))
        .where(OrderMonth.organisation_id == organisation_id, OrderMonth.unit_id.in_(unit_ids),
               OrderMonth.organisation_id.in_(real_organisation_ids()),
               OrderMonth.month >= period.first.first_day(), OrderMonth.month < period.last.next().first_day())).one()
    return LineMix(row[0], row[1], row[2])


def order_savings(order: Order) -> Decimal:
    """What one order saves against list price (the orderer's "why")."""
    return sum((line_savings(line.quantity, line.unit_price, line.list_price) for line in order.lines), ZERO)


@dataclass(frozen=True)
class SupplierSpend:
    orgnr: str
    name: str
    total: Decimal
    without_order_number: Decimal
    has_agreement: bool

    @property
    def maverick(self) -> Decimal:
        """Spend outside the agreements: everything with a supplier without one."""
        return ZERO if self.has_agreement else self.total


def spend_by_supplier(organisation_id: int, unit_ids: Sequence[int], period: Period) -> list[SupplierSpend]:
    """Accounting spend per supplier, what of it came without an order number, and whether the
    supplier has an agreement (maverick spend is spend with suppliers outside the agreements)."""
    agreed = agreement_supplier_orgnrs(organisation_id)
    names = dict(db.session.execute(select(Supplier.orgnr, Supplier.name)).all())
    rows = db.session.execute(
        select(SpendMonth.supplier_orgnr, func.max(SpendMonth.supplier_name), _money_sum(SpendMonth.amount),
               _money_sum(case((SpendMonth.with_order_number, 0), else_=SpendMonth.amount)))
        .where(SpendMonth.organisation_id == organisation_id,
               SpendMonth.organisation_id.in_(real_organisation_ids()), SpendMonth.unit_id.in_(unit_ids),
               SpendMonth.month >= period.first.first_day(), SpendMonth.month < period.last.next().first_day())
        .group_by(SpendMonth.supplier_orgnr))
    result = [SupplierSpend(orgnr, names.get(orgnr) or name or orgnr, total, without, orgnr in agreed)
              for orgnr, name, total, without in rows]
    return sorted(result, key=lambda s: (-s.maverick, -s.without_order_number, s.name))


@dataclass(frozen=True)
class LeadTime:
    name: str
    decisions: int
    median_hours: Decimal


def approval_lead_times(organisation_id: int, unit_ids: Sequence[int],
                        period: Period) -> tuple[list[LeadTime], list[LeadTime]]:
    """Submit → decision, per approver and per unit (median hours), over decisions in the period."""
    return cached(("lead_times", organisation_id, tuple(unit_ids), period), organisation_id,
                  lambda: _approval_lead_times(organisation_id, unit_ids, period))


def _approval_lead_times(organisation_id: int, unit_ids: Sequence[int],
                         period: Period) -> tuple[list[LeadTime], list[LeadTime]]:
    rows = db.session.execute(
        select(User.name, Unit.name, Order.submitted_at, ApprovalDecision.decided_at)
        .join(Order, Order.id == ApprovalDecision.order_id)
        .join(User, User.id == ApprovalDecision.approver_id).join(Unit, Unit.id == Order.unit_id)
        .where(Order.organisation_id == organisation_id, Order.organisation_id.in_(real_organisation_ids()),
               Order.unit_id.in_(unit_ids),
               # through the orders' index: a decision comes after its order, and within LEAD_TIME_HORIZON
               Order.submitted_at >= period.start - LEAD_TIME_HORIZON, Order.submitted_at < period.end,
               ApprovalDecision.decided_at >= period.start, ApprovalDecision.decided_at < period.end)).all()
    by_approver: dict[str, list[float]] = defaultdict(list)
    by_unit: dict[str, list[float]] = defaultdict(list)
    for approver, unit, submitted, decided in rows:
        hours = max((decided - submitted) / timedelta(hours=1), 0.0)
        by_approver[approver].append(hours)
        by_unit[unit].append(hours)

    def table(groups: dict[str, list[float]]) -> list[LeadTime]:
        return sorted((LeadTime(k, len(v), Decimal(str(median(v))).quantize(Decimal("0.1")))
                       for k, v in groups.items()), key=lambda t: (-t.median_hours, t.name))

    return table(by_approver), table(by_unit)


def zero_result_searches(organisation_id: int, period: Period, limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent searches that found nothing: gaps in the catalogues."""
    query = func.lower(SearchLog.query)
    return [(q, n) for q, n in db.session.execute(
        select(query, func.count()).where(SearchLog.organisation_id == organisation_id,
                                          SearchLog.organisation_id.in_(real_organisation_ids()),
                                          SearchLog.results == 0, SearchLog.created_at >= period.start,
                                          SearchLog.created_at < period.end)
        .group_by(query).order_by(func.count().desc(), query).limit(limit))]


# ------------------------------------------------------------------ ordering authority and concentration


@dataclass(frozen=True)
class OrdererStats:
    user: User
    unit: Unit
    orders: int
    spend: Decimal
    last_order_at: datetime | None
    per_month: Decimal  # orders per month over the period

    @property
    def is_infrequent(self) -> bool:
        """Fewer than one order a month: the ones who forget how the system works."""
        return self.per_month < 1


def orderer_stats(units: list[Unit], *, months: int = 12, now: datetime | None = None) -> dict[int, list[OrdererStats]]:
    """Per unit: each person with ordering rights, with orders, spend and how seldom they order over
    the last ``months`` Oslo months, this one included (two queries, on the monthly cells). Orders
    count by the one spend rule, sandboxes never."""
    first = Month.of_instant(now or utcnow())
    for _i in range(months - 1):
        first = Month(first.year - (first.month == 1), (first.month - 2) % 12 + 1)
    unit_ids = [u.id for u in units]
    by_id = {u.id: u for u in units}
    people: dict[tuple[int, int], User] = {
        (unit_id, user.id): user for unit_id, user in db.session.execute(
            select(RoleAssignment.unit_id, User).join(User, User.id == RoleAssignment.user_id)
            .where(RoleAssignment.role == Role.ORDERER, RoleAssignment.unit_id.in_(unit_ids)))
        if unit_id is not None}
    organisation_id = units[0].organisation_id if units else 0
    ensure_order_months(organisation_id)
    counts = {(u, o): (int(n), last, spend) for u, o, n, last, spend in db.session.execute(
        select(OrderMonth.unit_id, OrderMonth.orderer_id, func.sum(OrderMonth.orders),
               func.max(OrderMonth.last_order_at), _money_sum(OrderMonth.spend))
        .where(OrderMonth.organisation_id == organisation_id, OrderMonth.unit_id.in_(unit_ids),
               OrderMonth.organisation_id.in_(real_organisation_ids()), OrderMonth.month >= first.first_day())
        .group_by(OrderMonth.unit_id, OrderMonth.orderer_id))}
    result: dict[int, list[OrdererStats]] = {u.id: [] for u in units}
    for (unit_id, user_id), user in people.items():
        n, last, spend = counts.get((unit_id, user_id), (0, None, ZERO))
        result[unit_id].append(OrdererStats(user, by_id[unit_id], n, spend, last,
                                            (Decimal(n) / months).quantize(Decimal("0.1"))))
    for stats in result.values():
        stats.sort(key=lambda s: (-s.orders, s.user.name))
    return result


@dataclass(frozen=True)
class Proposal:
    unit: Unit
    current: int
    proposed: int
    keep: list[OrdererStats]
    drop: list[OrdererStats]
    orders: int
    per_orderer_month_now: Decimal
    per_orderer_month_then: Decimal
    approvals_week_now: Decimal
    approvals_week_then: Decimal


def proposal(unit: Unit, stats: list[OrdererStats], keep: int, *, months: int = 12,
             now: datetime | None = None) -> Proposal:
    """"If unit X had N orderers instead of M": the most active N keep authority and take over the
    rest; orders per orderer and approvals per week before and after (``rules.approvals_per_week``)."""
    if keep < 1:
        raise LeaderError(_("En enhet trenger minst én bestiller."))
    orders = sum(s.orders for s in stats)
    current = len(stats) or 1
    then = min(keep, current)

    def rate(people: int) -> Decimal:
        return (Decimal(orders) / months / people).quantize(Decimal("0.1"))

    since = (now or utcnow()) - timedelta(days=30 * months)
    weeks: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for submitted, orderer, supplier in db.session.execute(
            select(Order.submitted_at, Order.orderer_id, Order.supplier_id)
            .where(Order.unit_id == unit.id, Order.submitted_at >= since, Order.status.in_(SPEND_COMMITTING),
                   Order.organisation_id.in_(real_organisation_ids()))):
        iso = submitted.isocalendar()
        weeks[(iso.year, iso.week)].append((orderer, supplier))
    n_weeks = max(1, round(30 * months / 7))
    return Proposal(unit, len(stats), keep, stats[:keep], stats[keep:], orders, rate(current), rate(then),
                    rules.approvals_per_week(weeks.values(), None, n_weeks),
                    rules.approvals_per_week(weeks.values(), then, n_weeks))
