"""With the demo data, a leader logs in and sees shares, savings and concentration per unit (issue 13)."""
from __future__ import annotations

from lxml import html

from webshop.leader.rules import Month, months_between


def _login(client, email, password):
    response = client.post("/logg-inn", data={"email": email, "password": password})
    assert response.status_code == 302
    return client


def test_each_municipality_has_a_leader_who_sees_the_figures(seeded_demo, client, app):
    for email, password in (("knut.haugen@fjellbygd.kommune.no", "Demo-knut-2026"),
                            ("eli.nordvik@havbrekke.kommune.no", "Demo-eli-2026"),
                            ("per.strand@storvika.kommune.no", "Demo-per-2026")):
        assert email in seeded_demo
        c = app.test_client()
        _login(c, email, password)
        page = c.get("/leder")
        assert page.status_code == 200, email
        doc = html.fromstring(page.data)
        units = doc.xpath("//table[caption='Andel e-handel per enhet i perioden' and contains(@class,'ds-table')]"
                          "//tbody/tr")
        assert len(units) >= 4  # every unit and the whole municipality
        total = [c.text_content().strip() for c in units[-1]]
        assert total[0] == "Alle enhetene" and total[1] != "0,00\u00a0kr" and total[4].endswith("%")
        assert doc.xpath("//figure[contains(@class,'chart--line')]//svg[@role='img']")
        assert doc.xpath("//table[caption='Katalog, fritekst og innsparing']")
        assert doc.xpath("//table[caption='Bestillerrett og hvem som bestiller (siste 12 måneder)']")
        assert c.get("/leder/bestillere").status_code == 200
        assert c.get("/leder/regnskap").status_code == 403  # read-only


def test_the_api_has_twelve_months_of_accounting(seeded_demo, app):
    c = app.test_client()
    _login(c, "per.strand@storvika.kommune.no", "Demo-per-2026")
    this = Month.of_instant(__import__("webshop.dbtypes", fromlist=["utcnow"]).utcnow())
    months = months_between(Month(this.year - 1, this.month), this)
    body = c.get(f"/api/v1/adoption?from={months[0]}&to={months[-1]}").get_json()
    with_spend = [m["month"] for m in body["total"] if m["spend_total"] != "0.00"]
    assert len(with_spend) >= 12  # the export's twelve months end last month
    goals = {u["name"]: u["months"][-1]["target"] for u in body["units"]}
    assert goals["Lundheim sykehjem"] == "35.00" and goals["Storvika rådhus"] == "25.00"
