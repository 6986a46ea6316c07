"""Fixtures for the delivery and supplier tests: a local HTTP receiver that can be
slowed down, stopped and restarted; approved orders; worker subprocesses."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import PASSWORD
from sqlalchemy import select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[2]


class Receiver:
    """A supplier endpoint on 127.0.0.1 that recognises a resent message by its Message-Id."""

    def __init__(self) -> None:
        self.posts: list[str] = []  # every POST's message id, in order
        self.bodies: dict[str, bytes] = {}
        self.delay = 0.0
        self.lock = threading.Lock()
        self.port = 0
        self.server: ThreadingHTTPServer | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/ehf"

    @property
    def unique(self) -> set[str]:
        return set(self.posts)

    @property
    def duplicates(self) -> int:
        return len(self.posts) - len(self.unique)

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                message_id = self.headers.get("Message-Id", "")
                with receiver.lock:
                    receiver.posts.append(message_id)
                    receiver.bodies.setdefault(message_id, body)
                time.sleep(receiver.delay)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        # shutdown() waits for serve_forever to look up: every 0.05 s rather than the default 0.5 s
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.stop()


def use_transport(app, supplier_id: int, url: str | None) -> None:
    from webshop.extensions import db
    from webshop.supplier.models import SupplierSettings
    from webshop.supplier.rules import TransportKind

    with app.app_context():
        settings = db.session.scalar(select(SupplierSettings).where(SupplierSettings.supplier_id == supplier_id))
        if settings is None:
            settings = SupplierSettings(supplier_id=supplier_id)
            db.session.add(settings)
        settings.transport = TransportKind.HTTP if url else TransportKind.FOLDER
        settings.endpoint_url = url
        db.session.commit()


@pytest.fixture
def approved_orders(app, world) -> Callable[..., list[int]]:
    """Make n approved orders with their queued EHF message (the outbox row), committed."""

    def make(n: int, items: tuple[str, ...] = ("KP-100",)) -> list[int]:
        from webshop.cart import services as cart
        from webshop.extensions import db
        from webshop.orders import lifecycle
        from webshop.orders import services as orders
        from webshop.orders.rules import OrderStatus, Trigger
        from webshop.orgs.models import User

        ids = []
        with app.app_context():
            orderer, approver = db.session.get(User, world.orderer.id), db.session.get(User, world.approver.id)
            for _ in range(n):
                for key in items:
                    cart.add_item(orderer, world.items[key].id, Decimal(2))
                (order,) = orders.submit_cart(orderer, unit_id=world.school.id)
                # the approved signal's receiver (delivery.outbox) queues the EHF message
                lifecycle.change_status(order, OrderStatus.APPROVED, by=approver, trigger=Trigger.APPROVER)
                db.session.commit()
                ids.append(order.id)
        return ids

    return make


class Workers:
    """Worker subprocesses (`flask --app webshop worker`) on the test database."""

    def __init__(self, app, tmp: Path) -> None:
        self.env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                    "WEBSHOP_INSTANCE_DIR": str(tmp), "OUTBOX_DIR": app.config["OUTBOX_DIR"],
                    "SECRET_KEY": "worker-subprocess-test-key-0123456789abcdef",  # production config: a real key
                    "ALLOW_HTTP_LOOPBACK_ENDPOINTS": "1"}  # the test receiver listens on 127.0.0.1
        self.tmp = tmp
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str, *args: str) -> subprocess.Popen:
        flask = str(Path(sys.executable).parent / "flask")
        with open(self.tmp / f"{name}.log", "wb") as log:
            proc = subprocess.Popen([flask, "--app", "webshop", "worker", "--name", name, "--interval", "0.1", *args],
                                    cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@pytest.fixture
def workers(app, tmp_path) -> Iterator[Workers]:
    w = Workers(app, tmp_path)
    yield w
    w.stop_all()


def wait_for(check: Callable[[], bool], timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def per_order(receiver: Receiver) -> Counter:
    """How many distinct messages the receiver accepted per order number (cbc:ID)."""
    from lxml import etree

    counts: Counter = Counter()
    for body in receiver.bodies.values():
        cbc = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
        counts[etree.fromstring(body).findtext(f"{cbc}ID")] += 1
    return counts


@pytest.fixture
def people(app, world, store: Session):
    """A trainer and a central buyer in the world's municipality."""
    from webshop.extensions import db
    from webshop.orgs.models import Role, RoleAssignment, User

    with app.app_context():
        made = {}
        for key, email, role in (("trainer", "trener@lia.no", Role.TRAINER),
                                 ("buyer", "innkjop@lia.no", Role.CENTRAL_BUYER)):
            user = User(email=email, name=key.title(), organisation_id=world.org.id)
            user.set_password(PASSWORD)
            user.roles = [RoleAssignment(role=role, unit_id=None)]
            db.session.add(user)
            made[key] = user
        db.session.commit()
        ids = {k: u.id for k, u in made.items()}
    from webshop.orgs.models import User as U

    return {k: store.get(U, v) for k, v in ids.items()}
