"""Load run (issue 14): orderers and approvers at once against gunicorn + the delivery worker on
PostgreSQL, then the invariants.

    .venv/bin/python bench/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/loadtest
    .venv/bin/python bench/load.py --database-url … --orderers 5 --approvers 1 --duration 5   # a quick try

The database must be empty (``--reset`` empties it: everything in it is lost). The script
migrates it and makes its own collaboration: one municipality, one unit per approver, the
orderers spread over the units, one supplier with a generated catalogue. It starts gunicorn
(production settings, SEARCH_INDEX_WRITER=worker) and one ``flask worker`` on this machine,
waits for ``/readyz`` and then runs every user in its own thread for ``--warmup`` seconds (not
timed: the web processes open the index and compile templates) plus ``--duration`` seconds:

- an orderer logs in, then repeats: the search page, the search API, one to three items into
  the cart, submit (with ``--think`` seconds, on average, between steps);
- an approver logs in, then repeats: the inbox, approve what waits there.

Afterwards the worker delivers what was approved and the invariants are checked in the
database: every submit the client saw succeed made exactly the orders it reported (none lost,
none duplicated, none the client did not see), every approved order has exactly one outgoing
EHF message and exactly one file in the outbox, every order's totals equal its lines, and every
approval decision has its audit event. It prints p50/p95 per request kind, throughput and
errors (``--json FILE`` writes them too) and exits 1 when an invariant fails or a request erred.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "Last-test-2026!"
NOUNS = ["kopipapir", "kulepenn", "blyant", "tusj", "perm", "hullemaskin", "stiftemaskin", "saks", "linjal",
         "notatblokk", "konvolutt", "tape", "lim", "viskelær", "markeringspenn", "arkivboks", "mappe", "kalender",
         "batteri", "lyspære", "tørkepapir", "såpe", "hansker", "kaffe", "sukker", "servietter", "plastkrus"]
ADJECTIVES = ["blå", "rød", "svart", "grønn", "gul", "stor", "liten", "miljø", "ekstra", "standard", "premium"]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
INBOX_ORDER = re.compile(r'href="/godkjenning/(\d+)"')


# --- the world ------------------------------------------------------------------------------------


def make_app(url: str, instance: Path):
    from webshop import create_app
    from webshop.config import Config

    return create_app(Config, SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="load-only-key-" + "0" * 32,
                      OUTBOX_DIR=str(instance / "outbox"), SEARCH_INDEX_DIR=str(instance / "search"))


def prepare_database(app, reset: bool) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import inspect, text

    from webshop.extensions import db

    with app.app_context():
        existing = inspect(db.engine).get_table_names()
        if "orders" in existing and not reset:
            with db.engine.connect() as conn:
                if conn.execute(text("SELECT count(*) FROM orders")).scalar():
                    sys.exit("The database has orders: use an empty one, or --reset to empty it (all is lost).")
        if reset:
            with db.engine.begin() as conn:
                db.metadata.drop_all(conn)
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(revision="heads")


@dataclass
class World:
    orderers: list[tuple[str, int]] = field(default_factory=list)  # (e-mail, unit id)
    approvers: list[str] = field(default_factory=list)


def build_world(app, orderers: int, approvers: int, items: int) -> World:
    from datetime import date

    from ehf.profiles import Profile
    from webshop.catalogue.csv_import import ItemRow
    from webshop.catalogue.models import Agreement, Supplier
    from webshop.catalogue.publish import import_catalogue
    from webshop.extensions import db
    from webshop.orgs.models import Collaboration, Organisation, Role, RoleAssignment, Unit, UnitKind, User

    world = World()
    rng = random.Random(14)
    with app.app_context():
        collab = Collaboration(name="Lasttest")
        db.session.add(collab)
        db.session.flush()
        org = Organisation(collaboration_id=collab.id, key="last", name="Last kommune", orgnr="938472610")
        db.session.add(org)
        db.session.flush()
        units = [Unit(organisation_id=org.id, key=f"enhet-{i}", name=f"Enhet {i}", kind=UnitKind.SCHOOL,
                      street=f"Skolevegen {i}", postcode="1234", city="Lia") for i in range(1, approvers + 1)]
        db.session.add_all(units)
        db.session.flush()

        def person(email: str, role: Role, unit: Unit) -> None:
            user = User(email=email, name=email.split("@")[0].replace(".", " ").title(), organisation_id=org.id)
            user.set_password(PASSWORD)
            user.roles = [RoleAssignment(role=role, unit_id=unit.id)]
            db.session.add(user)

        for i, unit in enumerate(units, start=1):
            person(f"godkjenner{i}@last.no", Role.APPROVER, unit)
            world.approvers.append(f"godkjenner{i}@last.no")
        for i in range(1, orderers + 1):
            unit = units[(i - 1) % len(units)]
            person(f"bestiller{i}@last.no", Role.ORDERER, unit)
            world.orderers.append((f"bestiller{i}@last.no", unit.id))
        supplier = Supplier(key="kontor", name="Kontor AS", orgnr="918273646", endpoint_id="918273646",
                            profile=Profile.EHF_ORDERING, street="Gata 1", postcode="0150", city="Oslo")
        db.session.add(supplier)
        db.session.flush()
        agreement = Agreement(collaboration_id=collab.id, reference="RA-LAST-1", title="Kontorrekvisita",
                              supplier_id=supplier.id, valid_from=date(2024, 1, 1), valid_to=date(2099, 12, 31),
                              members=[org])
        db.session.add(agreement)
        db.session.flush()
        rows = [ItemRow(n, f"LT-{n:06d}", f"{rng.choice(NOUNS).capitalize()} {rng.choice(ADJECTIVES)} {n}",
                        f"Vare {n} til lasttesten", "44121700", "EA", Decimal(rng.randint(100, 50_000)) / 100)
                for n in range(1, items + 1)]
        import_catalogue(agreement, rows)
        db.session.commit()
    return world


# --- the servers ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_servers(url: str, instance: Path, web_workers: int) -> tuple[str, list[subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
           "WEBSHOP_INSTANCE_DIR": str(instance), "OUTBOX_DIR": str(instance / "outbox"),
           "SEARCH_INDEX_DIR": str(instance / "search"), "SEARCH_INDEX_WRITER": "worker",
           "SESSION_COOKIE_SECURE": "0", "LOG_LEVEL": "WARNING",
           # every simulated user comes from 127.0.0.1: the per-address login limit would lock them out
           "LOGIN_MAX_FAILURES_PER_ADDRESS": "100000"}
    log = open(instance / "servers.log", "ab")  # noqa: SIM115  (lives as long as the servers)
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webshop", "worker", "--interval", "0.5"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(web_workers), "-b", f"127.0.0.1:{port}",
                            "--access-logfile", "/dev/null", "webshop:create_app()"],
                           cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(f"{base}/readyz", timeout=10).status_code == 200:
                return base, [web, worker]
        except requests.RequestException:
            pass
        if time.monotonic() > deadline or web.poll() is not None or worker.poll() is not None:
            stop(web, worker)
            sys.exit(f"gunicorn or the worker did not become ready; see {instance / 'servers.log'}")
        time.sleep(0.3)


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


# --- the users ------------------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    submitted: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # e-mail -> order ids
    approved: set[int] = field(default_factory=set)
    counting_from: float = 0.0  # time.monotonic(): timings before it (the warm-up) are not counted

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            if error:  # an error counts whenever it happens
                self.errors[kind].append(error)
            if kind == "login" or time.monotonic() >= self.counting_from:
                self.times[kind].append(seconds)


class User(threading.Thread):
    def __init__(self, base: str, email: str, stats: Stats, deadline: float, think: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.base, self.email, self.stats, self.deadline, self.think = base, email, stats, deadline, think
        self.session = requests.Session()
        self.rng = random.Random(seed)
        self.csrf = ""

    def call(self, kind: str, method: str, path: str, ok: tuple[int, ...] = (200,), **kw) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, timeout=30, allow_redirects=False, **kw)
        except requests.RequestException as exc:
            self.stats.record(kind, time.perf_counter() - started, f"{type(exc).__name__}")
            return None
        elapsed = time.perf_counter() - started
        self.stats.record(kind, elapsed, None if response.status_code in ok else f"HTTP {response.status_code}")
        return response if response.status_code in ok else None

    def pause(self) -> None:
        if self.think:
            time.sleep(self.rng.uniform(0.5, 1.5) * self.think)

    def login(self) -> bool:
        page = self.session.get(self.base + "/logg-inn", timeout=30).text
        token = CSRF.search(page)
        response = self.call("login", "POST", "/logg-inn", ok=(302, 303),
                             data={"csrf_token": token.group(1) if token else "", "email": self.email,
                                   "password": PASSWORD})
        if response is None:
            return False
        found = CSRF.search(self.session.get(self.base + "/handlekurv", timeout=30).text)  # this session's token
        self.csrf = found.group(1) if found else ""
        return bool(self.csrf)

    def run(self) -> None:
        if not self.login():
            return
        while time.monotonic() < self.deadline:
            self.step()
            self.pause()


class Orderer(User):
    unit_id = 0

    def step(self) -> None:
        word = self.rng.choice(NOUNS)
        self.call("search_page", "GET", "/katalog", params={"q": word})
        self.pause()
        found = self.call("search_api", "GET", "/api/v1/catalogue/search", params={"q": word, "limit": 10})
        items = [i["id"] for i in found.json()["items"]] if found is not None else []
        if not items:
            return
        for item_id in self.rng.sample(items, k=min(len(items), self.rng.randint(1, 3))):
            self.call("add_to_cart", "POST", "/handlekurv/legg-til", ok=(302, 303),
                      data={"csrf_token": self.csrf, "item_id": str(item_id),
                            "quantity": str(self.rng.randint(1, 5)), "next": "/handlekurv"})
        self.pause()
        response = self.call("submit", "POST", "/handlekurv/send", ok=(302, 303),
                             data={"csrf_token": self.csrf, "unit_id": str(self.unit_id)})
        if response is not None:
            ids = {int(i) for i in re.findall(r"ordre=(\d+)", response.headers.get("Location", ""))}
            with self.stats.lock:
                self.stats.submitted[self.email] |= ids


class Approver(User):
    def step(self) -> None:
        inbox = self.call("inbox", "GET", "/godkjenning")
        if inbox is None:
            return
        for order_id in list(dict.fromkeys(int(i) for i in INBOX_ORDER.findall(inbox.text)))[:5]:
            if time.monotonic() >= self.deadline:
                return
            if self.call("approve", "POST", f"/godkjenning/{order_id}", ok=(302, 303),
                         data={"csrf_token": self.csrf, "approve": "Godkjenn", "comment": ""}) is not None:
                with self.stats.lock:
                    self.stats.approved.add(order_id)


# --- afterwards -----------------------------------------------------------------------------------


def wait_for_deliveries(app, timeout: float) -> int:
    """Wait until the worker delivered every approved order's message; return how many are still queued."""
    from sqlalchemy import func, select

    from webshop.extensions import db
    from webshop.orders.models import OrderDocument
    from webshop.orders.rules import DeliveryState

    deadline = time.monotonic() + timeout
    with app.app_context():
        while True:
            waiting = db.session.scalar(select(func.count(OrderDocument.id))
                                        .where(OrderDocument.state != DeliveryState.DELIVERED)) or 0
            db.session.rollback()
            if waiting == 0 or time.monotonic() > deadline:
                return waiting
            time.sleep(0.5)


