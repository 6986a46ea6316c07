"""Issue 10, item 6: nobody changes their own limits or approval authority, and a limit a unit
manager sets applies in that manager's units only. Every change is audited."""
from __future__ import annotations

from decimal import Decimal

from helpers import PASSWORD
from sqlalchemy import func, select

from webshop.approvals.models import PersonLimit
from webshop.orders.models import AuditEvent
from webshop.orgs.models import Role, RoleAssignment, User

LIMITS = {"per_order": "", "per_month": "", "agreement_ids": [], "unspsc_prefixes": "", "approval_limit": ""}


def limits_form(**values) -> dict:
    return {**LIMITS, **values}


def manager_who_approves(world, store) -> User:
    """Mia manages the school and approves for it (the person of the issue)."""
    mia = User(email="mia.leder@lia.no", name="Mia Leder", organisation_id=world.org.id)
    mia.set_password(PASSWORD)
    mia.roles = [RoleAssignment(role=Role.UNIT_MANAGER, unit_id=world.school.id),
                 RoleAssignment(role=Role.APPROVER, unit_id=world.school.id)]
    store.add(mia)
    store.commit()
    return mia


def test_a_unit_manager_cannot_raise_their_own_approval_authority(world, store, login_as, set_policy):
    set_policy()
    mia = manager_who_approves(world, store)
    store.add(PersonLimit(user_id=mia.id, approval_limit=Decimal("50000")))
    store.commit()
    me = login_as(mia)
    assert me.get(f"/admin/personer/{mia.id}/grenser").status_code == 403
    assert me.post(f"/admin/personer/{mia.id}/grenser",
                   data=limits_form(approval_limit="99999999")).status_code == 403
    store.expire_all()
    assert [r.approval_limit for r in store.scalars(select(PersonLimit).where(PersonLimit.user_id == mia.id))] == [
        Decimal("50000.00")]
    assert store.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "limits_changed")) == 0


def test_a_coordinator_cannot_change_their_own_limits(world, store, login_as):
    me = login_as(world.coordinator)
    assert me.post(f"/admin/personer/{world.coordinator.id}/grenser",
                   data=limits_form(per_order="1000000")).status_code == 403
    assert store.scalar(select(func.count()).select_from(PersonLimit)) == 0


def test_a_unit_managers_limit_binds_only_in_their_units(world, store, login_as, set_policy, place):
    set_policy()
    mia = manager_who_approves(world, store)  # manages the school, not the nursing home
    ola = store.get(type(world.orderer), world.orderer.id)
    ola.roles.append(RoleAssignment(role=Role.ORDERER, unit_id=world.nursing.id))
    store.commit()
    response = login_as(mia).post(f"/admin/personer/{world.orderer.id}/grenser",
                                  data=limits_form(per_order="100", hard="y"))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    # 25 pens are 122.50 kr: over Mia's hard limit of 100 kr at the school ...
    place(world.orderer, world.items["PEN-1"], world.school, "25", expect=400)
    # ... but Mia does not manage the nursing home: her limit does not bind there
    assert place(world.orderer, world.items["PEN-1"], world.nursing, "25").status == "pending_approval"
    event = store.scalar(select(AuditEvent).where(AuditEvent.action == "limits_changed"))
    assert event.actor_id == mia.id and "Lia skole" in event.comment and "100" in event.comment


def test_a_unit_manager_cannot_grant_or_revoke_their_own_ordering_authority(world, store, login_as):
    mia = manager_who_approves(world, store)
    me = login_as(mia)
    response = me.post(f"/admin/enheter/{world.school.id}/bestillere", data={"user_id": mia.id})
    assert response.status_code == 400 and "egen" in response.get_data(as_text=True)
    store.expire_all()
    assert world.school.id not in store.get(User, mia.id).unit_ids(Role.ORDERER)
    # and a coordinator who orders cannot take their own authority away (or give it back)
    koord = store.get(User, world.coordinator.id)
    koord.roles.append(RoleAssignment(role=Role.ORDERER, unit_id=world.school.id))
    store.commit()
    response = login_as(world.coordinator).post(
        f"/admin/enheter/{world.school.id}/bestillere/{world.coordinator.id}/fjern")
    assert response.status_code == 400
    store.expire_all()
    assert world.school.id in store.get(User, world.coordinator.id).unit_ids(Role.ORDERER)
    assert store.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.in_(("authority_granted", "authority_revoked")))) == 0


def test_approval_authority_set_by_a_unit_manager_counts_only_in_that_unit(world, store, login_as, set_policy,
                                                                             place, people):
    set_policy()
    nursing_manager = User(email="leder@sykehjem.no", name="Nina Sykehjemsleder", organisation_id=world.org.id)
    nursing_manager.set_password(PASSWORD)
    nursing_manager.roles = [RoleAssignment(role=Role.UNIT_MANAGER, unit_id=world.nursing.id)]
    ola = store.get(User, world.orderer.id)
    ola.roles.append(RoleAssignment(role=Role.ORDERER, unit_id=world.nursing.id))
    store.add(nursing_manager)
    store.commit()
    director = people.director  # approves for the school and the nursing home
    response = login_as(nursing_manager).post(f"/admin/personer/{director.id}/grenser",
                                              data=limits_form(approval_limit="100"))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert store.scalar(select(PersonLimit.unit_id).where(PersonLimit.user_id == director.id)) == world.nursing.id
    # 25 pens are 122.50 kr: over her authority at the nursing home, not at the school
    at_school = place(world.orderer, world.items["PEN-1"], world.school, "25")
    at_nursing = place(world.orderer, world.items["PEN-1"], world.nursing, "25")
    assert director.id in at_school.approval_steps[-1].approver_ids
    assert director.id not in at_nursing.approval_steps[-1].approver_ids
