"""Fixtures for the approval tests: a second approver, a sector director, policies, and order placing."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from helpers import set_password
from sqlalchemy import select

from webshop.approvals.models import ApprovalPolicy, ApprovalTier, PersonLimit
from webshop.orders.models import Order
from webshop.orgs.models import Role, RoleAssignment, User


@pytest.fixture
def people(world, store):
    """Anne: a second approver for the school. Gunnhild: sector director (approver for every unit)."""

    def person(email, name, *roles):
        user = User(email=email, name=name, organisation_id=world.org.id, password_hash="")
        set_password(user)
        user.roles = [RoleAssignment(role=r, unit_id=u.id if u else None) for r, u in roles]
        store.add(user)
        return user

    anne = person("anne@lia.no", "Anne Second", (Role.APPROVER, world.school))
    director = person("gunnhild@lia.no", "Gunnhild Sektor", (Role.APPROVER, world.school),
                      (Role.APPROVER, world.nursing))
    manager = person("mia@lia.no", "Mia Manager", (Role.UNIT_MANAGER, world.school))
    store.commit()
    return type("People", (), {"anne": anne, "director": director, "manager": manager})


@pytest.fixture
def set_policy(world, store):
    def apply(*, auto: str = "0", per_order: str | None = None, hard: bool = False,
              director_above: str | None = None, director=None, escalate_after_days: int = 3) -> None:
        store.add(ApprovalPolicy(organisation_id=world.org.id, auto_approve_below=Decimal(auto),
                                 default_per_order=Decimal(per_order) if per_order else None, default_hard=hard,
                                 escalate_after_days=escalate_after_days))
        store.add(ApprovalTier(organisation_id=world.org.id, level=1, name="Enhetsleder",
                               approver_role=Role.APPROVER))
        if director_above is not None:
            store.add(ApprovalTier(organisation_id=world.org.id, level=2, name="Sektordirektør",
                                   required_above=Decimal(director_above), approver_user_id=director.id))
        store.commit()

    return apply


@pytest.fixture
def place(login_as, store) -> Callable[..., Order]:
    """Put ``quantity`` of ``item`` in ``user``'s cart and submit it for ``unit``; return the new order."""

    def make(user, item, unit, quantity: str = "1", expect: int = 302, free_text: str | None = None):
        c = login_as(user)
        if item is not None:
            assert c.post("/handlekurv/legg-til", data={"item_id": item.id, "quantity": quantity}).status_code == 302
        if free_text:
            r = c.post("/handlekurv/fritekst", data={"supplier_id": item.catalogue.agreement.supplier_id if item
                                                      else None, "description": free_text, "quantity": "1",
                                                      "unit_code": "EA", "estimated_price": "10"})
            assert r.status_code == 302, r.get_data(as_text=True)[:300]
        response = c.post("/handlekurv/send", data={"unit_id": unit.id})
        assert response.status_code == expect, response.get_data(as_text=True)[:2000]
        store.expire_all()
        return store.scalars(select(Order).order_by(Order.id.desc())).first() if expect == 302 else response

    return make


def limit(store, user, **values) -> None:
    store.add(PersonLimit(user_id=user.id, **{k: Decimal(v) if isinstance(v, str) else v for k, v in values.items()}))
    store.commit()
