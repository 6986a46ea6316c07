"""Two approvers acting on the same order at the same moment: exactly one
decision is stored, the other gets a clear message, one EHF message is produced."""
from __future__ import annotations

import threading

from helpers import PASSWORD, outbox_files, page_text
from sqlalchemy import func, select

from webshop.approvals.models import ApprovalDecision
from webshop.orders.models import AuditEvent, Order, OrderDocument
from webshop.orgs.models import Role, RoleAssignment, User


def test_approval_concurrent_requests_make_one_decision(app, world, login_as, store):
    second = User(email="anne@lia.no", name="Anne Second", organisation_id=world.org.id, password_hash="")
    second.set_password(PASSWORD)
    second.roles = [RoleAssignment(role=Role.APPROVER, unit_id=world.school.id)]
    store.add(second)
    store.commit()
    orderer = login_as(world.orderer)
    orderer.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id, "quantity": "2"})
    orderer.post("/handlekurv/send", data={"unit_id": world.school.id})
    order = store.scalar(select(Order))

    approvers = [login_as(world.approver), login_as(second)]
    barrier = threading.Barrier(2)
    responses = [None, None]

    def decide(i: int) -> None:
        barrier.wait()
        action = {"approve": "1"} if i == 0 else {"reject": "1", "comment": "Nei"}
        responses[i] = approvers[i].post(f"/godkjenning/{order.id}", data=action, follow_redirects=True)

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert all(r is not None and r.status_code == 200 for r in responses)
    texts = [page_text(r) for r in responses]
    assert sum("allerede behandlet" in t or "venter ikke på godkjenning" in t for t in texts) == 1
    from webshop.delivery.worker import run_once  # approval queues; the delivery worker sends

    with app.app_context():
        run_once("test")
    store.expire_all()
    assert store.scalar(select(func.count()).select_from(ApprovalDecision)) == 1
    decided = store.get(Order, order.id).status
    documents = store.scalar(select(func.count()).select_from(OrderDocument))
    assert (decided, documents, len(outbox_files(app))) in {("sent", 1, 1), ("rejected", 0, 0)}
    actions = list(store.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions in (["submitted", "approved", "ehf_built", "sent"], ["submitted", "rejected"])
