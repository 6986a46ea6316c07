"""The coordinator downloads the municipality's export at /admin/eksport; nobody else may (issue 14)."""
from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select

from webshop.orders.models import AuditEvent, Order


def _submit(login_as, store, orderer, item, unit) -> Order:
    c = login_as(orderer)
    assert c.post("/handlekurv/legg-til", data={"item_id": item.id, "quantity": "1"}).status_code == 302
    assert c.post("/handlekurv/send", data={"unit_id": unit.id}).status_code == 302
    return store.scalars(select(Order).order_by(Order.id.desc())).first()


def test_coordinator_downloads_only_the_own_municipality(world, login_as, store):
    lia = _submit(login_as, store, world.orderer, world.items["PEN-1"], world.school)
    bo = _submit(login_as, store, world.other_orderer, world.items["PEN-1"], world.other_unit)
    lia_number, bo_number = lia.number, bo.number
    response = login_as(world.coordinator).get("/admin/eksport")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == "attachment; filename=eksport-lia.zip"
    data = response.data
    response.close()  # the WSGI server closes the spooled file; the test client leaves it to us
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        orders = json.loads(z.read("orders.json"))
        audit = json.loads(z.read("audit_log.json"))
        everything = b"".join(z.read(n) for n in z.namelist())
    assert [o["number"] for o in orders] == [lia_number]
    assert bo_number.encode() not in everything and b"945183721" not in everything
    assert ("data_exported", "koord@lia.no") in {(e["action"], e["actor"]) for e in audit}
    store.expire_all()
    exported = store.scalars(select(AuditEvent).where(AuditEvent.action == "data_exported")).all()
    assert [(e.actor_id, e.organisation_id) for e in exported] == [(world.coordinator.id, world.org.id)]


def test_others_may_not_download(world, login_as, client):
    for person in (world.orderer, world.approver, world.other_orderer):
        assert login_as(person).get("/admin/eksport").status_code == 403
    anonymous = client.get("/admin/eksport")
    assert anonymous.status_code == 302 and "/logg-inn" in anonymous.headers["Location"]
