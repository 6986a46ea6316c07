"""The central buyer's quality follow-up: answers to item requests that the requester sees, the
collaboration's zero-result searches (once per municipality, with their likely catalogue) and the
quality report as a CSV file for the supplier."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webshop.catalogue import curation
from webshop.catalogue.models import Agreement, Catalogue, ItemRequest, ItemRequestStatus
from webshop.extensions import db
from webshop.forms import EmptyForm
from webshop.permissions import can_curate_catalogue
from webshop.views_support import guard, transaction

bp = Blueprint("quality", __name__, template_folder="templates", url_prefix="/forvaltning")
guard(bp, can_curate_catalogue)

REQUEST_STATUS = {ItemRequestStatus.OPEN: _l("Mottatt"), ItemRequestStatus.SENT: _l("Sendt til leverandøren"),
                  ItemRequestStatus.ADDED: _l("Lagt til i katalogen"), ItemRequestStatus.DECLINED: _l("Avslått"),
                  ItemRequestStatus.CLOSED: _l("Lukket")}
bp.add_app_template_filter(lambda s: REQUEST_STATUS.get(s, s), "request_status")


@bp.post("/etterlysninger/<int:request_id>/svar")
def answer(request_id: int):
    found = db.session.get(ItemRequest, request_id)
    if found is None or found.organisation.is_sandbox \
            or found.organisation.collaboration_id != curation.collaboration_of(current_user):
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    try:
        status = ItemRequestStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    with transaction(redirect_to=url_for("curation.requests")):
        curation.answer_request(found, status, request.form.get("note", ""), by=current_user)
    flash(_("Svaret er lagret. Bestilleren ser det under «Finner du ikke varen?»."), "success")
    return redirect(url_for("curation.requests"))


@bp.get("/sok-uten-treff")
def zero_results():
    collaboration = curation.collaboration_of(current_user)
    agreements = {a.id: a for a in db.session.scalars(
        db.select(Agreement).where(Agreement.collaboration_id == collaboration))}
    return render_template("catalogue/quality/zero_results.html",
                           searches=curation.zero_result_searches(collaboration)[:500], agreements=agreements)


@bp.get("/katalog/<int:catalogue_id>/kvalitet.csv")
def report_csv(catalogue_id: int):
    catalogue = db.session.get(Catalogue, catalogue_id)
    if catalogue is None or catalogue.agreement.collaboration_id != curation.collaboration_of(current_user):
        abort(404)
    report = curation.quality_report(catalogue)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["kategori", "varenummer", "navn", "detalj"])
    labels = {"classification": "mangler klassifisering", "description": "mangler beskrivelse",
              "image": "mangler bilde", "out_of_stock": "meldt utsolgt", "discontinued": "utgått"}
    for key, label in labels.items():
        for item in report.lists.get(key, []):
            writer.writerow([label, item.supplier_item_id, item.name, ""])
    for name, count in report.duplicates:
        writer.writerow(["mulig duplikat", "", name, f"{count} varer med samme navn"])
    for item, average in report.outliers:
        writer.writerow(["uvanlig pris", item.supplier_item_id, item.name, f"{item.price} (snitt {average:.2f})"])
    for query, municipalities in report.zero_results:
        writer.writerow(["søk uten treff", "", query, f"{municipalities} kommuner"])
    for row in report.requests:
        writer.writerow(["etterlysning", "", row.query, row.description])
    name = f"kvalitet-{catalogue.agreement.reference}-v{catalogue.version}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
