"""Issue 13: the leader's view with figures in it, in headless Chromium: every chart is an SVG with its
data table, the pages pass axe-core and reflow at 320 px, and the monthly report prints its tables."""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from browsing import assert_accessible, assert_no_sideways_scroll, log_in, shot
from playwright.sync_api import expect

from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus

pytestmark = pytest.mark.browser

ACCOUNTS = ("Dato;Koststed;Orgnr;Leverandør;Beløp;Ordrenummer\n"
            "15.01.2026;2100;918273646;Kontor AS;400,00;\n"
            "20.01.2026;2100;987654321;Bygg AS;1 600,00;\n"
            "03.02.2026;2100;918273646;Kontor AS;-50,00;\n"
            "10.02.2026;2100;918273646;Kontor AS;900,00;\n").encode()


def test_leader_pages_with_charts_pass_axe(live_server, page, app, world, store):
    for day, total in ((10, "100.00"), (40, "700.00")):
        store.add(Order(organisation_id=world.org.id, unit_id=world.school.id, supplier_id=world.supplier.id,
                        agreement_id=world.agreement.id, orderer_id=world.orderer.id,
                        status=OrderStatus.DELIVERED, submitted_at=datetime(2026, 1, 1, 9, tzinfo=UTC).replace(
                            month=1 + day // 31, day=day % 31 or 1), total=Decimal(total), vat_total=Decimal(0)))
    store.commit()
    from webshop.extensions import db
    from webshop.leader.services import import_spend
    from webshop.orgs.models import Organisation

    with app.app_context():
        import_spend(db.session.get(Organisation, world.org.id), ACCOUNTS, "regnskap.csv", by=None)
        db.session.commit()
    log_in(page, live_server, world.coordinator.email)
    page.goto(f"{live_server}/leder?fra=2026-01&til=2026-02")
    charts = page.locator("figure.chart")
    expect(charts).to_have_count(2)
    for i in range(2):  # each chart: an SVG with a name, and a table of the same figures
        figure = charts.nth(i)
        expect(figure.locator("svg[role=img] title")).not_to_be_empty()
        expect(figure.locator("table caption")).not_to_be_empty()
    expect(charts.nth(0).locator("table tbody tr").first).to_contain_text("2026-01")
    assert_accessible(page, "leader overview with charts")
    shot(page, "leader-overview")
    assert_no_sideways_scroll(page, "leader overview")
    page.goto(f"{live_server}/leder/rapport?maned=2026-02")
    expect(page.locator("figure.chart table.ds-table")).to_be_visible()  # the report shows its chart's table
    assert_accessible(page, "monthly report")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
