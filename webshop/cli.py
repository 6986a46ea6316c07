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
from webshop.catalogue.csv_import import CatalogueImportError, ItemRow, iter_file
from webshop.catalogue.ehf_import import read_ehf_catalogue
from webshop.catalogue.models import Agreement
from webshop.catalogue.publish import MassDiscontinueError, import_catalogue
from webshop.delivery.worker import worker_command
from webshop.extensions import db
from webshop.health.cli import health_cli
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
@click.option("--draft", is_flag=True, help="Store as a draft version without publishing it.")
@click.option("--confirm-discontinue", is_flag=True,
              help="Import even when the file would discontinue a large share of the live items.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def catalogue_import(reference: str, draft: bool, confirm_discontinue: bool, path: str) -> None:
    """Import a catalogue CSV as a new version of the agreement's catalogue."""
    agreement = db.session.scalar(select(Agreement).where(Agreement.reference == reference))
    if agreement is None:
        raise click.ClickException(f"Fant ingen avtale med referanse {reference}.")
    counted = [0]

    def rows() -> Iterator[ItemRow]:  # streamed: a million rows never sit in memory at once
        for row in (_ehf_rows(path) if path.lower().endswith(".xml") else iter_file(path)):
            counted[0] += 1
            yield row

    try:
        catalogue = import_catalogue(agreement, rows(), publish=not draft, confirm_discontinue=confirm_discontinue)
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


def _ehf_rows(path: str) -> Iterator[ItemRow]:
    """EHF / Peppol BIS Catalogue 3 lines as import rows (see webshop.catalogue.ehf_import)."""
    with open(path, "rb") as fh:
        yield from read_ehf_catalogue(fh.read())


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
    app.cli.add_command(inbound_cli)  # `flask inbound purge`: raw inbound XML past its retention period
    app.cli.add_command(health_cli)  # `flask health check`: the /readyz checks (the worker's container health)
    for command in backup.COMMANDS:  # `flask db-backup FILE`, `db-restore FILE --yes`, `export municipality ID FILE`
        app.cli.add_command(command)
