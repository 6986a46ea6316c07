"""Shared fixtures: an app on a real database (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), migrated with Alembic once per session and emptied
after each test; a small world of organisations, users and a catalogue; and a
logged-in test client."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import PASSWORD
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from ehf.profiles import Profile
from webshop import create_app
from webshop.config import TestConfig


def database_url(tmp_root: Path) -> str:
    """SQLite: a file in this session's temporary folder. PostgreSQL (TEST_DATABASE_URL): that
    database, or under pytest-xdist one database per worker (``<name>_gw0`` ...), made afresh."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_root / 'test.sqlite'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return base
    url = make_url(base)
    name = f"{url.database}_{worker}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    with tempfile.TemporaryDirectory(prefix="webshop-test-") as tmp:
        root = Path(tmp)
        application = create_app(
            TestConfig,
            SQLALCHEMY_DATABASE_URI=database_url(root),
            OUTBOX_DIR=str(root / "outbox"),
        )
        with application.app_context():
            from flask_migrate import upgrade

            from webshop.extensions import db

            with db.engine.begin() as conn:  # a clean slate, then the real migrations
                db.metadata.drop_all(conn)
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            upgrade(revision="heads")
        yield application
        with application.app_context():
            db.session.remove()
            db.engine.dispose()  # close pooled connections before the interpreter does


@pytest.fixture(autouse=True)
def _clean_database(request) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    from webshop.extensions import db

    with application.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    outbox = Path(application.config["OUTBOX_DIR"])
    if outbox.exists():
        for f in outbox.iterdir():
            f.unlink()


_DEMO: dict[str, object] = {}  # the demo's rows, outbox files and printout, from the first `seed demo` of the session


@pytest.fixture
def seeded_demo(app: Flask) -> str:
    """The demo collaboration, as `flask seed demo` leaves it; returns what the command printed.

    The real command runs once per session (per xdist worker); later tests get its rows and outbox
    files copied back in, which takes a fraction of running every service again.
    """
    from webshop.extensions import db

    outbox = Path(app.config["OUTBOX_DIR"])
    if not _DEMO:
        result = app.test_cli_runner().invoke(args=["seed", "demo"])
        assert result.exit_code == 0, result.output
        with app.app_context(), db.engine.connect() as conn:
            _DEMO["rows"] = [(t, [dict(r) for r in conn.execute(t.select()).mappings()])
                             for t in db.metadata.sorted_tables]
        _DEMO["files"] = {f.name: f.read_bytes() for f in outbox.iterdir()} if outbox.exists() else {}
        _DEMO["output"] = result.output
        return result.output
    with app.app_context(), db.engine.begin() as conn:
        for table, rows in _DEMO["rows"]:  # type: ignore[attr-defined]
            if rows:
                conn.execute(table.insert(), rows)
                if conn.dialect.name == "postgresql" and "id" in table.c and table.c.id.primary_key:
                    conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"),
                                 {"t": table.name, "n": max(r["id"] for r in rows)})
    outbox.mkdir(parents=True, exist_ok=True)
    for name, content in _DEMO["files"].items():  # type: ignore[attr-defined]
        (outbox / name).write_bytes(content)
    return str(_DEMO["output"])


@pytest.fixture
def store(app: Flask) -> Iterator[Session]:
    """The test's own view of the database: a plain session outside any app context.

    No app context stays pushed while the test client runs, because a pushed
    context would be shared by every request (one db.session and one Flask-Login
    user for all clients), which is not how the app runs.
    """
    from webshop.extensions import db

    with app.app_context():
        engine = db.engine
    session = Session(bind=engine)
    yield session
    session.rollback()
    session.close()


