"""Two app servers on one PostgreSQL, each with its own search index (issue 14).

Each "machine" is an instance folder with its own SEARCH_INDEX_DIR, a gunicorn (two web
processes) and a worker, all real subprocesses in production mode (SEARCH_INDEX_WRITER=worker:
only the worker writes the index, the web processes only read). Nothing is shared but the
database. The test proves: a curation edit made through machine A is found by a search on
machine B within 5 seconds; a catalogue version imported and published on A becomes live on
both; and killing B's worker in the middle of a rebuild leaves B's previous index serving,
until a new worker finishes the job.

The kill is forced, not hoped for: B's first worker runs with SEARCH_INDEX_TEST_HOLD, so a
build announces itself in that folder and waits while a ``hold`` file exists.
"""
from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
import requests
from helpers import PASSWORD
from sqlalchemy import select

from webshop.catalogue.models import Catalogue, CatalogueItem, CatalogueStatus
from webshop.orgs.models import Role, RoleAssignment, User

ROOT = Path(__file__).resolve().parents[2]
PG = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql")

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not PG, reason="needs TEST_DATABASE_URL=postgresql+psycopg://… (.ci/run sets it)")]

CSV_HEAD = "supplier_item_id;name;description;unspsc;unit;price\n"
V1_ROWS = ("KP-100;Kopipapir A4 80 g;500 ark;14111507;XPK;52.00\n"
           "PEN-1;Kulepenn blå;Medium spiss;44121704;EA;4.90\n"
           "FAR-1;Farin 1 kg;Brunt;50161509;KGM;31.50\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate: Callable[[], bool], timeout: float, what: str, step: float = 0.1) -> float:
    """Poll until ``predicate`` holds; return the seconds it took (fail after ``timeout``)."""
    started = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            pytest.fail(f"not within {timeout} s: {what}")
        time.sleep(step)


class Machine:
    def __init__(self, name: str, root: Path, database_url: str, secret: str) -> None:
        self.name = name
        self.instance = root / name
        self.index_dir = self.instance / "search"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith(("TEST_DATABASE_URL", "EHF_"))},
                    "DATABASE_URL": database_url, "SECRET_KEY": secret, "WEBSHOP_INSTANCE_DIR": str(self.instance),
                    "SEARCH_INDEX_DIR": str(self.index_dir), "OUTBOX_DIR": str(self.instance / "outbox"),
                    "INBOX_DIR": str(self.instance / "inbox"), "SEARCH_INDEX_WRITER": "worker",
                    "SESSION_COOKIE_SECURE": "0", "LOG_LEVEL": "WARNING"}
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.session = requests.Session()
        self._files: list[IO[bytes]] = []

    def _log(self, name: str) -> IO[bytes]:
        handle = open(self.instance / name, "ab")  # noqa: SIM115  (closed in stop())
        self._files.append(handle)
        return handle

    def start_web(self) -> None:
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}", "--access-logfile",
             "/dev/null", "webshop:create_app()"], cwd=ROOT, env=self.env,
            stdout=self._log("web.log"), stderr=subprocess.STDOUT)

    def start_worker(self, **extra: str) -> None:
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "webshop", "worker", "--interval", "0.3"],
            cwd=ROOT, env={**self.env, **extra},
            stdout=self._log("worker.log"), stderr=subprocess.STDOUT)

    def flask(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "flask", "--app", "webshop", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=120)

    def ready(self) -> bool:
        try:
            return requests.get(f"{self.base}/readyz", timeout=10).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            return False

    def login(self, email: str) -> None:
        page = self.session.get(f"{self.base}/logg-inn", timeout=5).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        response = self.session.post(f"{self.base}/logg-inn", data={
            "csrf_token": token.group(1), "email": email, "password": PASSWORD}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text[:500]

    def search(self, query: str) -> list[str]:
        response = self.session.get(f"{self.base}/api/v1/catalogue/search", params={"q": query}, timeout=5)
        assert response.status_code == 200, response.text[:500]
        return [item["name"] for item in response.json()["items"]]

    def form_post(self, path: str, data: dict[str, str]) -> requests.Response:
        page = self.session.get(f"{self.base}{path}", timeout=5).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token, f"no CSRF token on {path}"
        return self.session.post(f"{self.base}{path}", data={"csrf_token": token.group(1), **data},
                                 allow_redirects=False, timeout=10)

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.web, self.worker):
            if process is not None:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for handle in self._files:
            handle.close()
        self.session.close()

    def logs(self) -> str:
        return "".join(f"--- {self.name} {f.name}\n{f.read_text(errors='replace')[-3000:]}\n"
                       for f in sorted(self.instance.glob("*.log")))


@pytest.fixture
def machines(app, world, store, tmp_path) -> Iterator[tuple[Machine, Machine]]:
    buyer = User(email="innkjop@lia.no", name="Ingrid Innkjøp", organisation_id=world.org.id)
    from helpers import set_password
    set_password(buyer)
    buyer.roles = [RoleAssignment(role=Role.CENTRAL_BUYER, unit_id=None)]
    store.add(buyer)
    store.commit()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    secret = secrets.token_hex(32)
    a, b = Machine("machine-a", tmp_path, url, secret), Machine("machine-b", tmp_path, url, secret)
    for m in (a, b):
        m.instance.mkdir(parents=True)
    try:
        yield a, b
    finally:
        for m in (a, b):
            m.stop()
        print(a.logs() + b.logs())


def _live_catalogue_id(store) -> int:
    store.expire_all()
    return store.scalar(select(Catalogue.id).where(Catalogue.status == CatalogueStatus.PUBLISHED))


