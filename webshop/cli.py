"""Command-line tools: `flask --app webshop seed demo`, `catalogue import`, `ehf export`."""
from __future__ import annotations

import sys
from collections.abc import Iterator

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from webshop import backup
from webshop.approvals.reminders import approvals_cli
from webshop.auth.tokens import create_token
from webshop.catalogue.csv_import import CatalogueImportError, ItemRow
from webshop.catalogue.models import Agreement, Catalogue, CatalogueStatus
from webshop.catalogue.publish import MassDiscontinueError, import_catalogue
from webshop.catalogue.versions import (
    Changes,
    VersionError,
    create_draft,
    draft_changes,
    publish_draft,
    restore_previous,
    rows_from_path,
)
from webshop.delivery.worker import worker_command
from webshop.extensions import db
from webshop.health.cli import health_cli
from webshop.lab.cli import lab_cli
from webshop.orders.models import OrderDocument
from webshop.orgs.models import User
from webshop.supplier.retention import inbound_cli

seed_cli = AppGroup("seed", help="Demo and training data.")
catalogue_cli = AppGroup("catalogue", help="Catalogue import and publishing.")
ehf_cli = AppGroup("ehf", help="EHF messages.")


@seed_cli.command("demo")
@click.option("--reset", is_flag=True, help="Delete all data first (refused otherwise on a non-empty database).")
def seed_demo(reset: bool) -> None:
    """Load the demo collaboration, its users, catalogues and orders."""
    from seed.loader import SeedError, load_demo  # lazy: the demo data (and its builders) load only for this command

    try:
        result = load_demo(reset=reset)
    except SeedError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Demodata for {result.collaboration} er klare ({result.orders} ordrer).")
    print_accounts(result.accounts)


def print_accounts(accounts: list[tuple[str, str, str, str]]) -> None:
    click.echo("Demobrukere (e-post / passord / roller):")
    for email, password, name, roles in accounts:
        click.echo(f"  {email:45} {password:22} {name} – {roles}")


@catalogue_cli.command("import")
@click.option("--agreement", "reference", required=True, help="Framework agreement reference, e.g. IVF-2024-012.")
@click.option("--publish", "publish_now", is_flag=True,
              help="Publish at once instead of leaving a draft (refused when many live items would be retired).")
@click.option("--draft", is_flag=True, hidden=True, help="Kept for old scripts: a draft is the default now.")
@click.option("--confirm-discontinue", is_flag=True,
              help="With --publish: publish even when the file would retire a large share of the live items.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def catalogue_import(reference: str, publish_now: bool, draft: bool, confirm_discontinue: bool, path: str) -> None:
    """Import a catalogue file (CSV or EHF XML) as a draft version of the agreement's catalogue.

    The file is checked exactly as an upload on the web page is. The draft changes nothing for orderers;
    `flask catalogue publish` (or the draft page) publishes it.
    """
    agreement = _agreement(reference)
    counted = [0]

    def rows() -> Iterator[ItemRow]:  # streamed: a million rows never sit in memory at once
        for row in rows_from_path(path):
            counted[0] += 1
            yield row

    try:
        if publish_now and not draft:
            catalogue = import_catalogue(agreement, rows(), publish=True, confirm_discontinue=confirm_discontinue)
        else:
            catalogue = create_draft(agreement, rows(), by=None)
    except MassDiscontinueError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc} Kjør på nytt med --confirm-discontinue for å importere likevel.") from None
    except CatalogueImportError as exc:
        db.session.rollback()
        for error in exc.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(f"{len(exc.errors)} feil; ingenting er importert.") from None
    db.session.commit()
    click.echo(f"{counted[0]} varer importert som versjon {catalogue.version} ({catalogue.status}).")
    if catalogue.status == CatalogueStatus.DRAFT:
        for note in (catalogue.import_notes or "").splitlines():
            click.echo(f"  merknad {note}")
        click.echo(_changes_line(draft_changes(catalogue)))
        click.echo(f"Publiser med: flask --app webshop catalogue publish --agreement {reference} "
                   f"--version {catalogue.version}")


