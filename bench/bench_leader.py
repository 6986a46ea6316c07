"""Leader's view benchmark (issue 13): the demo data plus N synthetic orders and M accounting rows
over the last 12 months, then the server time (Server-Timing, and wall time around the test client)
of /leder, /leder/rapport, /leder/bestillere and /api/v1/adoption, with every figure computed and
with the per-process cache (webshop.leader.services.cached). Target: ≤ 200 ms server time at
100,000 orders and 500,000 accounting rows.

    .venv/bin/python bench/bench_leader.py                               # 100,000 orders, 500,000 rows
    .venv/bin/python bench/bench_leader.py --orders 5000 --spend 25000   # a quick look
    DATABASE_URL=postgresql+psycopg://.../webshop_bench .venv/bin/python bench/bench_leader.py --reset-schema
        # --reset-schema drops and recreates the public schema of DATABASE_URL: only a database made for the bench

The synthetic rows go into the largest demo municipality (Storvika), spread over its units, its
orderers and the three agreement suppliers (orders) and seven suppliers (accounting); one order in
500 is cancelled or rejected, one in 2,000 is a large one-off order.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ORGNRS = ["918273646", "927364514", "981726340", "912873465", "923874561", "934985672", "945096783"]
LEADER = ("per.strand@storvika.kommune.no", "Demo-per-2026")


def _app(url: str | None, tmp: Path, reset_schema: bool):
    from sqlalchemy import text

    from webshop import create_app
    from webshop.config import Config

    database = url or f"sqlite:///{tmp / 'bench.sqlite'}"
    app = create_app(Config, SQLALCHEMY_DATABASE_URI=database, OUTBOX_DIR=str(tmp / "outbox"),
                     SECRET_KEY="bench-" + "x" * 40, SESSION_COOKIE_SECURE=False, TESTING=False,
                     WTF_CSRF_ENABLED=False)  # the bench logs in with a plain POST
    with app.app_context():
        from flask_migrate import upgrade

        from webshop.extensions import db

        if reset_schema and db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(revision="heads")
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return app


def _fill(app, n_orders: int, n_spend: int, seed: int = 13) -> None:
    from sqlalchemy import func, insert, select

    from webshop.approvals.models import ApprovalDecision, Decision
    from webshop.catalogue.models import Supplier
    from webshop.dbtypes import utcnow
    from webshop.extensions import db
    from webshop.leader.models import SpendImport, SpendRecord
    from webshop.leader.services import rebuild_order_months, refresh_spend_months
    from webshop.orders.models import Order, OrderDocument, OrderLine
    from webshop.orders.rules import OrderStatus
    from webshop.orgs.models import Organisation, Role, RoleAssignment, Unit

    rnd = random.Random(seed)
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.key == "storvika"))
        units = list(db.session.scalars(select(Unit).where(Unit.organisation_id == org.id)))
        people = [r.user_id for r in db.session.scalars(
            select(RoleAssignment).where(RoleAssignment.role == Role.ORDERER,
                                         RoleAssignment.unit_id.in_([u.id for u in units])))] or [1]
        suppliers = list(db.session.scalars(select(Supplier.id)))
        now = utcnow()
        start = time.perf_counter()
        before = db.session.scalar(select(func.max(Order.id))) or 0
        batch = []
        for i in range(n_orders):
            status = OrderStatus.DELIVERED
            if i % 500 == 1:
                status = OrderStatus.CANCELLED
            elif i % 500 == 2:
                status = OrderStatus.REJECTED
            total = Decimal(rnd.randint(5000, 800000)) / 100
            if i % 2000 == 3:
                total = Decimal("750000.00")
            batch.append({"organisation_id": org.id, "unit_id": rnd.choice(units).id,
                          "supplier_id": rnd.choice(suppliers), "orderer_id": rnd.choice(people), "status": status,
                          "submitted_at": now - timedelta(minutes=rnd.randint(0, 365 * 24 * 60)),
                          "total": total, "vat_total": total / 4, "currency": "NOK"})
            if len(batch) == 5000:
                db.session.execute(insert(Order), batch)
                batch = []
        if batch:
            db.session.execute(insert(Order), batch)
        decisions, documents = [], []  # one approver's decision and the sent EHF document per order
        for order_id, submitted, status in db.session.execute(
                select(Order.id, Order.submitted_at, Order.status).where(Order.id > before)):
            decisions.append({"order_id": order_id, "step": 1, "approver_id": rnd.choice(people),
                              "decision": Decision.REJECTED if status == OrderStatus.REJECTED else Decision.APPROVED,
                              "decided_at": submitted + timedelta(minutes=rnd.randint(5, 4000))})
            if status == OrderStatus.DELIVERED:
                documents.append({"order_id": order_id, "kind": "order", "message_id": str(uuid.uuid4()),
                                  "filename": f"IK-{order_id:06d}.xml", "xml": b"<Order/>", "created_at": submitted,
                                  "delivered_at": submitted + timedelta(hours=1), "state": "delivered",
                                  "attempts": 1, "next_attempt_at": None})
            if len(decisions) >= 10000:
                db.session.execute(insert(ApprovalDecision), decisions)
                db.session.execute(insert(OrderDocument), documents)
                decisions, documents = [], []
        if decisions:
            db.session.execute(insert(ApprovalDecision), decisions)
        if documents:
            db.session.execute(insert(OrderDocument), documents)
        lines = []  # two lines per order: a catalogue line with a list price, and every fifth a free-text one
        for order_id, total in db.session.execute(select(Order.id, Order.total).where(Order.id > before)):
            half = (total / 2).quantize(Decimal("0.01"))
            lines.append({"order_id": order_id, "line_no": 1, "is_free_text": False, "name": "Kopipapir",
                          "unit_code": "XPK", "quantity": Decimal(1), "unit_price": half,
                          "list_price": half * Decimal("1.2"), "vat_rate": Decimal(25), "line_total": half})
            lines.append({"order_id": order_id, "line_no": 2, "is_free_text": order_id % 5 == 0, "name": "Annet",
                          "unit_code": "EA", "quantity": Decimal(1), "unit_price": total - half, "list_price": None,
                          "vat_rate": Decimal(25), "line_total": total - half})
            if len(lines) >= 10000:
                db.session.execute(insert(OrderLine), lines)
                lines = []
        if lines:
            db.session.execute(insert(OrderLine), lines)
        record = SpendImport(organisation_id=org.id, filename="bench.csv", rows=n_spend, total=Decimal(0))
        db.session.add(record)
        db.session.flush()
        rows = []
        today = now.date()
        for i in range(n_spend):
            unit = rnd.choice(units)
            amount = Decimal(rnd.randint(-20000, 2000000)) / 100
            rows.append({"import_id": record.id, "organisation_id": org.id, "unit_id": unit.id,
                         "booked_on": today - timedelta(days=rnd.randint(0, 364)),
                         "cost_centre": unit.cost_centre or unit.key, "supplier_orgnr": rnd.choice(ORGNRS),
                         "supplier_name": None, "amount": amount,
                         "order_number": None if i % 3 else f"IK-{rnd.randint(1, n_orders):06d}", "order_id": None})
            if len(rows) == 10000:
                db.session.execute(insert(SpendRecord), rows)
                rows = []
        if rows:
            db.session.execute(insert(SpendRecord), rows)
        print(f"  inserted {n_orders:,} orders (2 lines, a decision and a sent document each) and "
              f"{n_spend:,} accounting rows in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        refresh_spend_months(org.id)  # what an import does after its rows are in
        db.session.commit()
        print(f"  accounting month sums rebuilt in {time.perf_counter() - start:.1f} s (part of every import)")
        start = time.perf_counter()
        rebuild_order_months(org.id)  # the orders bypassed the lifecycle, whose signals keep the cells current
        db.session.commit()
        print(f"  order month cells rebuilt in {time.perf_counter() - start:.1f} s (once; then one cell per change)")


def _measure(app, runs: int, cache: bool) -> dict[str, tuple[float, float]]:
    from webshop.dbtypes import utcnow
    from webshop.leader.rules import Month

    app.config["LEADER_CACHE"] = cache
    client = app.test_client()
    response = client.post("/logg-inn", data={"email": LEADER[0], "password": LEADER[1]})
    assert response.status_code == 302, response.status_code
    this = Month.of_instant(utcnow())
    first = Month(this.year - 1, this.month).next()
    urls = {"/leder": "/leder", "/leder/rapport": "/leder/rapport", "/leder/bestillere": "/leder/bestillere",
            "/api/v1/adoption (12 months)": f"/api/v1/adoption?from={first}&to={this}"}
    results = {}
    for name, url in urls.items():
        client.get(url)  # warm the caches and the connection
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[name] = (statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--spend", type=int, default=500_000, help="accounting rows")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reset-schema", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    tmp = Path(tempfile.mkdtemp(prefix="bench-leader-"))
    try:
        app = _app(url, tmp, args.reset_schema)
        print(f"{'PostgreSQL' if url and url.startswith('postgresql') else 'SQLite'}: "
              f"{args.orders:,} orders, {args.spend:,} accounting rows")
        _fill(app, args.orders, args.spend)
        for cache in (False, True):
            print("  every figure computed (LEADER_CACHE off):" if not cache else
                  "  figures remembered until an order, status, setting or import changes (LEADER_CACHE on):")
            for name, (p50, p95) in _measure(app, args.runs, cache).items():
                print(f"    {name:32s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
