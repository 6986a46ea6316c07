"""The demo collaboration loads through the real services and every approved
demo order leaves a valid EHF file in the outbox."""
from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from click.testing import Result
from helpers import outbox_files
from sqlalchemy import func, select

from ehf import validate
from ehf.findings import Flag
from webshop.catalogue.models import CatalogueItem, ItemNumber
from webshop.orders.models import Order, OrderDocument
from webshop.orgs.models import Organisation, Role, RoleAssignment, User


def run(app, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def demo(seeded_demo: str) -> SimpleNamespace:
    """What `flask seed demo` stored and printed (run once per session; tests/conftest.py seeded_demo)."""
    return SimpleNamespace(output=seeded_demo)


def test_demo_has_every_role_and_prints_the_accounts(demo, store):
    assert store.scalar(select(func.count()).select_from(Organisation)) == 3
    roles = set(store.scalars(select(RoleAssignment.role)))
    assert roles == set(Role)
    users = list(store.scalars(select(User)))
    assert len(users) >= 15
    for user in users:  # every account is printed with its password
        assert user.email in demo.output
    assert "Demo-" in demo.output


def test_demo_orders_in_every_status_with_valid_ehf_in_the_outbox(app, demo, store):
    statuses = Counter(store.scalars(select(Order.status)))
    assert {"pending_approval", "rejected", "sent"} <= set(statuses)
    documents = list(store.scalars(select(OrderDocument)))
    assert len(documents) == statuses["sent"] + statuses["approved"] > 0
    files = outbox_files(app)
    assert len(files) == statuses["sent"]
    for path in files:
        findings = validate(path.read_bytes())
        assert [f for f in findings if f.flag is Flag.FATAL] == [], path.name


def test_demo_catalogue_has_the_study_pain_points(demo, store):
    farin = store.scalar(select(CatalogueItem).where(CatalogueItem.name.like("Farin%")))
    assert farin is not None and "sukker" not in (farin.name + farin.description + farin.keywords).lower()
    assert store.scalar(select(func.count()).select_from(ItemNumber)) >= 5
    assert store.scalar(select(func.count()).where(CatalogueItem.discontinued.is_(True))) >= 3
    assert store.scalar(select(func.count()).select_from(CatalogueItem)) >= 300


def test_seeding_again_is_a_no_op(app, demo, store):
    before = store.scalar(select(func.count()).select_from(Order))
    again = run(app, "seed", "demo")
    assert again.exit_code == 0, again.output
    assert store.scalar(select(func.count()).select_from(Order)) == before


def test_a_database_with_other_data_is_refused_unless_reset(app, world, store):
    refused = run(app, "seed", "demo")
    assert refused.exit_code != 0
    assert "--reset" in refused.output
    assert store.scalar(select(func.count()).select_from(Organisation)) == 2
    reset = run(app, "seed", "demo", "--reset")
    assert reset.exit_code == 0, reset.output
    store.expire_all()
    assert store.scalar(select(func.count()).where(Organisation.name == "Lia kommune")) == 0


def test_ehf_export_prints_the_stored_xml(app, demo, store):
    document = store.scalar(select(OrderDocument).limit(1))
    result = run(app, "ehf", "export", str(document.order_id))
    assert result.exit_code == 0
    assert result.stdout_bytes == document.xml
    missing = run(app, "ehf", "export", "999999")
    assert missing.exit_code != 0 and "ingen EHF-melding" in missing.output
