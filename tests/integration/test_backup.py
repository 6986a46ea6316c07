"""Backups (SQLite online backup API, PostgreSQL pg_dump/pg_restore) and the per-municipality export
(issue 14): `flask db-backup`, `flask db-restore --yes`, `flask export municipality`."""
from __future__ import annotations

import json
import os
import sqlite3
import zipfile

import pytest
from sqlalchemy import func, select

from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import OrderStatus

PG = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql")


def _approved_order(login_as, store, orderer, approver, item, unit) -> Order:
    c = login_as(orderer)
    assert c.post("/handlekurv/legg-til", data={"item_id": item.id, "quantity": "3"}).status_code == 302
    assert c.post("/handlekurv/send", data={"unit_id": unit.id}).status_code == 302
    order = store.scalars(select(Order).order_by(Order.id.desc())).first()
    assert login_as(approver).post(f"/godkjenning/{order.id}", data={"approve": "1"}).status_code == 302
    store.expire_all()
    assert store.get(Order, order.id).status == OrderStatus.APPROVED
    return order


def _order_count(store) -> int:
    store.rollback()
    return store.scalar(select(func.count(Order.id)))


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    return result


def test_export_holds_only_that_municipalitys_data(app, world, login_as, store, tmp_path):
    lia = _approved_order(login_as, store, world.orderer, world.approver, world.items["PEN-1"], world.school)
    bo = _approved_order(login_as, store, world.other_orderer, world.other_approver, world.items["PEN-1"],
                         world.other_unit)
    lia_number, bo_number = lia.number, bo.number
    target = tmp_path / "lia.zip"
    result = _cli(app, "export", "municipality", str(world.org.id), str(target))
    assert result.exit_code == 0, result.output
    assert "orders 1" in result.output

    with zipfile.ZipFile(target) as z:
        names = sorted(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        orders = json.loads(z.read("orders.json"))
        audit = json.loads(z.read("audit_log.json"))
        outgoing = [n for n in names if n.startswith("ehf/outgoing/")]
        everything = b"".join(z.read(n) for n in names)
        xml = z.read(outgoing[0])
    assert manifest["municipality"] == {"id": world.org.id, "name": "Lia kommune", "orgnr": "938472610"}
    assert manifest["counts"]["orders"] == 1 and manifest["counts"]["ehf_out"] == 1
    assert [o["number"] for o in orders] == [lia_number]
    assert orders[0]["organisation_id"] == world.org.id
    assert [line["supplier_item_id"] for line in orders[0]["lines"]] == ["PEN-1"]
    assert orders[0]["lines"][0]["quantity"] == "3.000"
    assert len(outgoing) == 1 and outgoing[0].startswith(f"ehf/outgoing/{lia_number}-")
    assert f"<cbc:ID>{lia_number}</cbc:ID>".encode() in xml
    actions = [e["action"] for e in audit]
    assert actions, "the audit log is exported"
    assert {e["order_id"] for e in audit if e["order_id"] is not None} == {lia.id}
    assert {e["organisation_id"] for e in audit} <= {world.org.id, None}
    assert "kari@lia.no" in {e["actor"] for e in audit}
    # nothing of Bø: not its order number, organisation number, people or unit
    for foreign in (bo_number, "945183721", "bo@bo.no", "bo.approver@bo.no", "Bø skole"):
        assert foreign.encode() not in everything, foreign


def test_export_of_an_unknown_municipality_fails(app, world, tmp_path):
    result = _cli(app, "export", "municipality", "999999", str(tmp_path / "x.zip"))
    assert result.exit_code != 0 and "No municipality with id 999999" in result.output
    assert not (tmp_path / "x.zip").exists()


def _backup_then_change_then_restore(app, world, login_as, store, tmp_path, name):
    _approved_order(login_as, store, world.orderer, world.approver, world.items["PEN-1"], world.school)
    target = tmp_path / name
    result = _cli(app, "db-backup", str(target))
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    _approved_order(login_as, store, world.orderer, world.approver, world.items["PEN-1"], world.school)
    assert _order_count(store) == 2
    refused = _cli(app, "db-restore", str(target))
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert _order_count(store) == 2
    store.rollback()
    store.close()  # no open transaction may hold the database while it is replaced
    result = _cli(app, "db-restore", str(target), "--yes")
    assert result.exit_code == 0, result.output
    assert _order_count(store) == 1
    assert store.scalar(select(func.count(OrderDocument.id))) == 1
    return target


@pytest.mark.skipif(PG, reason="the SQLite backup; the PostgreSQL one is test_pg_dump_and_restore")
def test_sqlite_online_backup_and_restore(app, world, login_as, store, tmp_path):
    # online: another connection is in the middle of a read transaction while the backup runs
    reader = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM orders").fetchone()
        target = tmp_path / "before.sqlite"
        _approved_order(login_as, store, world.orderer, world.approver, world.items["PEN-1"], world.school)
        result = _cli(app, "db-backup", str(target))
        assert result.exit_code == 0, result.output
        assert "sqlite backup API" in result.output
    finally:
        reader.close()
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM orders").fetchone() == (1,)
        assert copy.execute("SELECT count(*) FROM alembic_version").fetchone()[0] >= 1
    finally:
        copy.close()


@pytest.mark.skipif(PG, reason="the SQLite restore; the PostgreSQL one is test_pg_dump_and_restore")
def test_sqlite_restore_puts_the_backup_back(app, world, login_as, store, tmp_path):
    _backup_then_change_then_restore(app, world, login_as, store, tmp_path, "backup.sqlite")


@pytest.mark.postgres
@pytest.mark.skipif(not PG, reason="needs TEST_DATABASE_URL=postgresql+psycopg://…")
def test_pg_dump_and_restore(app, world, login_as, store, tmp_path):
    # pg_dump and pg_restore come from PATH or /usr/lib/postgresql/*/bin; missing tools fail the test
    target = _backup_then_change_then_restore(app, world, login_as, store, tmp_path, "backup.dump")
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
