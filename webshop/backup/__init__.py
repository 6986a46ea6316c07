"""Backups and a municipality's own copy of its data (issue 14).

``flask --app webshop db-backup FILE`` copies the database while the app keeps running:
SQLite through its online backup API (a consistent snapshot, even in WAL mode with writers
busy), PostgreSQL through ``pg_dump -Fc``. ``db-restore FILE --yes`` puts such a copy back
(SQLite: the backup API again; PostgreSQL: ``pg_restore --clean``); stop the app and the
worker first. ``export municipality ORG_ID FILE.zip`` writes one municipality's orders (with
their lines), the EHF files sent and received for them and their audit log, and nothing of
any other municipality; the municipality's coordinator downloads the same zip at
``/admin/eksport``. See docs/deploy.md.
"""
from webshop.backup.cli import COMMANDS

__all__ = ["COMMANDS"]
