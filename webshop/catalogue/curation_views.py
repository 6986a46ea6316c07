"""The central buyer's pages: import, curate items, synonyms, membership, quality report, item requests."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from webshop.catalogue import agreement_settings, curation, versions
from webshop.catalogue.csv_import import CatalogueImportError
from webshop.catalogue.forms import CurateForm, ImportForm, SearchForm, SynonymForm
from webshop.catalogue.models import Agreement, Catalogue, CatalogueItem, ItemRequest, SynonymGroup
from webshop.catalogue.services import live_for_collaboration, search_items
from webshop.extensions import db
from webshop.forms import EmptyForm
from webshop.orgs.models import Organisation
from webshop.params import int_list
from webshop.permissions import can_curate_catalogue
from webshop.views_support import guard, transaction

bp = Blueprint("curation", __name__, template_folder="templates", url_prefix="/forvaltning")


guard(bp, can_curate_catalogue)


def _agreement(agreement_id: int) -> Agreement:
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or agreement.collaboration_id != curation.collaboration_of(current_user):
        abort(404)
    return agreement


@bp.route("/", methods=["GET", "POST"])
def overview():
    form = ImportForm()
    agreements = curation.agreements_for(current_user)
    form.agreement_id.choices = [SelectChoice(a.id, f"{a.reference} – {a.title}") for a in agreements]
    errors: list[str] = []
    if request.method == "POST" and form.validate():
        agreement = _agreement(form.agreement_id.data)
        try:  # the one validation path of every upload, the web page's and `flask catalogue import`'s
            with transaction():
                draft = versions.create_draft(agreement, versions.rows_from_bytes(form.file.data.read()),
                                              by=current_user)
        except CatalogueImportError as exc:
            errors = [str(e) for e in exc.errors[:200]]
        else:  # a draft: nothing changes for orderers until it is published on the draft page
            flash(_("Filen er lastet opp som utkast (versjon %(v)d). Se endringene og publiser når du er klar.",
                    v=draft.version), "success")
            return redirect(url_for("versions.draft", catalogue_id=draft.id))
    live = {c.agreement_id: c for c in db.session.scalars(select(Catalogue).where(
        Catalogue.agreement_id.in_([a.id for a in agreements]), Catalogue.status == "published"))}
    drafts = {c.agreement_id: c for c in db.session.scalars(select(Catalogue).where(  # the newest per agreement
        Catalogue.agreement_id.in_([a.id for a in agreements]), Catalogue.status == "draft")
        .order_by(Catalogue.version))}
    status = 400 if (form.errors or errors) else 200
    return render_template("catalogue/curation/overview.html", form=form, agreements=agreements, live=live,
                           drafts=drafts, errors=errors), status


@bp.get("/katalog/<int:catalogue_id>/kvalitet")
def quality(catalogue_id: int):
    catalogue = db.session.get(Catalogue, catalogue_id)
    if catalogue is None:
        abort(404)
    _agreement(catalogue.agreement_id)
    return render_template("catalogue/curation/quality.html", report=curation.quality_report(catalogue),
                           form=EmptyForm())


@bp.post("/katalog/<int:catalogue_id>/etterlys")
def request_from_search(catalogue_id: int):
    catalogue = db.session.get(Catalogue, catalogue_id)
    if catalogue is None:
        abort(404)
    _agreement(catalogue.agreement_id)
    query = (request.form.get("query") or "").strip()
    if not EmptyForm().validate() or not query:
        abort(400)
    with transaction():
        curation.request_from_search(current_user, query, catalogue.agreement_id)
    flash(_("Etterlysningen «%(q)s» er registrert som sendt til leverandøren.", q=query), "success")
    return redirect(url_for("curation.quality", catalogue_id=catalogue_id))


@bp.get("/varer")
def search():
    """The central buyer's item search over every live catalogue of the collaboration, hidden items too."""
    form = SearchForm(request.args)
    valid = form.validate()
    query = (form.q.data or "").strip() if valid else ""
    page = (form.side.data or 1) if valid else 1
    results = search_items(current_user.organisation_id, query, page=page,
                           page_size=current_app.config["SEARCH_PAGE_SIZE"], include_hidden=True,
                           live=live_for_collaboration(curation.collaboration_of(current_user)))
    return render_template("catalogue/curation/search.html", form=form, query=query, results=results)