class World:
    """A small collaboration: two municipalities, units, people in every role, a supplier with a catalogue."""

    def __init__(self) -> None:
        from webshop.catalogue.csv_import import ItemRow
        from webshop.catalogue.models import Agreement, Supplier
        from webshop.catalogue.publish import import_catalogue
        from webshop.extensions import db
        from webshop.orgs.models import (
            Collaboration,
            Organisation,
            Role,
            RoleAssignment,
            Unit,
            UnitKind,
            User,
        )

        collab = Collaboration(name="Testsamarbeidet")
        db.session.add(collab)
        db.session.flush()
        self.org = Organisation(collaboration_id=collab.id, key="lia", name="Lia kommune", orgnr="938472610")
        self.other_org = Organisation(collaboration_id=collab.id, key="bo", name="Bø kommune", orgnr="945183721")
        db.session.add_all([self.org, self.other_org])
        db.session.flush()
        self.school = Unit(organisation_id=self.org.id, key="skole", name="Lia skole", kind=UnitKind.SCHOOL,
                           street="Skolevegen 1", postcode="1234", city="Lia", cost_centre="2100")
        self.nursing = Unit(organisation_id=self.org.id, key="sykehjem", name="Lia sykehjem",
                            kind=UnitKind.NURSING_HOME, street="Lia 2", postcode="1234", city="Lia")
        self.other_unit = Unit(organisation_id=self.other_org.id, key="bo-skole", name="Bø skole",
                               kind=UnitKind.SCHOOL, street="Bøvegen 3", postcode="4321", city="Bø")
        db.session.add_all([self.school, self.nursing, self.other_unit])
        db.session.flush()

        def person(email: str, name: str, org, *roles: tuple[Role, object]) -> User:
            user = User(email=email, name=name, organisation_id=org.id)
            user.set_password(PASSWORD)
            user.roles = [RoleAssignment(role=r, unit_id=u.id if u else None) for r, u in roles]
            db.session.add(user)
            return user

        self.orderer = person("ola@lia.no", "Ola Orderer", self.org, (Role.ORDERER, self.school))
        self.approver = person("kari@lia.no", "Kari Approver", self.org, (Role.APPROVER, self.school))
        # Orders and approves for the school: must never approve her own orders.
        self.orderer_approver = person("siri@lia.no", "Siri Both", self.org,
                                       (Role.ORDERER, self.school), (Role.APPROVER, self.school))
        self.nursing_approver = person("per@lia.no", "Per Nursing", self.org, (Role.APPROVER, self.nursing))
        self.coordinator = person("koord@lia.no", "Kim Coordinator", self.org, (Role.COORDINATOR, None))
        self.other_orderer = person("bo@bo.no", "Bo Other", self.other_org, (Role.ORDERER, self.other_unit))
        self.other_approver = person("bo.approver@bo.no", "Bo Approver", self.other_org,
                                     (Role.APPROVER, self.other_unit))
        self.supplier = Supplier(key="kontor", name="Kontor AS", orgnr="918273646", endpoint_id="918273646",
                                 profile=Profile.EHF_ORDERING, street="Gata 1", postcode="0150", city="Oslo")
        db.session.add(self.supplier)
        db.session.flush()
        self.agreement = Agreement(collaboration_id=collab.id, reference="RA-2025-1", title="Kontorrekvisita",
                                   supplier_id=self.supplier.id, valid_from=date(2024, 1, 1),
                                   valid_to=date(2099, 12, 31), members=[self.org, self.other_org])
        db.session.add(self.agreement)
        db.session.flush()
        rows = [
            ItemRow(1, "KP-100", "Kopipapir A4 80 g", "500 ark", "14111507", "XPK", Decimal("52.00"),
                    gtin="7037060146341", list_price=Decimal("67.30"), paper_catalogue_no="4711-22"),
            ItemRow(2, "PEN-1", "Kulepenn blå", "Medium spiss", "44121704", "EA", Decimal("4.90")),
            ItemRow(3, "FAR-1", "Farin 1 kg", "Brunt", "50161509", "KGM", Decimal("31.50"), vat_rate=Decimal("15")),
            ItemRow(4, "OLD-1", "Utgått perm", "Gammel", "44122003", "EA", Decimal("10.00"), discontinued=True),
        ]
        self.catalogue = import_catalogue(self.agreement, rows)
        db.session.commit()
        from sqlalchemy import select

        from webshop.catalogue.models import CatalogueItem

        self.items = {i.supplier_item_id: i for i in db.session.scalars(select(CatalogueItem))}

    def rebind(self, session: Session) -> None:
        """Swap every model object for the same row loaded in ``session``."""
        from webshop.extensions import db

        def fresh(obj):
            return session.get(type(obj), obj.id) if isinstance(obj, db.Model) else obj

        for name, value in list(vars(self).items()):
            if isinstance(value, dict):
                setattr(self, name, {k: fresh(v) for k, v in value.items()})
            else:
                setattr(self, name, fresh(value))


@pytest.fixture
def world(app: Flask, store: Session) -> World:
    with app.app_context():
        built = World()
        built.rebind(store)  # while the ids can still be read
    return built


class Auth:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = PASSWORD):
        return self.client.post("/logg-inn", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/logg-ut")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


@pytest.fixture
def login_as(app: Flask) -> Callable[[object], FlaskClient]:
    """A fresh client logged in as the given user (several users can act side by side)."""

    def make(user) -> FlaskClient:
        c = app.test_client()
        response = c.post("/logg-inn", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return c

    return make
