"""Who may decide on an order: the whole grid, without an app or a database."""
from __future__ import annotations

import pytest

from webshop.approvals.rules import Actor, PendingOrder, Refusal, approval_refusal, can_approve

ORDER = PendingOrder(orderer_id=1, organisation_id=10, unit_id=100, is_pending=True)


@pytest.mark.parametrize("actor, order, expected", [
    (Actor(2, 10, frozenset({100})), ORDER, None),
    (Actor(2, 10, frozenset({100, 101})), ORDER, None),
    (Actor(1, 10, frozenset({100})), ORDER, Refusal.OWN_ORDER),  # orderer who is also approver
    (Actor(2, 11, frozenset({100})), ORDER, Refusal.OTHER_ORGANISATION),  # same unit id, other municipality
    (Actor(2, 10, frozenset({101})), ORDER, Refusal.NOT_APPROVER_FOR_UNIT),
    (Actor(2, 10, frozenset()), ORDER, Refusal.NOT_APPROVER_FOR_UNIT),
    (Actor(2, 10, frozenset({100})), PendingOrder(1, 10, 100, is_pending=False), Refusal.NOT_PENDING),
])
def test_approval_grid(actor, order, expected):
    assert approval_refusal(actor, order) is expected
    assert can_approve(actor, order) is (expected is None)
