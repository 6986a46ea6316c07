"""Issue 10, items 4, 10 and 11: hostile numbers, oversized uploads and broken catalogue files get a
clear 400/404/413, never a 500 or a worker that spins forever, and nothing is stored."""
from __future__ import annotations

import io
import time
from datetime import date
from decimal import Decimal

import pytest
from helpers import PASSWORD, page_text, set_password
from sqlalchemy import func, select

from ehf.catalogue import CatalogueHeader, CatalogueItem, Classification, write_catalogue
from ehf.parties import PartyRef, Period
from webshop.catalogue.csv_import import CatalogueImportError, read_bytes
from webshop.catalogue.ehf_import import read_ehf_catalogue
from webshop.catalogue.models import Catalogue
from webshop.config import TestConfig
from webshop.orgs.models import Role, RoleAssignment, User

HUGE = "99999999999999999999"  # more than any database integer column holds


@pytest.fixture
def buyer(world, store):
    user = User(email="innkjop@lia.no", name="Ina Innkjøper", organisation_id=world.org.id)
    set_password(user)
    user.roles = [RoleAssignment(role=Role.CENTRAL_BUYER, unit_id=None)]
    store.add(user)
    store.commit()
    return user


# ------------------------------------------------------------------ item 4: numbers in the query string


@pytest.mark.parametrize("value", ["1e999990", "1e309", "Infinity", "-Infinity", "NaN", "sNaN",
                                   HUGE + "0" * 30])
@pytest.mark.parametrize("name", ["fra", "til"])
def test_hostile_price_filters_get_a_quick_400(world, login_as, name, value):
    c = login_as(world.orderer)
    started = time.perf_counter()
    response = c.get(f"/katalog?q=papir&{name}={value}")
    assert time.perf_counter() - started < 5
    assert response.status_code == 400
    assert "Pris" in page_text(response)


def test_reasonable_price_filters_still_work(world, login_as):
    c = login_as(world.orderer)
    response = c.get("/katalog?q=papir&fra=10&til=100.5")
    assert response.status_code == 200
    assert "Kopipapir A4 80 g" in page_text(response)


@pytest.mark.parametrize("url", [
    f"/katalog?q=papir&side={HUGE}", f"/katalog?q=papir&leverandor={HUGE}", f"/ordrer?side={HUGE}",
    "/ordrer?side=-1", "/ordrer?side=abc", f"/api/v1/catalogue/search?q=papir&limit={HUGE}",
])
def test_page_and_filter_numbers_out_of_range_get_400(world, login_as, url):
    c = login_as(world.orderer)
    assert c.get(url).status_code == 400


def test_approval_inbox_page_number_out_of_range_gets_400(world, login_as):
    assert login_as(world.approver).get(f"/godkjenning?side={HUGE}").status_code == 400


@pytest.mark.parametrize("url", [f"/ordrer/{HUGE}", f"/godkjenning/{HUGE}", f"/ordrer/{HUGE}/ehf/1",
                                 "/ordrer/2147483648"])
def test_path_integers_too_large_for_the_database_are_404(world, login_as, url):
    assert login_as(world.approver).get(url).status_code == 404


def test_bulk_approval_with_an_id_too_large_for_the_database_is_refused(world, login_as):
    response = login_as(world.approver).post("/godkjenning/flere", data={"order_id": [HUGE]})
    assert response.status_code in (400, 404)


def test_agreement_members_with_a_bad_organisation_id_is_refused(world, login_as, buyer, store):
    c = login_as(buyer)
    for value in (HUGE, "x", "-1"):
        response = c.post(f"/forvaltning/avtaler/{world.agreement.id}/kommuner", data={"organisation_id": value})
        assert response.status_code == 400


# ------------------------------------------------------------------ item 10: upload size


def csv_file(rows: list[str]) -> bytes:
    header = "supplier_item_id;name;description;unspsc;unit;price"
    return "\n".join([header, *rows]).encode()


