"""The municipality's coordinator downloads the municipality's export (the same zip as the CLI)."""
from __future__ import annotations

import tempfile

from flask import Blueprint, send_file
from flask_login import current_user

from webshop import audit
from webshop.backup.services import write_export
from webshop.extensions import db
from webshop.orgs.models import Role, User
from webshop.views_support import requires

bp = Blueprint("backup", __name__)


def can_export_municipality(user: User) -> bool:
    """Only the coordinator may take all of the municipality's orders and audit log out."""
    return user.has_role(Role.COORDINATOR)


@bp.get("/admin/eksport")
@requires(can_export_municipality)
def export_municipality():
    org = current_user.organisation
    audit.record("data_exported", by=current_user, organisation_id=org.id, comment="export of the municipality")
    db.session.commit()  # who took the data out is recorded before it leaves
    fh = tempfile.TemporaryFile()  # spooled to disk: EHF files of years add up; send_file closes it
    write_export(org, fh)
    fh.seek(0)
    return send_file(fh, mimetype="application/zip", as_attachment=True,
                     download_name=f"eksport-{org.key}.zip", max_age=0)
