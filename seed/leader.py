"""Demo data for the leader's view (seed/data/leader.toml and accounting_<municipality>.csv).

A leader per municipality, targets and unit goals, each municipality's accounting export (dates
moved so that the file's last month is last month), and the invoices of the demo orders the
suppliers have received, with their order numbers, as an accounting system would book them.
"""
from __future__ import annotations

import calendar
import re
import tomllib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.leader import services
from webshop.leader.models import DEFAULT_LARGE_ORDER_LIMIT
from webshop.leader.rules import Month, decode
from webshop.orders.models import Order
from webshop.orders.rules import WITH_SUPPLIER
from webshop.orgs.models import Organisation, Role, RoleAssignment, Unit, User

DATA = Path(__file__).resolve().parent / "data"
DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4});", re.MULTILINE)


def _data(data_dir: Path = DATA) -> dict[str, Any]:
    return tomllib.loads((data_dir / "leader.toml").read_text(encoding="utf-8"))


def leader_accounts(data_dir: Path = DATA) -> list[tuple[str, str, str, str]]:
    return [(r["email"], r["password"], r["name"], f"{r['title']} (leader)") for r in _data(data_dir)["leaders"]]


def shift_dates(text: str, today: date) -> str:
    """Move every dd.mm.yyyy at the start of a line by whole months, so the latest is last month."""
    found = [(int(y), int(m)) for _d, m, y in DATE.findall(text)]
    if not found:
        return text
    latest = max(found)
    target = Month.of(today.replace(day=1) - timedelta(days=1))
    delta = (target.year * 12 + target.month) - (latest[0] * 12 + latest[1])

    def move(match: re.Match[str]) -> str:
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        index = year * 12 + month - 1 + delta
        y, m = divmod(index, 12)
        d = min(day, calendar.monthrange(y, m + 1)[1])
        return f"{d:02d}.{m + 1:02d}.{y:04d};"

    return DATE.sub(move, text)


def _invoices(organisation: Organisation) -> bytes | None:
    """What the suppliers invoiced for the demo orders they received, with the order number."""
    rows = db.session.execute(
        select(Order, Unit).join(Unit, Unit.id == Order.unit_id)
        .where(Order.organisation_id == organisation.id, Order.status.in_(WITH_SUPPLIER))).all()
    lines = ["Bilagsdato;Ansvar;Org.nr;Leverandør;Ordrenummer;Beløp eks. mva"]
    for order, unit in rows:
        booked = (order.submitted_at + timedelta(days=7)).date()
        booked = min(booked, utcnow().date())
        lines.append(f"{booked:%d.%m.%Y};{unit.cost_centre or unit.key};{order.supplier.orgnr};{order.supplier.name};"
                     f"{order.number};{str(order.total).replace('.', ',')}")
    return "\n".join(lines).encode() if len(lines) > 1 else None


def load_leader_demo(orgs: dict[str, Organisation], units: dict[str, Unit], data_dir: Path = DATA) -> None:
    """Leaders, targets, unit goals and the accounting exports of the demo municipalities."""
    data = _data(data_dir)
    coordinators: dict[int, User] = {}
    for row in data["leaders"]:
        user = User(email=row["email"], name=row["name"], organisation_id=orgs[row["organisation"]].id)
        user.set_password(row["password"])
        user.roles = [RoleAssignment(role=Role.LEADER)]
        db.session.add(user)
    db.session.flush()
    for user in db.session.scalars(select(User)):
        if user.has_role(Role.COORDINATOR):
            coordinators.setdefault(user.organisation_id, user)
    for key, target in data.get("targets", {}).items():
        org = orgs[key]
        services.save_settings(org, target_percent=Decimal(target),
                               large_order_limit=DEFAULT_LARGE_ORDER_LIMIT, by=coordinators[org.id])
    for key, goal in data.get("unit_goals", {}).items():
        unit = units[key]
        services.save_unit_goal(unit, Decimal(goal), by=coordinators[unit.organisation_id])
    today = utcnow().date()
    for key, org in orgs.items():
        path = data_dir / f"accounting_{key}.csv"
        if path.exists():
            text = shift_dates(decode(path.read_bytes()), today)
            services.import_spend(org, text.encode("utf-8"), path.name, by=None)
        invoices = _invoices(org)
        if invoices is not None:
            services.import_spend(org, invoices, "fakturaer-med-ordrenummer.csv", by=None)