def upload(client, agreement_id: int, data: bytes, name: str = "katalog.csv"):
    return client.post("/forvaltning/", data={"agreement_id": agreement_id, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def catalogue_count(store) -> int:
    return store.scalar(select(func.count()).select_from(Catalogue))


def test_an_upload_over_the_limit_gets_a_clear_413(make_app, world, buyer, store):
    small = make_app(MAX_CONTENT_LENGTH=64 * 1024)
    c = small.test_client()
    assert c.post("/logg-inn", data={"email": buyer.email, "password": PASSWORD}).status_code == 302
    before = catalogue_count(store)
    body = csv_file([f"A-{i};Papir;A4;14111507;EA;1,00" for i in range(5000)])
    assert len(body) > 64 * 1024
    response = upload(c, world.agreement.id, body)
    assert response.status_code == 413
    assert "for stor" in page_text(response)
    assert "64 KiB" in page_text(response)
    assert catalogue_count(store) == before


def test_every_app_has_an_upload_limit_by_default():
    assert TestConfig.MAX_CONTENT_LENGTH is not None
    assert 1024 * 1024 <= TestConfig.MAX_CONTENT_LENGTH <= 100 * 1024 * 1024


# ------------------------------------------------------------------ item 11: broken catalogue files


@pytest.mark.parametrize("price", ["1e20", "1E+30", "123456789012345", "0,00001"])
def test_csv_prices_beyond_the_price_column_are_row_errors(price):
    with pytest.raises(CatalogueImportError) as caught:
        read_bytes(csv_file(["A-1;Papir;A4;14111507;EA;10", f"A-2;Papir;A4;14111507;EA;{price}"]))
    assert [e.line for e in caught.value.errors] == [3]
    assert "price" in str(caught.value.errors[0])


def test_a_csv_field_over_the_csv_module_limit_is_a_row_error():
    data = csv_file(["A-1;Papir;A4;14111507;EA;10", "A-2;" + "x" * 200_000 + ";A4;14111507;EA;10"])
    with pytest.raises(CatalogueImportError) as caught:
        read_bytes(data)
    assert [e.line for e in caught.value.errors] == [3]


def test_a_long_name_is_a_row_error_not_a_database_error():
    with pytest.raises(CatalogueImportError) as caught:
        read_bytes(csv_file(["A-1;" + "x" * 5000 + ";A4;14111507;EA;10"]))
    assert [e.line for e in caught.value.errors] == [2]


def ehf_catalogue(name: str) -> bytes:
    header = CatalogueHeader(
        id="CAT-1", issue_date=date(2026, 11, 27),
        provider=PartyRef(endpoint_id="918273646", endpoint_scheme="0192", name="Kontor AS", country_code="NO"),
        receiver=PartyRef(endpoint_id="938472610", endpoint_scheme="0192", name="Lia", country_code="NO"),
        validity=Period(date(2026, 1, 1), date(2027, 12, 31)), contract_id="RA-2025-1",
        seller=PartyRef(party_id="918273646", party_id_scheme="0192", trade_name="Kontor AS"),
        customer=PartyRef(party_id="938472610", trade_name="Lia"), action_code="Add")
    items = [CatalogueItem(line_id=str(i), name=n, seller_item_id=f"E-{i}", description="Papir",
                           classifications=(Classification(code="14111507", list_id="TST"),),
                           orderable_unit="EA", price=Decimal("10.00"), currency="NOK", vat_percent=Decimal("25"))
             for i, n in enumerate(["Godt papir", name], start=1)]
    out = io.BytesIO()
    write_catalogue(out, header, items)
    return out.getvalue()


@pytest.mark.parametrize("name", ["Papir\rA4", "Papir\r\nA4", 'Papir "A4"\r'])
def test_a_carriage_return_in_an_ehf_name_is_imported_as_a_space(name):
    rows = list(read_ehf_catalogue(ehf_catalogue(name)))
    assert [r.name for r in rows] == ["Godt papir", name.replace("\r\n", " ").replace("\r", " ").replace('"', "'")
                                      .strip()]


def test_bad_catalogue_uploads_are_reported_per_line_and_nothing_is_imported(world, login_as, buyer, store):
    c = login_as(buyer)
    before = catalogue_count(store)
    response = upload(c, world.agreement.id, csv_file(["A-1;Papir;A4;14111507;EA;10", "A-2;Papir;A4;14111507;EA;1e20",
                                                       "A-3;" + "x" * 140_000 + ";A4;14111507;EA;10"]))
    assert response.status_code == 400
    text = page_text(response)
    assert "linje 3" in text and "linje 4" in text
    assert catalogue_count(store) == before


@pytest.mark.parametrize("raw, message", [("1e999990", "ikke et gyldig antall"), ("Infinity", "ikke et gyldig antall"),
                                          ("sNaN", "ikke et gyldig antall"), ("0,0001", "ikke et gyldig antall"),
                                          ("abc", "er ikke et tall")])
def test_goods_receipt_quantities_are_bounded(app, raw, message):
    from webshop.supplier.errors import SupplierError
    from webshop.supplier.views import _quantity

    with app.test_request_context(method="POST", data={"received": raw}):
        with pytest.raises(SupplierError, match=message):
            _quantity("received")


def test_a_signalling_nan_in_a_filter_is_a_400(world, login_as):
    assert login_as(world.approver).get("/godkjenning?fra_belop=sNaN").status_code == 400


def test_every_decimal_field_refuses_nan_and_infinity():
    """wtforms' NumberRange crashes on sNaN, so every form uses FiniteDecimalField."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm
    from wtforms import DecimalField

    import webshop
    from webshop.params import FiniteDecimalField

    plain = []
    for module in pkgutil.walk_packages(webshop.__path__, "webshop."):
        if module.name.endswith("forms"):
            loaded = importlib.import_module(module.name)
            for name, form in vars(loaded).items():
                if isinstance(form, type) and issubclass(form, FlaskForm):
                    for field_name, unbound in vars(form).items():
                        kind = getattr(unbound, "field_class", None)
                        if kind and issubclass(kind, DecimalField) and not issubclass(kind, FiniteDecimalField):
                            plain.append(f"{module.name}.{name}.{field_name}")
    assert plain == []


def test_item_ids_too_large_for_the_database_are_refused(world, login_as):
    c = login_as(world.orderer)
    response = c.post("/katalog/favoritter", data={"item_id": HUGE}, follow_redirects=True)
    assert response.status_code == 200 and "Ugyldig vare" in page_text(response)
    assert c.post("/katalog/handlekurv/1/bytt", data={"item_id": HUGE}).status_code == 400
    response = c.post("/handlekurv/legg-til", data={"item_id": HUGE, "quantity": "1"}, follow_redirects=True)
    assert response.status_code in (200, 400)
