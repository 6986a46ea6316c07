"""Overview for e-commerce coordinators and unit managers: units, people and roles."""
from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webshop.extensions import db
from webshop.orgs.models import Role, RoleAssignment, Unit, User
from webshop.permissions import can_administer

bp = Blueprint("admin", __name__, template_folder="templates")


@bp.before_request
@login_required
def require_admin():
    if not can_administer(current_user):
        abort(403)


@bp.get("/admin")
def overview():
    """Coordinators see every unit; unit managers see the units they manage."""
    units_query = select(Unit).where(Unit.organisation_id == current_user.organisation_id).order_by(Unit.name)
    if not current_user.has_role(Role.COORDINATOR):
        units_query = units_query.where(Unit.id.in_(current_user.unit_ids(Role.UNIT_MANAGER)))
    units = list(db.session.scalars(units_query))
    assignments = db.session.scalars(
        select(RoleAssignment)
        .where(RoleAssignment.unit_id.in_([u.id for u in units]))
        .options(selectinload(RoleAssignment.user))
    )
    people: dict[int, dict[Role, list[User]]] = defaultdict(lambda: defaultdict(list))
    for assignment in assignments:
        people[assignment.unit_id][assignment.role].append(assignment.user)
    return render_template("admin/overview.html", units=units, people=people, Role=Role)