def check_invariants(app, stats: Stats, outbox: Path) -> dict[str, list[str]]:
    """Every broken invariant, by name, with what broke it (empty lists: all hold)."""
    from sqlalchemy import select

    from webshop.approvals.models import ApprovalDecision
    from webshop.extensions import db
    from webshop.orders import money
    from webshop.orders.models import AuditEvent, Order, OrderDocument
    from webshop.orders.rules import OrderStatus
    from webshop.orgs.models import User as UserRow

    problems: dict[str, list[str]] = {"lost": [], "duplicated": [], "one_message_one_file": [],
                                      "totals": [], "decisions_audited": []}
    not_approved = {OrderStatus.PENDING_APPROVAL, OrderStatus.REJECTED, OrderStatus.RETURNED}
    files = [f.name for f in outbox.glob("*.xml")]
    with app.app_context():
        emails = {row[0]: row[1] for row in db.session.execute(select(UserRow.id, UserRow.email))}
        orders = list(db.session.scalars(select(Order)))
        in_db: dict[str, set[int]] = defaultdict(set)
        for order in orders:
            in_db[emails[order.orderer_id]].add(order.id)
        for email in set(in_db) | set(stats.submitted):
            seen, stored = stats.submitted.get(email, set()), in_db.get(email, set())
            problems["lost"] += [f"{email}: order {i} reported, not stored" for i in sorted(seen - stored)]
            problems["duplicated"] += [f"{email}: order {i} stored, never reported" for i in sorted(stored - seen)]
        documents: dict[int, list[OrderDocument]] = defaultdict(list)
        for document in db.session.scalars(select(OrderDocument).where(OrderDocument.kind == "order")):
            documents[document.order_id].append(document)
        for order in orders:
            lines = order.lines
            if any(line.line_total != money.line_total(line.quantity, line.unit_price) for line in lines) or \
                    order.total != money.order_total(line.line_total for line in lines) or \
                    order.vat_total != money.vat_total((line.line_total, line.vat_rate) for line in lines):
                problems["totals"].append(f"{order.number}: {order.total} / {order.vat_total}")
            docs = documents.get(order.id, [])
            if order.status in not_approved:
                if docs:
                    problems["one_message_one_file"].append(f"{order.number} ({order.status}) has a message")
                continue
            matching = [f for d in docs for f in files if f.endswith(f"-{d.message_id}.xml")]
            if len(docs) != 1 or len(matching) != 1:
                problems["one_message_one_file"].append(f"{order.number}: {len(docs)} message(s), "
                                                        f"{len(matching)} file(s)")
        if len(files) != sum(len(d) for d in documents.values()):
            problems["one_message_one_file"].append(f"{len(files)} files for "
                                                    f"{sum(len(d) for d in documents.values())} messages")
        audited = {(e.order_id, e.actor_id) for e in db.session.scalars(select(AuditEvent))}
        for decision in db.session.scalars(select(ApprovalDecision)):
            if (decision.order_id, decision.approver_id) not in audited:
                problems["decisions_audited"].append(f"order {decision.order_id} by user {decision.approver_id}")
    return problems


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else 0.0


