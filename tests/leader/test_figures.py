"""The period's other figures, with values written by hand: lead times, suppliers, zero-result searches."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from webshop.approvals.models import ApprovalDecision, Decision
from webshop.catalogue.models import SearchLog
from webshop.leader.rules import Month
from webshop.leader.services import Period, approval_lead_times, spend_by_supplier, zero_result_searches
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus


def test_lead_times_per_approver_and_unit(app, world, store):
    start = datetime(2026, 3, 10, 8, tzinfo=UTC)
    for hours, approver, unit in ((1, world.approver, world.school), (5, world.approver, world.school),
                                  (30, world.nursing_approver, world.nursing)):
        order = Order(organisation_id=world.org.id, unit_id=unit.id, supplier_id=world.supplier.id,
                      orderer_id=world.orderer.id, status=OrderStatus.APPROVED, submitted_at=start,
                      total=Decimal("10.00"), vat_total=Decimal(0))
        store.add(order)
        store.flush()
        store.add(ApprovalDecision(order_id=order.id, approver_id=approver.id, decision=Decision.APPROVED,
                                   decided_at=start + timedelta(hours=hours)))
    store.add(SearchLog(organisation_id=world.org.id, query="Laminatorlommer", results=0,
                        created_at=start))
    store.add(SearchLog(organisation_id=world.org.id, query="laminatorlommer", results=0, created_at=start))
    store.add(SearchLog(organisation_id=world.org.id, query="sukker", results=0, created_at=start))
    store.add(SearchLog(organisation_id=world.org.id, query="kopipapir", results=12, created_at=start))
    store.add(SearchLog(organisation_id=world.other_org.id, query="bø-søk", results=0, created_at=start))
    store.commit()
    from webshop.extensions import db

    march = Period(Month(2026, 3), Month(2026, 3))
    with app.app_context():
        per_approver, per_unit = approval_lead_times(world.org.id, [world.school.id, world.nursing.id], march)
        assert [(t.name, t.decisions, t.median_hours) for t in per_approver] == [
            ("Per Nursing", 1, Decimal("30.0")), ("Kari Approver", 2, Decimal("3.0"))]
        assert [(t.name, t.median_hours) for t in per_unit] == [("Lia sykehjem", Decimal("30.0")),
                                                                 ("Lia skole", Decimal("3.0"))]
        assert zero_result_searches(world.org.id, march) == [("laminatorlommer", 2), ("sukker", 1)]
        assert approval_lead_times(world.org.id, [world.school.id], Period(Month(2026, 4), Month(2026, 4))) \
            == ([], [])
        assert spend_by_supplier(world.org.id, [world.school.id], march) == []
        db.session.rollback()
