"""Issue 16: catalogue versions the central buyer controls.

Observed: a 6-row CSV uploaded in the UI published at once and marked the other items «Utgått»,
with no preview, no counts, no confirmation and no way back; the UI accepted the unit «XYZ»; unit
names such as «stk», «pk», «esk», «kg», «l» were refused instead of mapped. Now an upload (UI or
CLI) is a draft with its changes counted and listed, publishing is a separate confirmed step, the
previous version comes back in one action, and both paths share one validation."""
from __future__ import annotations

import io

from helpers import page_text
from sqlalchemy import select
from test_catalogue_search import CSV_HEAD, central_buyer

from webshop.catalogue.models import Catalogue, CatalogueItem, CatalogueStatus
from webshop.orders.models import AuditEvent

# The live catalogue (tests/conftest.py World): KP-100 Kopipapir 52.00, PEN-1 Kulepenn blå 4.90, FAR-1 Farin 31.50
FULL = CSV_HEAD + ("KP-100;Kopipapir A4 80 g;500 ark;14111507;XPK;54,00\n"  # new price
                   "PEN-1;Kulepenn blå medium;Medium spiss;44121704;EA;4.90\n"  # renamed
                   "FAR-1;Farin 1 kg;Brunt;50161509;KGM;31.50\n"  # unchanged
                   "TUS-1;Tusj svart;;44121708;stk;12\n")  # new, unit name mapped
PARTIAL = CSV_HEAD + "TUS-1;Tusj svart;;44121708;EA;12\n"


def upload(client, world, text: str):
    return client.post("/forvaltning/", data={"agreement_id": world.agreement.id,
                                              "file": (io.BytesIO(text.encode()), "katalog.csv")},
                       content_type="multipart/form-data")


def live(store) -> tuple[int, set[str]]:
    store.expire_all()
    version = store.scalar(select(Catalogue.version).where(Catalogue.status == CatalogueStatus.PUBLISHED))
    items = set(store.scalars(select(CatalogueItem.supplier_item_id).join(Catalogue).where(
        Catalogue.status == CatalogueStatus.PUBLISHED, CatalogueItem.discontinued.is_(False))))
    return version, items


def test_a_partial_upload_is_a_draft_that_shows_what_would_disappear(world, login_as, store):
    buyer = login_as(central_buyer(store, world))
    response = upload(buyer, world, PARTIAL)
    assert response.status_code == 302 and response.headers["Location"].endswith("/utkast")
    assert live(store) == (1, {"KP-100", "PEN-1", "FAR-1"})  # nothing changed for orderers
    assert "Utkast: versjon 2" in page_text(buyer.get("/forvaltning/"))  # the overview leads back to it
    assert "Kulepenn" in page_text(login_as(world.orderer).get("/katalog?q=kulepenn"))
    page = page_text(buyer.get(response.headers["Location"]))
    assert ("Endringer mot publisert versjon: 1 nye, 0 med ny pris, 0 med nytt navn, 3 forsvinner." in page)
    assert "Forsvinner: 3" in page and "PEN-1 – Kulepenn blå" in page and "TUS-1 – Tusj svart" in page
    # publishing without both confirmations is refused; the live version stays
    publish = response.headers["Location"].replace("/utkast", "/publiser")
    assert buyer.post(publish, data={}).status_code == 400
    assert buyer.post(publish, data={"confirm": "y"}).status_code == 400
    assert live(store) == (1, {"KP-100", "PEN-1", "FAR-1"})


def test_publish_a_full_file_then_restore_the_previous_version(world, login_as, store):
    buyer = login_as(central_buyer(store, world))
    upload(buyer, world, PARTIAL)  # version 2, left as a draft
    response = upload(buyer, world, FULL)  # version 3
    draft = response.headers["Location"]
    page = page_text(buyer.get(draft))
    assert "Endringer mot publisert versjon: 1 nye, 1 med ny pris, 1 med nytt navn, 0 forsvinner." in page
    assert "«Kulepenn blå» → «Kulepenn blå medium»" in page
    assert "linje 5: enhet «stk» er tolket som EA (stykk)" in page
    assert 'name="confirm_retire"' not in page  # nothing disappears: one confirmation is enough
    assert buyer.post(draft.replace("/utkast", "/publiser"), data={"confirm": "y"}).status_code == 302
    assert live(store) == (3, {"KP-100", "PEN-1", "FAR-1", "TUS-1"})
    orderer = login_as(world.orderer)
    assert "Tusj svart" in page_text(orderer.get("/katalog?q=tusj"))

    history = page_text(buyer.get(f"/forvaltning/avtaler/{world.agreement.id}/versjoner"))
    assert "Publiser versjon 1 igjen" in history
    assert buyer.post(f"/forvaltning/avtaler/{world.agreement.id}/gjenopprett").status_code == 302
    assert live(store) == (1, {"KP-100", "PEN-1", "FAR-1"})
    assert "Tusj svart" not in page_text(orderer.get("/katalog?q=tusj"))
    # and back again: the previous version is now 3
    assert buyer.post(f"/forvaltning/avtaler/{world.agreement.id}/gjenopprett").status_code == 302
    assert live(store)[0] == 3
    actions = list(store.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["catalogue_draft", "catalogue_draft", "catalogue_published", "catalogue_restored",
                       "catalogue_restored"]


def cli(app, tmp_path, text: str, *args: str):
    path = tmp_path / "katalog.csv"
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["catalogue", "import", "--agreement", "RA-2025-1", *args, str(path)])