def report(stats: Stats, duration: float, problems: dict[str, list[str]], queued: int) -> dict[str, object]:
    kinds = ["login", "search_page", "search_api", "add_to_cart", "submit", "inbox", "approve"]
    rows = {kind: {"count": len(stats.times[kind]), "errors": len(stats.errors[kind]),
                   "p50_ms": round(statistics.median(stats.times[kind]) * 1000, 1) if stats.times[kind] else None,
                   "p95_ms": round(percentile(stats.times[kind], 0.95) * 1000, 1) if stats.times[kind] else None,
                   "max_ms": round(max(stats.times[kind]) * 1000, 1) if stats.times[kind] else None}
            for kind in kinds}
    total = sum(r["count"] for r in rows.values())  # type: ignore[misc]
    print(f"\n{'kind':<12} {'count':>7} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, r in rows.items():
        print(f"{kind:<12} {r['count']:>7} {r['errors']:>7} {r['p50_ms'] or '-':>8} {r['p95_ms'] or '-':>8} "
              f"{r['max_ms'] or '-':>8}")
    orders = sum(len(ids) for ids in stats.submitted.values())
    print(f"\n{total} requests in {duration:.1f} s: {total / duration:.1f} requests/s; "
          f"{orders} orders submitted, {len(stats.approved)} approved; {queued} message(s) still queued")
    for kind, errors in stats.errors.items():
        if errors:
            print(f"errors in {kind}: {sorted(set(errors))}")
    for name, found in problems.items():
        print(f"invariant {name}: {'ok' if not found else f'BROKEN ({len(found)}): {found[:5]}'}")
    return {"duration_s": round(duration, 1), "requests": total, "throughput_rps": round(total / duration, 1),
            "orders_submitted": orders, "orders_approved": len(stats.approved), "still_queued": queued,
            "kinds": rows, "invariants": {name: len(found) for name, found in problems.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL"),
                        help="postgresql+psycopg://… of an empty database (or LOAD_DATABASE_URL)")
    parser.add_argument("--reset", action="store_true", help="empty the database first (everything in it is lost)")
    parser.add_argument("--orderers", type=int, default=50)
    parser.add_argument("--approvers", type=int, default=10)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load that are measured")
    parser.add_argument("--warmup", type=float, default=5.0,
                        help="seconds of load before that, not in the timings (errors count; logins always)")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds a user waits between steps (0: none)")
    parser.add_argument("--items", type=int, default=5000, help="catalogue items")
    parser.add_argument("--web-workers", type=int, default=(os.cpu_count() or 1) * 2 + 1,
                        help="gunicorn worker processes")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or LOAD_DATABASE_URL) is required")
    instance = Path(tempfile.mkdtemp(prefix="load-"))
    app = make_app(args.database_url, instance)
    prepare_database(app, args.reset)
    world = build_world(app, args.orderers, args.approvers, args.items)
    print(f"{len(world.orderers)} orderers, {len(world.approvers)} approvers, {args.items} items; "
          f"gunicorn -w {args.web_workers} + 1 worker; instance {instance}")
    base, processes = start_servers(args.database_url, instance, args.web_workers)
    stats = Stats()
    try:
        started = time.monotonic() + args.warmup
        stats.counting_from = started
        deadline = started + args.duration
        users: list[User] = []
        for n, (email, unit_id) in enumerate(world.orderers):
            orderer = Orderer(base, email, stats, deadline, args.think, seed=n)
            orderer.unit_id = unit_id
            users.append(orderer)
        users += [Approver(base, email, stats, deadline, args.think, seed=1000 + n)
                  for n, email in enumerate(world.approvers)]
        for user in users:
            user.start()
        for user in users:
            user.join(timeout=args.warmup + args.duration + 120)
        duration = time.monotonic() - started
        queued = wait_for_deliveries(app, 120)
    finally:
        stop(*processes)
    problems = check_invariants(app, stats, instance / "outbox")
    figures = report(stats, duration, problems, queued)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    errors = sum(len(e) for e in stats.errors.values())
    return 1 if errors or queued or any(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
