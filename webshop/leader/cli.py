"""`flask spend import FILE --organisation KEY` (an accounting export, all rows or none) and
`flask spend rebuild` (the monthly cells of every municipality, e.g. after the migration)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from webshop.extensions import db
from webshop.leader import services
from webshop.leader.rules import SpendFileInvalid
from webshop.orgs.models import Organisation


@click.command("import")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organisation", "organisation_key", required=True,
              help="The municipality's key (organisations.key) or organisation number.")
def import_command(file: Path, organisation_key: str) -> None:
    """Import FILE (CSV from the accounting system) for one municipality; exit 1 and list every bad row."""
    organisation = db.session.scalar(select(Organisation).where(
        (Organisation.key == organisation_key) | (Organisation.orgnr == organisation_key)))
    if organisation is None:
        raise click.ClickException(f"No organisation {organisation_key!r}.")
    try:
        record = services.import_spend(organisation, file.read_bytes(), file.name, by=None)
    except SpendFileInvalid as exc:
        db.session.rollback()
        for error in exc.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(f"Nothing imported: {len(exc.errors)} bad row(s).") from exc
    except services.LeaderError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Imported {record.rows} rows ({record.total} NOK) for {organisation.name}.")


@click.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Sum the leader's monthly cells again for every municipality (after the migration, or a restore)."""
    for organisation in db.session.scalars(select(Organisation).where(Organisation.is_sandbox.is_(False))):
        services.rebuild_order_months(organisation.id)
        services.refresh_spend_months(organisation.id)
        db.session.commit()
        click.echo(f"{organisation.name}: monthly figures rebuilt.")