def test_the_command_line_also_makes_a_draft_and_publishes_it_separately(app, world, store, tmp_path):
    result = cli(app, tmp_path, PARTIAL)
    assert result.exit_code == 0, result.output
    assert "versjon 2 (draft)" in result.output and "3 forsvinner" in result.output
    assert live(store) == (1, {"KP-100", "PEN-1", "FAR-1"})
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["catalogue", "publish", "--agreement", "RA-2025-1", "--version", "2"])
    assert refused.exit_code != 0 and "3 varer" in refused.output and "--confirm-discontinue" in refused.output
    assert live(store)[0] == 1
    done = runner.invoke(args=["catalogue", "publish", "--agreement", "RA-2025-1", "--version", "2",
                               "--confirm-discontinue"])
    assert done.exit_code == 0, done.output
    assert live(store) == (2, {"TUS-1"})
    back = runner.invoke(args=["catalogue", "restore", "--agreement", "RA-2025-1"])
    assert back.exit_code == 0 and "Versjon 1 er publisert igjen" in back.output
    assert live(store) == (1, {"KP-100", "PEN-1", "FAR-1"})


BAD_UNIT = CSV_HEAD + "TUS-1;Tusj svart;;44121708;XYZ;12\n"
EXPECTED = "linje 2: enhet «XYZ» er ikke kjent"


def test_the_web_page_and_the_command_line_refuse_the_same_unit(app, world, login_as, store, tmp_path):
    response = upload(login_as(central_buyer(store, world)), world, BAD_UNIT)
    assert response.status_code == 400 and EXPECTED in page_text(response)
    result = cli(app, tmp_path, BAD_UNIT)
    assert result.exit_code != 0 and EXPECTED in result.output
    store.expire_all()
    assert store.scalar(select(Catalogue.version).order_by(Catalogue.version.desc()).limit(1)) == 1


def test_known_unit_names_are_mapped_with_a_note_on_both_paths(app, world, login_as, store, tmp_path):
    names = CSV_HEAD + "".join(f"N-{i};Vare {i};;44121708;{unit};1\n"
                               for i, unit in enumerate(["stk", "pk", "esk", "kg", "l", "Pakke", "EA"], start=1))
    result = cli(app, tmp_path, names)
    assert result.exit_code == 0, result.output
    assert "merknad linje 2: enhet «stk» er tolket som EA (stykk)" in result.output
    assert "merknad linje 6: enhet «l» er tolket som LTR (liter)" in result.output
    assert "linje 8" not in result.output  # EA is already a code: no note
    store.expire_all()
    units = dict(store.execute(select(CatalogueItem.supplier_item_id, CatalogueItem.unit_code).join(Catalogue)
                               .where(Catalogue.version == 2)).all())
    assert {k: v for k, v in units.items() if k.startswith("N-")} == {
        "N-1": "EA", "N-2": "XPK", "N-3": "XBX", "N-4": "KGM", "N-5": "LTR", "N-6": "XPK", "N-7": "EA"}
    buyer = login_as(central_buyer(store, world))
    page = page_text(buyer.get(upload(buyer, world, names).headers["Location"]))
    assert "linje 4: enhet «esk» er tolket som XBX (eske)" in page


def test_a_control_character_xml_cannot_carry_is_refused():
    from webshop.catalogue.csv_import import CatalogueImportError, read_bytes

    try:
        read_bytes((CSV_HEAD + "A-1;Papir\x0bA4;;14111507;EA;1\n").encode())
    except CatalogueImportError as exc:
        assert [str(e) for e in exc.errors] == [
            "linje 2: name: Teksten har et tegn som ikke kan brukes (U+000B, tegn nr. 6). Det er "
            "ofte et usynlig kontrolltegn fra kopiering; fjern det og prøv igjen."]
    else:
        raise AssertionError("the control character was accepted")
