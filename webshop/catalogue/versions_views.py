"""The central buyer's catalogue versions: a draft's changes against the live version, publishing
it (confirmed), and going back to the previous version in one action."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField

from webshop.catalogue import curation, versions
from webshop.catalogue.models import Agreement, Catalogue, CatalogueStatus
from webshop.extensions import db
from webshop.forms import EmptyForm
from webshop.permissions import can_curate_catalogue
from webshop.views_support import guard, transaction

bp = Blueprint("versions", __name__, template_folder="templates", url_prefix="/forvaltning")
guard(bp, can_curate_catalogue)


class PublishForm(FlaskForm):
    confirm = BooleanField()
    confirm_retire = BooleanField()


def _agreement(agreement_id: int) -> Agreement:
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or agreement.collaboration_id != curation.collaboration_of(current_user):
        abort(404)
    return agreement


def _catalogue(catalogue_id: int) -> Catalogue:
    catalogue = db.session.get(Catalogue, catalogue_id)
    if catalogue is None:
        abort(404)
    _agreement(catalogue.agreement_id)
    return catalogue


def _draft_page(draft: Catalogue, errors: list[str] | None = None, status: int = 200):
    changes = versions.draft_changes(draft)
    notes = (draft.import_notes or "").splitlines()
    return render_template("catalogue/versions/draft.html", draft=draft, changes=changes, notes=notes,
                           form=PublishForm(formdata=None), errors=errors or []), status


@bp.get("/katalog/<int:catalogue_id>/utkast")
def draft(catalogue_id: int):
    return _draft_page(_catalogue(catalogue_id))


@bp.post("/katalog/<int:catalogue_id>/publiser")
def publish(catalogue_id: int):
    draft = _catalogue(catalogue_id)
    form = PublishForm()
    if not form.validate():
        abort(400)
    with transaction(render=lambda exc: _draft_page(draft, [str(exc)], 400)):
        versions.publish_draft(draft, by=current_user, confirmed=form.confirm.data,
                               retire_confirmed=form.confirm_retire.data)
    flash(_("Versjon %(v)d er publisert.", v=draft.version), "success")
    return redirect(url_for("versions.history", agreement_id=draft.agreement_id))


@bp.get("/avtaler/<int:agreement_id>/versjoner")
def history(agreement_id: int):
    agreement = _agreement(agreement_id)
    rows = db.session.scalars(select(Catalogue).where(Catalogue.agreement_id == agreement.id)
                              .order_by(Catalogue.version.desc()).limit(50)).all()
    return render_template("catalogue/versions/history.html", agreement=agreement, versions=rows,
                           previous=versions.previous_version(agreement.id), form=EmptyForm(),
                           Status=CatalogueStatus)


@bp.post("/avtaler/<int:agreement_id>/gjenopprett")
def restore(agreement_id: int):
    agreement = _agreement(agreement_id)
    if not EmptyForm().validate():
        abort(400)
    with transaction(redirect_to=url_for("versions.history", agreement_id=agreement.id)):
        restored = versions.restore_previous(agreement, by=current_user)
    flash(_("Versjon %(v)d er publisert igjen.", v=restored.version), "success")
    return redirect(url_for("versions.history", agreement_id=agreement.id))