def test_two_machines_each_with_its_own_index(machines, world, store, tmp_path):
    a, b = machines
    hold = tmp_path / "hold-b"
    hold.mkdir()
    for m in (a, b):
        m.start_web()
    a.start_worker()
    b.start_worker(SEARCH_INDEX_TEST_HOLD=str(hold))
    for m in (a, b):
        _wait(m.ready, 120, f"{m.name} /readyz (its worker builds its index)")
        m.login(world.orderer.email)
    assert a.index_dir != b.index_dir and (a.index_dir / world.catalogue.search_key).is_symlink()
    assert (b.index_dir / world.catalogue.search_key / "meta.json").is_file()
    assert a.search("kulepenn") == ["Kulepenn blå"] and b.search("kulepenn") == ["Kulepenn blå"]
    assert b.search("sjiraff") == []

    # 1. A curation edit through machine A is found through machine B within 5 seconds.
    buyer = Machine.__new__(Machine)  # the central buyer's own session on machine A
    vars(buyer).update(vars(a), session=requests.Session())
    buyer.login("innkjop@lia.no")
    pen = world.items["PEN-1"].id
    edited = buyer.form_post(f"/forvaltning/varer/{pen}", {"name": "Kulepenn sjiraff", "extra_keywords": ""})
    assert edited.status_code == 302, edited.text[:800]
    took = _wait(lambda: b.search("sjiraff") == ["Kulepenn sjiraff"], 5.0, "the rename seen on machine B")
    print(f"curation edit on A found on B after {took:.2f} s")
    _wait(lambda: a.search("sjiraff") == ["Kulepenn sjiraff"], 5.0, "the rename seen on machine A")

    # 2. A catalogue version imported and published on machine A is live on both.
    v2 = tmp_path / "v2.csv"
    v2.write_text(CSV_HEAD + V1_ROWS + "REG-1;Tusj regnbue;Fire farger;44121708;EA;19.00\n", encoding="utf-8")
    imported = a.flask("catalogue", "import", "--publish", "--agreement", world.agreement.reference, str(v2))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    v2_id = _live_catalogue_id(store)
    assert v2_id != world.catalogue.id
    v2_key = store.get(Catalogue, v2_id).search_key
    for m in (a, b):
        took = _wait(lambda m=m: m.search("regnbue") == ["Tusj regnbue"], 60, f"version 2 live on {m.name}")
        print(f"version 2 searchable on {m.name} after {took:.2f} s")
    tusj = store.scalar(select(CatalogueItem.id).where(CatalogueItem.catalogue_id == v2_id,
                                                       CatalogueItem.supplier_item_id == "REG-1"))
    body = b.session.get(f"{b.base}/api/v1/catalogue/search", params={"q": "regnbue"}, timeout=5).json()
    assert [i["id"] for i in body["items"]] == [tusj]
    assert b.search("sjiraff") == ["Kulepenn sjiraff"]  # the curation is kept in the new version's index
    _wait(lambda: (b.index_dir / v2_key / "meta.json").is_file(), 60, "B's own index of version 2")

    # 3. B's worker is killed in the middle of building version 3: B keeps serving version 2's index.
    (hold / "building").unlink(missing_ok=True)  # an earlier build left it: wait for version 3's own
    (hold / "hold").touch()
    v3 = tmp_path / "v3.csv"
    v3.write_text(CSV_HEAD + V1_ROWS + "REG-1;Tusj regnbue;Fire farger;44121708;EA;21.00\n"
                  "HUL-1;Hullemaskin stor;To hull;44101602;EA;129.00\n", encoding="utf-8")
    imported = a.flask("catalogue", "import", "--publish", "--agreement", world.agreement.reference, str(v3))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    v3_id = _live_catalogue_id(store)
    v3_key = store.get(Catalogue, v3_id).search_key
    _wait(lambda: (hold / "building").exists(), 60, "B's worker started building version 3")
    _wait(lambda: list(b.index_dir.glob(f".tmp-{v3_key}@*")), 30, "B's build in progress writes a temporary folder")
    assert b.worker is not None
    b.worker.send_signal(signal.SIGKILL)
    b.worker.wait(timeout=10)
    _wait(lambda: a.search("hullemaskin") == ["Hullemaskin stor"], 60, "version 3 live on machine A")

    assert not (b.index_dir / v3_key).exists()  # half an index is never published
    assert b.search("hullemaskin") == []  # B still serves version 2's index ...
    stale = b.session.get(f"{b.base}/api/v1/catalogue/search", params={"q": "regnbue"}, timeout=5).json()
    tusj_v3 = store.scalar(select(CatalogueItem.id).where(CatalogueItem.catalogue_id == v3_id,
                                                          CatalogueItem.supplier_item_id == "REG-1"))
    # ... with the live version's items and prices (hits are mapped to version 3 by supplier item id)
    assert [(i["id"], i["price"]) for i in stale["items"]] == [(tusj_v3, "21.0000")]
    ready = requests.get(f"{b.base}/readyz", timeout=5).json()
    assert ready["checks"]["search_index"]["ok"] and "catching up" in ready["checks"]["search_index"]["detail"]

    # A new worker on B (no hold) cleans up and builds version 3.
    b.start_worker()
    took = _wait(lambda: b.search("hullemaskin") == ["Hullemaskin stor"], 90, "version 3 live on machine B")
    print(f"restarted worker on B: version 3 searchable after {took:.2f} s")
    assert not list(b.index_dir.glob(f".tmp-{v3_key}@*"))
    assert (b.index_dir / v3_key).is_symlink()