def _agreement(reference: str) -> Agreement:
    agreement = db.session.scalar(select(Agreement).where(Agreement.reference == reference))
    if agreement is None:
        raise click.ClickException(f"Fant ingen avtale med referanse {reference}.")
    return agreement


def _changes_line(changes: Changes) -> str:
    c = changes.counts
    return (f"Endringer mot publisert versjon: {c['new']} nye, {c['price']} med ny pris, {c['renamed']} med nytt "
            f"navn, {c['disappearing']} forsvinner.")


@catalogue_cli.command("publish")
@click.option("--agreement", "reference", required=True, help="Framework agreement reference.")
@click.option("--version", "version", type=int, required=True, help="The draft version to publish.")
@click.option("--confirm-discontinue", is_flag=True, help="Needed when the draft would retire live items.")
def catalogue_publish(reference: str, version: int, confirm_discontinue: bool) -> None:
    """Publish a draft version (it replaces the live version for every member municipality)."""
    agreement = _agreement(reference)
    draft_version = db.session.scalar(select(Catalogue).where(Catalogue.agreement_id == agreement.id,
                                                              Catalogue.version == version))
    if draft_version is None:
        raise click.ClickException(f"{reference} har ingen versjon {version}.")
    try:
        changes = publish_draft(draft_version, by=None, confirmed=True, retire_confirmed=confirm_discontinue)
    except VersionError as exc:
        db.session.rollback()
        hint = " Kjør på nytt med --confirm-discontinue." if "utgått" in str(exc) else ""
        raise click.ClickException(f"{exc}{hint}") from None
    db.session.commit()
    click.echo(f"Versjon {version} er publisert. {_changes_line(changes)}")


@catalogue_cli.command("restore")
@click.option("--agreement", "reference", required=True, help="Framework agreement reference.")
def catalogue_restore(reference: str) -> None:
    """Publish the previous version again (the live one is withdrawn)."""
    agreement = _agreement(reference)
    try:
        restored = restore_previous(agreement, by=None)
    except VersionError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Versjon {restored.version} er publisert igjen.")


token_cli = AppGroup("token", help="Personal API tokens.")


@token_cli.command("create")
@click.argument("email")
@click.option("--name", default="CLI", help="A name to tell the token apart on the profile page.")
def token_create(email: str, name: str) -> None:
    """Create an API token for EMAIL; the token is printed on the last line."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"Fant ingen bruker med e-post {email}.")
    _, text = create_token(user, name)
    db.session.commit()
    click.echo(f"API-nøkkel for {user.email} (vises bare nå):")
    click.echo(text)


@ehf_cli.command("export")
@click.argument("order_id", type=int)
def ehf_export(order_id: int) -> None:
    """Print the EHF order XML stored for ORDER_ID."""
    document = db.session.scalar(
        select(OrderDocument).where(OrderDocument.order_id == order_id).order_by(OrderDocument.id.desc())
    )
    if document is None:
        raise click.ClickException(f"Ordre {order_id} har ingen EHF-melding (ikke godkjent ennå?).")
    sys.stdout.buffer.write(document.xml)


def register_cli(app: Flask) -> None:
    for group in (seed_cli, catalogue_cli, ehf_cli, approvals_cli, token_cli):
        app.cli.add_command(group)
    app.cli.add_command(worker_command)
    app.cli.add_command(lab_cli)  # `flask lab create FILE.toml`: a training course (issue 12)
    app.cli.add_command(inbound_cli)  # `flask inbound purge`: raw inbound XML past its retention period
    app.cli.add_command(health_cli)  # `flask health check`: the /readyz checks (the worker's container health)
    for command in backup.COMMANDS:  # `flask db-backup FILE`, `db-restore FILE --yes`, `export municipality ID FILE`
        app.cli.add_command(command)