@bp.route("/varer/<int:item_id>", methods=["GET", "POST"])
def item(item_id: int):
    found = db.session.get(CatalogueItem, item_id)
    if found is None:
        abort(404)
    _agreement(found.catalogue.agreement_id)
    existing = curation.curation_of(found)
    form = CurateForm(obj=existing) if request.method == "GET" else CurateForm()
    if request.method == "POST" and form.validate():
        with transaction():
            curation.curate_item(found, hidden=form.hidden.data, name=form.name.data or "",
                                 extra_keywords=form.extra_keywords.data or "", by=current_user)
        flash(_("Varen er oppdatert."), "success")
        return redirect(url_for("curation.item", item_id=item_id))
    return render_template("catalogue/curation/item.html", item=found, form=form), (400 if form.errors else 200)


@bp.route("/synonymer", methods=["GET", "POST"])
def synonyms():
    form = SynonymForm()
    if request.method == "POST" and form.validate():
        with transaction(render=lambda exc: _synonyms_page(form, exc)):
            curation.add_synonym_group(current_user, form.terms.data)
        flash(_("Synonymene er lagret."), "success")
        return redirect(url_for("curation.synonyms"))
    return _synonyms_page(form)


def _synonyms_page(form: SynonymForm, error: Exception | None = None):
    if error is not None:
        form.terms.errors = [str(error)]
    return render_template("catalogue/curation/synonyms.html", form=form, groups=curation.synonym_groups(current_user),
                           delete_form=EmptyForm()), (400 if form.errors else 200)


@bp.post("/synonymer/<int:group_id>/slett")
def delete_synonyms(group_id: int):
    group = db.session.get(SynonymGroup, group_id)
    if group is None or group.collaboration_id != curation.collaboration_of(current_user):
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    with transaction():
        db.session.delete(group)
    flash(_("Synonymgruppen er slettet."), "success")
    return redirect(url_for("curation.synonyms"))


@bp.route("/avtaler/<int:agreement_id>/kommuner", methods=["GET", "POST"])
def members(agreement_id: int):
    agreement = _agreement(agreement_id)
    organisations = list(db.session.scalars(select(Organisation).where(
        Organisation.collaboration_id == agreement.collaboration_id).order_by(Organisation.name)))
    if request.method == "POST":
        if not EmptyForm().validate():
            abort(400)
        chosen = set(int_list(request.form.getlist("organisation_id")))  # a 400 on a bad id
        with transaction(render=lambda exc: _members_page(agreement, organisations, [str(exc)])):
            curation.set_members(agreement, chosen)
        flash(_("Katalogen er publisert til de valgte kommunene."), "success")
        return redirect(url_for("curation.overview"))
    return _members_page(agreement, organisations)


def _members_page(agreement: Agreement, organisations: list[Organisation], errors: list[str] | None = None):
    member_ids = {o.id for o in agreement.members}
    return render_template("catalogue/curation/members.html", agreement=agreement, organisations=organisations,
                           member_ids=member_ids, errors=errors or [], form=EmptyForm()), (400 if errors else 200)


@bp.post("/avtaler/<int:agreement_id>/minste-ordreverdi")
def min_order(agreement_id: int):
    """Under the supplier's minimum order value: warn the orderer, or refuse the order (issue 15)."""
    agreement = _agreement(agreement_id)
    if not EmptyForm().validate() or request.form.get("policy") not in ("warn", "block"):
        abort(400)
    with transaction():
        changed = agreement_settings.set_min_order_blocks(agreement, request.form["policy"] == "block",
                                                          by=current_user)
    if changed:
        flash(_("Innstillingen for minste ordreverdi er lagret."), "success")
    return redirect(url_for("curation.members", agreement_id=agreement.id))


@bp.get("/etterlysninger")
def requests():
    orgs = select(Organisation.id).where(Organisation.collaboration_id == curation.collaboration_of(current_user),
                                         Organisation.is_sandbox.is_(False))  # a training lab's requests stay there
    rows = db.session.scalars(select(ItemRequest).where(ItemRequest.organisation_id.in_(orgs))
                              .order_by(ItemRequest.created_at.desc()).limit(200)).all()
    return render_template("catalogue/curation/requests.html", requests=rows, form=EmptyForm())


@bp.post("/etterlysninger/<int:request_id>/sendt")
def request_sent(request_id: int):
    found = db.session.get(ItemRequest, request_id)
    if found is None or found.organisation.is_sandbox \
            or found.organisation.collaboration_id != curation.collaboration_of(current_user):
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    with transaction():
        curation.mark_request_sent(found, request.form.get("note", "")[:2000])
    flash(_("Markert som sendt til leverandøren."), "success")
    return redirect(url_for("curation.requests"))
