"""Catalogue search for orderers."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from webshop.catalogue.forms import AddToCartForm, SearchForm
from webshop.catalogue.services import search_items

bp = Blueprint("catalogue", __name__, template_folder="templates")


@bp.get("/katalog")
@login_required
def search():
    form = SearchForm(request.args)
    valid = form.validate()
    query = (form.q.data or "").strip() if valid else ""
    page = (form.side.data or 1) if valid else 1
    results = search_items(current_user.organisation_id, query, page=page,
                           page_size=current_app.config["SEARCH_PAGE_SIZE"])
    return render_template("catalogue/search.html", form=form, query=query, results=results,
                           add_form=AddToCartForm(formdata=None))
