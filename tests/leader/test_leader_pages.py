"""The leader's pages through the test client: who sees what, import all-or-nothing, CSV, goals."""
from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from helpers import PASSWORD
from lxml import html
from sqlalchemy import func, select

from webshop.leader.models import SpendRecord, UnitGoal
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Role, RoleAssignment, User

GOOD = ("Dato;Koststed;Orgnr;Beløp;Ordrenummer\n"
        "15.01.2026;2100;918273646;400,00;\n"
        "20.01.2026;2100;987654321;1 600,00;\n").encode()


def _person(store, world, email, *roles):
    user = User(email=email, name=email.split("@")[0].title(), organisation_id=world.org.id, password_hash="x")
    user.set_password(PASSWORD)
    user.roles = [RoleAssignment(role=r, unit_id=u.id if u is not None else None) for r, u in roles]
    store.add(user)
    store.commit()
    return user


@pytest.fixture
def leader(store, world):
    return _person(store, world, "radmann@lia.no", (Role.LEADER, None))


@pytest.fixture
def january(store, world):
    store.add(Order(organisation_id=world.org.id, unit_id=world.school.id, supplier_id=world.supplier.id,
                    agreement_id=world.agreement.id, orderer_id=world.orderer.id, status=OrderStatus.DELIVERED,
                    submitted_at=datetime(2026, 1, 10, 9, tzinfo=UTC), total=Decimal("100.00"),
                    vat_total=Decimal("25.00")))
    store.commit()


def _upload(client, data, name="regnskap.csv"):
    page = client.get("/leder/regnskap")
    token = html.fromstring(page.data).xpath("//input[@name='csrf_token']/@value")[0]
    return client.post("/leder/regnskap", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_leader_sees_shares_with_chart_and_table(world, leader, january, login_as):
    coordinator = login_as(world.coordinator)
    assert _upload(coordinator, GOOD).status_code == 303
    page = login_as(leader).get("/leder?fra=2026-01&til=2026-01")
    assert page.status_code == 200
    doc = html.fromstring(page.data)
    # 100 through e-ordering of 2 000 spent: 5.0 %; of 400 with the agreement supplier: 25.0 %
    units = doc.xpath("//table[caption='Andel e-handel per enhet i perioden' and contains(@class,'ds-table')]//tr")
    cells = [[c.text_content().strip() for c in row] for row in units]
    assert cells[1][0] == "Lia skole" and cells[1][4:7] == ["5,0 %", "25,0 %", "25,0 %"]
    figure = doc.xpath("//figure[contains(@class,'chart--line')]")[0]
    assert figure.xpath(".//svg[@role='img']/title")[0].text == "Andel av forbruket gjennom e-handel per måned"
    assert [td.text_content() for td in figure.xpath(".//table//tbody/tr[1]/td")] == ["5,0 %", "25,0 %", "25,0 %"]
    assert "leader;dur=" in page.headers["Server-Timing"]


def test_unit_manager_sees_only_own_unit(world, store, login_as):
    manager = _person(store, world, "mia@lia.no", (Role.UNIT_MANAGER, world.nursing))
    client = login_as(manager)
    doc = html.fromstring(client.get("/leder").data)
    rows = doc.xpath("//table[caption='Andel e-handel per enhet i perioden' and contains(@class,'ds-table')]"
                     "//tbody/tr/th/text()")
    assert rows == ["Lia sykehjem", "Alle enhetene"]
    assert client.get(f"/leder?enhet={world.school.id}").status_code == 404
    assert client.get("/leder/regnskap").status_code == 403  # only the coordinator imports
    assert client.get("/leder/mal").status_code == 403


@pytest.mark.parametrize("who", ["orderer", "approver"])
def test_orderers_and_approvers_are_refused(world, login_as, who):
    client = login_as(getattr(world, who))
    for url in ("/leder", "/leder/rapport", "/leder/bestillere", "/leder/csv/enheter"):
        assert client.get(url).status_code == 403, url


def test_a_bad_row_imports_nothing_and_says_which(world, store, login_as):
    bad = GOOD + b"32.01.2026;2100;918273646;5,00;\n21.01.2026;9999;918273646;5,00;\n"
    response = _upload(login_as(world.coordinator), bad)
    assert response.status_code == 400
    text = html.fromstring(response.data).text_content()
    assert "Linje 4: ugyldig dato «32.01.2026»" in text
    assert store.scalar(select(func.count()).select_from(SpendRecord)) == 0
    response = _upload(login_as(world.coordinator), GOOD + b"21.01.2026;9999;918273646;5,00;\n")
    assert "Linje 4: ukjent koststed «9999»" in html.fromstring(response.data).text_content()
    assert store.scalar(select(func.count()).select_from(SpendRecord)) == 0


def test_cost_centre_mapping_then_import(world, store, login_as):
    client = login_as(world.coordinator)
    token = html.fromstring(client.get("/leder/regnskap").data).xpath("//input[@name='csrf_token']/@value")[0]
    response = client.post("/leder/regnskap/koststed", data={"csrf_token": token, "cc-code": "9999",
                                                             "cc-unit_id": str(world.nursing.id)})
    assert response.status_code == 303
    assert _upload(client, b"dato;koststed;orgnr;bel\xf8p\n21.01.2026;9999;918273646;5,00\n").status_code == 303
    assert store.scalar(select(SpendRecord.unit_id)) == world.nursing.id


def test_csv_export_holds_the_table(world, january, login_as):
    client = login_as(world.coordinator)
    _upload(client, GOOD)
    response = client.get("/leder/csv/enheter?fra=2026-01&til=2026-01")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Enhet;Forbruk i regnskapet;Gjennom e-handel")
    assert lines[1] == "Lia skole;2000,00;100,00;400,00;5,0;25,0;25,00;0,00"
    assert lines[2] == "Lia sykehjem;0,00;0,00;0,00;;;25,00;0,00"
    assert client.get("/leder/csv/finnes-ikke").status_code == 404


def test_report_and_orderers_pages(world, january, login_as):
    client = login_as(world.coordinator)
    report = client.get("/leder/rapport?maned=2026-01")
    assert report.status_code == 200
    assert "månedsrapport 2026-01" in html.fromstring(report.data).xpath("//h1")[0].text_content()
    assert client.get("/leder/rapport?maned=januar").status_code == 400
    page = client.get(f"/leder/bestillere?enhet={world.school.id}&antall=1")
    assert page.status_code == 200
    assert "Godkjenninger per uke går fra" in html.fromstring(page.data).text_content()


def test_coordinator_sets_target_and_unit_goal(world, store, login_as):
    client = login_as(world.coordinator)
    token = html.fromstring(client.get("/leder/mal").data).xpath("//input[@name='csrf_token']/@value")[0]
    assert client.post("/leder/mal/enhet", data={"csrf_token": token, "g-unit_id": str(world.school.id),
                                                 "g-target_percent": "40"}).status_code == 303
    assert store.get(UnitGoal, world.school.id).target_percent == Decimal("40.00")
    assert client.post("/leder/mal", data={"csrf_token": token, "s-target_percent": "130",
                                           "s-large_order_limit": "100000"}).status_code == 400
