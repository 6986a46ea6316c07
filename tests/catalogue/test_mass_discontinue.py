"""Issue 10, item 12: an import that would discontinue more than a configurable share of the live
items (a header-only CSV, the wrong file) asks for an explicit confirmation and says how many, in
the upload page and in `flask catalogue import --publish`; until confirmed nothing changes. Since
issue 16 an upload is a draft, and publishing one that retires live items needs its own confirmation."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from helpers import page_text
from sqlalchemy import select
from test_catalogue_search import CSV_HEAD, central_buyer

from webshop.catalogue.models import Catalogue, CatalogueItem, CatalogueStatus
from webshop.catalogue.publish import needs_confirmation


def cli_import(app, tmp_path, text: str, *extra: str):
    csv = tmp_path / "katalog.csv"
    csv.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["catalogue", "import", "--agreement", "RA-2025-1", "--publish",
                                              *extra, str(csv)])


def live_version(store) -> int:
    store.expire_all()
    return store.scalar(select(Catalogue.version).where(Catalogue.status == CatalogueStatus.PUBLISHED))


def live_orderable(store) -> set[str]:
    store.expire_all()
    return set(store.scalars(select(CatalogueItem.supplier_item_id).join(Catalogue).where(
        Catalogue.status == CatalogueStatus.PUBLISHED, CatalogueItem.discontinued.is_(False))))


def test_a_header_only_csv_on_the_command_line_asks_for_confirmation(world, app, store, tmp_path):
    result = cli_import(app, tmp_path, CSV_HEAD)
    assert result.exit_code != 0
    # the three live items (KP-100, PEN-1, FAR-1) would all be discontinued
    assert "3 av 3 varer" in result.output and "--confirm-discontinue" in result.output
    assert live_version(store) == 1 and live_orderable(store) == {"KP-100", "PEN-1", "FAR-1"}

    result = cli_import(app, tmp_path, CSV_HEAD, "--confirm-discontinue")
    assert result.exit_code == 0, result.output
    assert live_version(store) == 2 and live_orderable(store) == set()


def test_the_share_is_configurable_and_small_changes_pass(world, app, store, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOGUE_DISCONTINUE_CONFIRM_SHARE", "0.5")
    monkeypatch.setitem(app.config, "CATALOGUE_DISCONTINUE_CONFIRM_MIN", 1)
    one_gone = CSV_HEAD + "PEN-1;Kulepenn blå;Medium;44121704;EA;4.90\nFAR-1;Farin 1 kg;Brunt;50161509;KGM;31.50\n"
    assert cli_import(app, tmp_path, one_gone).exit_code == 0  # 1 of 3 is not over half
    assert live_version(store) == 2 and live_orderable(store) == {"PEN-1", "FAR-1"}
    two_gone = CSV_HEAD + "NEW-1;Tusj svart;;44121708;EA;12\n"
    result = cli_import(app, tmp_path, two_gone)  # PEN-1 and FAR-1: 2 of 2 live items
    assert result.exit_code != 0 and "2 av 2 varer" in result.output
    assert live_version(store) == 2


def upload(client, world, text: str, **extra):
    return client.post("/forvaltning/", data={"agreement_id": world.agreement.id,
                                              "file": (io.BytesIO(text.encode()), "k.csv"), **extra},
                       content_type="multipart/form-data")


def test_a_header_only_upload_asks_for_confirmation_and_says_how_many(world, login_as, store):
    buyer = login_as(central_buyer(store, world))
    response = upload(buyer, world, CSV_HEAD)
    assert response.status_code == 302  # a draft: nothing changes yet
    draft = response.headers["Location"]
    text = page_text(buyer.get(draft))
    assert "3 forsvinner" in text and 'name="confirm_retire"' in text
    assert live_version(store) == 1 and live_orderable(store) == {"KP-100", "PEN-1", "FAR-1"}

    refused = buyer.post(draft.replace("/utkast", "/publiser"), data={"confirm": "y"})
    assert refused.status_code == 400 and "3 varer" in page_text(refused)
    assert live_version(store) == 1 and live_orderable(store) == {"KP-100", "PEN-1", "FAR-1"}
    assert buyer.post(draft.replace("/utkast", "/publiser"), data={"confirm": "y", "confirm_retire": "y"}
                      ).status_code == 302
    assert live_version(store) == 2 and live_orderable(store) == set()


@pytest.mark.parametrize("discontinued, live, remaining, asks", [
    (0, 100, 100, False),
    (20, 100, 80, False),  # exactly the share: passes
    (21, 100, 79, True),
    (9, 10, 1, False),  # over the share, but fewer than the minimum of 10
    (10, 10, 5, True),
    (3, 3, 0, True),  # nothing orderable left (a header-only file): always asks
    (3, 3, 1, False),  # another small file: 3 is under the minimum
])
def test_when_an_import_needs_confirmation(discontinued, live, remaining, asks):
    assert needs_confirmation(discontinued, live, remaining, share=Decimal("0.20"), minimum=10) is asks
