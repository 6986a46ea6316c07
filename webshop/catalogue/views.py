"""Catalogue search for orderers, their favourites, templates, reorder and «Finner du ikke varen?»."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from webshop.catalogue import personal
from webshop.catalogue.curation import log_search, request_item, requests_of
from webshop.catalogue.forms import AddToCartForm, FavouriteForm, ItemRequestForm, SearchForm, TemplateForm
from webshop.catalogue.models import OrderTemplate
from webshop.catalogue.services import Facets, search_items
from webshop.extensions import db
from webshop.forms import EmptyForm
from webshop.orders.models import Order
from webshop.params import BadNumber, is_id, to_decimal
from webshop.permissions import can_curate_catalogue, can_order, can_view_order, visible_orders
from webshop.search.index import item_key
from webshop.urls import is_safe_next
from webshop.views_support import requires, transaction

bp = Blueprint("catalogue", __name__, template_folder="templates")


@bp.app_template_global()
def can_curate(user) -> bool:
    return can_curate_catalogue(user)


bp.add_app_template_global(item_key, "item_key")


def _facets(form: SearchForm) -> Facets:
    return Facets(supplier_id=form.leverandor.data or None, category=(form.kategori.data or None),
                  eco=bool(form.miljo.data), price_min=form.fra.data, price_max=form.til.data)


@bp.get("/katalog")
@login_required
def search():
    form = SearchForm(request.args)
    valid = form.validate()
    query = (form.q.data or "").strip() if valid else ""
    page = (form.side.data or 1) if valid else 1
    facets = _facets(form) if valid else Facets()
    results = search_items(current_user.organisation_id, query, page=page,
                           page_size=current_app.config["SEARCH_PAGE_SIZE"], facets=facets,
                           boost_keys=personal.boost_keys_for(current_user), with_facets=True)
    favourites = {item_key(a, s) for a, s in personal.favourite_keys(current_user)}
    replacements = {i.id: subs[0] for i in results.items if i.discontinued
                    and (subs := personal.substitutes_for(current_user.organisation_id, i, limit=1))}
    html = render_template("catalogue/search.html", form=form, query=query, results=results, facets=facets,
                           replacements=replacements,
                           add_form=AddToCartForm(formdata=None), favourites=favourites,
                           filter_args={k: v for k, v in request.args.items() if k not in ("side",)})
    if query and page == 1:  # after rendering: the commit expires every loaded item (a reload each)
        with transaction():
            log_search(current_user, query, results.total)
    return html, (200 if valid else 400)


@bp.get("/katalog/mine-varer")
@requires(can_order)
def mine():
    orders = db.session.scalars(visible_orders(current_user).where(Order.orderer_id == current_user.id)
                                .order_by(Order.submitted_at.desc()).limit(10)).all()  # my latest, to reorder
    return render_template("catalogue/mine.html", favourites=personal.favourites_of(current_user),
                           ordered=personal.ordered_before(current_user),
                           templates=personal.templates_for(current_user),
                           orders=orders, form=EmptyForm(), template_form=TemplateForm(formdata=None))


def _back(default: str) -> str:
    target = request.form.get("next")
    return target if is_safe_next(target) else default


@bp.post("/katalog/favoritter")
@requires(can_order)
def add_favourite():
    form = FavouriteForm()
    back = _back(url_for("catalogue.mine"))
    if not form.validate() or not is_id(form.item_id.data):
        flash(_("Ugyldig vare."), "danger")
        return redirect(back)
    with transaction(redirect_to=back):
        personal.add_favourite(current_user, int(form.item_id.data))
    flash(_("Lagt til i favoritter."), "success")
    return redirect(back)


@bp.post("/katalog/favoritter/<int:favourite_id>/slett")
@requires(can_order)
def remove_favourite(favourite_id: int):
    if not EmptyForm().validate():
        abort(404)
    with transaction():
        if not personal.remove_favourite(current_user, favourite_id):
            abort(404)
    flash(_("Fjernet fra favoritter."), "success")
    return redirect(url_for("catalogue.mine"))


def _own_order(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None or not can_view_order(current_user, order):
        abort(404)
    return order


def _report(added: int, missing: list[str]) -> None:
    if added:
        flash(ngettext("%(num)d vare lagt i handlekurven.", "%(num)d varer lagt i handlekurven.", added), "success")
    if missing:
        flash(_("Ikke lenger i katalogen: %(names)s. Se «Mine varer» for erstatninger.", names=", ".join(missing)),
              "warning")


@bp.post("/katalog/bestill-igjen/<int:order_id>")
@requires(can_order)
def reorder(order_id: int):
    order = _own_order(order_id)
    if not EmptyForm().validate():
        abort(400)
    with transaction(redirect_to=url_for("cart.show")):
        added, missing = personal.reorder(current_user, order)
    _report(added, missing)
    return redirect(url_for("cart.show"))


@bp.post("/katalog/maler/fra-ordre/<int:order_id>")
@requires(can_order)
def template_from_order(order_id: int):
    order = _own_order(order_id)
    form = TemplateForm()
    if not form.validate():
        flash(" ".join(str(e) for errs in form.errors.values() for e in errs), "danger")
        return redirect(url_for("catalogue.mine"))
    with transaction(redirect_to=url_for("catalogue.mine")):
        personal.template_from_order(current_user, order, form.name.data)
    flash(_("Malen er lagret."), "success")
    return redirect(url_for("catalogue.mine"))


@bp.post("/katalog/maler/<int:template_id>/i-kurv")
@requires(can_order)
def template_to_cart(template_id: int):
    template = db.session.get(OrderTemplate, template_id)
    if template is None or not personal.can_use_template(current_user, template):
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    with transaction(redirect_to=url_for("cart.show")):
        added, missing = personal.template_to_cart(current_user, template)
    _report(added, missing)
    return redirect(url_for("cart.show"))


def _own_template(template_id: int) -> OrderTemplate:
    template = db.session.get(OrderTemplate, template_id)
    if template is None or not personal.can_use_template(current_user, template):
        abort(404)
    return template


@bp.route("/katalog/maler/<int:template_id>", methods=["GET", "POST"])
@requires(can_order)
def edit_template(template_id: int):
    """Rename a template, change quantities, drop lines (issue 15)."""
    template = _own_template(template_id)
    form = TemplateForm(obj=template) if request.method == "GET" else TemplateForm()
    errors: list[str] = []
    if request.method == "POST":
        quantities, errors = _template_quantities(template)
        if form.validate() and not errors:
            removed = {line.id for line in template.lines if request.form.get(f"remove-{line.id}")}
            with transaction(render=lambda exc: _template_page(template, form, [str(exc)])):
                personal.update_template(current_user, template, name=form.name.data or "", quantities=quantities,
                                         removed=removed)
            flash(_("Malen er lagret."), "success")
            return redirect(url_for("catalogue.mine"))
    return _template_page(template, form, errors)


def _template_quantities(template: OrderTemplate) -> tuple[dict, list[str]]:
    quantities, errors = {}, []
    limit = current_app.config["MAX_LINE_QUANTITY"]
    for line in template.lines:
        raw = request.form.get(f"qty-{line.id}", "").replace(" ", "").replace(",", ".")  # «2,5»
        try:
            quantities[line.id] = to_decimal(raw, low=Decimal("0.001"), high=limit, places=3)
        except BadNumber:
            errors.append(_("Antallet for %(name)s må være et tall større enn null, høyst %(max)s.",
                            name=line.item.name, max=limit))
    return quantities, errors


def _template_page(template: OrderTemplate, form: TemplateForm, errors: list[str]):
    failed = bool(errors or form.errors)
    return render_template("catalogue/template_edit.html", template=template, form=form, errors=errors,
                           delete_form=EmptyForm(formdata=None)), (400 if failed else 200)


@bp.post("/katalog/maler/<int:template_id>/slett")
@requires(can_order)
def delete_template(template_id: int):
    template = _own_template(template_id)
    if not EmptyForm().validate():
        abort(400)
    name = template.name
    with transaction(redirect_to=url_for("catalogue.mine")):
        personal.delete_template(current_user, template)
    flash(_("Malen «%(name)s» er slettet.", name=name), "success")
    return redirect(url_for("catalogue.mine"))


@bp.post("/katalog/handlekurv/<int:line_id>/bytt")
@requires(can_order)
def replace_cart_line(line_id: int):
    """«Bytt til»: a cart line whose item is gone becomes a substitute (or the item's new version)."""
    form = FavouriteForm()  # a CSRF-checked item_id
    if not form.validate() or not is_id(form.item_id.data):
        abort(400)
    with transaction(redirect_to=url_for("cart.show")):
        try:
            personal.replace_cart_line(current_user, line_id, int(form.item_id.data))
        except LookupError:
            abort(404)
    flash(_("Linjen er byttet."), "success")
    return redirect(url_for("cart.show"))


@bp.route("/katalog/etterlys", methods=["GET", "POST"])
@login_required
def request_missing():
    form = ItemRequestForm(data={"query": request.args.get("q", "")} if request.method == "GET" else None)
    if request.method == "POST" and form.validate():
        with transaction(render=lambda exc: _request_page(form, exc)):
            request_item(current_user, query=form.query.data or "", description=form.description.data)
        flash(_("Takk! Innkjøpsavdelingen har fått ønsket ditt."), "success")
        return redirect(url_for("catalogue.search"))
    return _request_page(form)


def _request_page(form: ItemRequestForm, error: Exception | None = None):
    if error is not None:
        form.description.errors = [str(error)]
    return render_template("catalogue/request.html", form=form, mine=requests_of(current_user)), \
        (400 if form.errors else 200)
