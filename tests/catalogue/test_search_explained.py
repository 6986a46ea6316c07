"""Issue 15, search: amounts typed with or without a space, why an item matched, weak matches
below real ones, and a discontinued item pointing to its replacement."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from helpers import page_text

from ehf.profiles import Profile
from webshop.catalogue.models import SynonymGroup


@pytest.fixture
def cleaning(app, world):
    """A second supplier (cleaning and food) in Lia's agreements, with the study's pain points."""
    from webshop.catalogue.csv_import import ItemRow
    from webshop.catalogue.models import Agreement, Supplier
    from webshop.catalogue.publish import import_catalogue
    from webshop.extensions import db
    from webshop.orgs.models import Organisation

    with app.app_context():
        supplier = Supplier(key="renhold", name="Renhold AS", orgnr="974760673", endpoint_id="974760673",
                            profile=Profile.EHF_ORDERING, street="Vaskegata 2", postcode="0150", city="Oslo")
        db.session.add(supplier)
        db.session.flush()
        agreement = Agreement(collaboration_id=world.org.collaboration_id, reference="RA-2025-2", title="Renhold",
                              supplier_id=supplier.id, valid_from=date(2024, 1, 1), valid_to=date(2099, 12, 31),
                              members=[db.session.get(Organisation, world.org.id)])
        db.session.add(agreement)
        db.session.flush()
        rows = [
            ItemRow(1, "GL-M", "Rengjøringshansker gummi M", "Flergangshanske, gul.", "46181504", "PR",
                    Decimal("19.00"), keywords="hanske oppvask gummihanske"),
            ItemRow(2, "ZA-5", "Oppvaskmiddel Zalo 5 l", "Konsentrert håndoppvask.", "47131810", "EA",
                    Decimal("179.00"), keywords="oppvask zalo"),
            ItemRow(3, "KM-05", "Kaffemelk 0,5 l", "", "50131700", "EA", Decimal("14.90")),
            ItemRow(4, "HL-4", "Overstrykningspenn Stabilo Boss 4 farger", "", "44121716", "SET",
                    Decimal("52.00"), keywords="merkepenn markeringspenn"),
            ItemRow(5, "ZA-OLD", "Oppvaskmiddel Zalo 3 l", "", "47131810", "EA", Decimal("120.00"),
                    discontinued=True),
        ]
        import_catalogue(agreement, rows)
        db.session.commit()


def names(html: str) -> list[str]:
    """The item names of a result page, in order."""
    return re.findall(r"<strong>([^<]+)</strong>", html)


def test_an_amount_is_found_with_or_without_a_space(world, cleaning, login_as):
    c = login_as(world.orderer)
    assert names(page_text(c.get("/katalog?q=kopipapir+a4+80g"))) == ["Kopipapir A4 80 g"]
    assert names(page_text(c.get("/katalog?q=kopipapir+a4+80+g"))) == ["Kopipapir A4 80 g"]
    assert names(page_text(c.get("/katalog?q=zalo+5l"))) == ["Oppvaskmiddel Zalo 5 l"]
    assert names(page_text(c.get("/katalog?q=5+liter"))) == ["Oppvaskmiddel Zalo 5 l"]  # not «0,5 l»
    assert names(page_text(c.get("/katalog?q=500ml"))) == ["Kaffemelk 0,5 l"]


def test_the_result_says_which_amount_matched(world, cleaning, login_as):
    html = page_text(login_as(world.orderer).get("/katalog?q=kopipapir+a4+80g"))
    assert "Treff på «80 g» for «80g»" in html


def test_a_synonym_finds_farin_and_says_so_but_no_highlighter(world, cleaning, login_as, store):
    store.add(SynonymGroup(collaboration_id=world.org.collaboration_id, terms="farin, sukker"))
    store.commit()
    html = page_text(login_as(world.orderer).get("/katalog?q=sukker"))
    assert names(html) == ["Farin 1 kg"]  # the highlighter («farger», «markeringspenn») is not a «farin»
    assert "Treff via synonymet «farin» for «sukker»" in html


def test_dishwashing_liquid_ranks_above_rubber_gloves_for_oppvask(world, cleaning, login_as):
    found = names(page_text(login_as(world.orderer).get("/katalog?q=oppvask")))
    assert found.index("Oppvaskmiddel Zalo 5 l") < found.index("Rengjøringshansker gummi M")


def test_a_discontinued_item_links_to_its_replacement(world, cleaning, login_as):
    html = page_text(login_as(world.orderer).get("/katalog?q=zalo+3+l"))
    assert "Oppvaskmiddel Zalo 3 l" in html and "Kan ikke bestilles" in html
    assert re.search(r'<a class="ds-link" href="/katalog\?q=ZA-5"[^>]*>Oppvaskmiddel Zalo 5 l</a>', html)


def test_the_central_buyer_sees_why_too(world, login_as, store):
    from helpers import set_password

    from webshop.orgs.models import Role, RoleAssignment, User

    store.add(SynonymGroup(collaboration_id=world.org.collaboration_id, terms="farin, sukker"))
    buyer = User(email="innkjop@lia.no", name="Ingrid Innkjøp", organisation_id=world.org.id)
    set_password(buyer)
    buyer.roles = [RoleAssignment(role=Role.CENTRAL_BUYER, unit_id=None)]
    store.add(buyer)
    store.commit()
    html = page_text(login_as(buyer).get("/forvaltning/varer?q=sukker"))
    assert "Farin 1 kg" in html and "Treff via synonymet «farin» for «sukker»" in html


def test_a_typo_match_stays_below_a_real_one_even_as_a_favourite(world, cleaning, app):
    """«farin» is a word of «Farin 1 kg» and only a typo of «Marin …»: however hard the favourite
    and the ordered-before boosts push, the typo stays below."""
    from webshop.catalogue.csv_import import ItemRow
    from webshop.catalogue.models import Agreement
    from webshop.catalogue.publish import import_catalogue
    from webshop.catalogue.services import find, load_items
    from webshop.extensions import db
    from webshop.search.index import item_key

    with app.app_context():
        agreement = db.session.scalar(db.select(Agreement).where(Agreement.reference == "RA-2025-2"))
        import_catalogue(agreement, [ItemRow(1, "MA-1", "Marin båtlakk", "", "31211500", "EA", Decimal("99.00"))])
        db.session.commit()
        boost = frozenset({item_key(agreement.id, "MA-1")})
        found, _live = find(world.org.id, "farin", boost_keys=boost)
        names = [i.name for i in load_items([h.item_id for h in found.hits])]
    assert names == ["Farin 1 kg", "Marin båtlakk"]


def test_a_word_the_central_buyer_added_needs_no_explaining(world, login_as, store):
    from webshop.catalogue.models import ItemCuration

    store.add(SynonymGroup(collaboration_id=world.org.collaboration_id, terms="farin, sukker"))
    store.add(ItemCuration(agreement_id=world.agreement.id, supplier_item_id="FAR-1", extra_keywords="brunt sukker"))
    store.commit()
    html = page_text(login_as(world.orderer).get("/katalog?q=sukker"))
    assert "Farin 1 kg" in html and "Treff via synonymet" not in html  # «sukker» is one of its own words now
