"""``flask --app webshop db-backup FILE``, ``db-restore FILE --yes`` and ``export municipality ORG_ID FILE.zip``."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext

from webshop.backup.services import BackupError, backup_database, export_municipality, restore_database


@click.command("db-backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def db_backup_command(path: Path) -> None:
    """Copy the database to PATH while the app runs (SQLite backup API, or pg_dump -Fc)."""
    try:
        method = backup_database(path)
    except (BackupError, sqlite3.Error) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Sikkerhetskopi skrevet til {path} ({method}, {path.stat().st_size} byte).")


@click.command("db-restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Really replace the current database (stop the app and worker first).")
@with_appcontext
def db_restore_command(path: Path, yes: bool) -> None:
    """Replace the database with the backup in PATH (made by db-backup)."""
    if not yes:
        raise click.ClickException("Dette erstatter hele databasen. Stopp app og arbeider, og kjør med --yes.")
    try:
        method = restore_database(path)
    except (BackupError, sqlite3.Error) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Databasen er gjenopprettet fra {path} ({method}).")


export_cli = click.Group("export", help="A copy of one organisation's data.")


@export_cli.command("municipality")
@click.argument("organisation_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_municipality_command(organisation_id: int, path: Path) -> None:
    """Write ORGANISATION_ID's orders, EHF files and audit log to the zip PATH."""
    try:
        counts = export_municipality(organisation_id, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Eksport skrevet til {path}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


COMMANDS = (db_backup_command, db_restore_command, export_cli)
