"""``flask --app webshop health check``: the readiness checks from the command line.

For a container without HTTP (the worker's health check in compose.yaml) and for operators.
"""
from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from webshop.health.checks import READINESS, build_missing_indexes

health_cli = AppGroup("health", help="Readiness checks (the same as GET /readyz).")


@health_cli.command("check")
@click.option("--only", "only", multiple=True, type=click.Choice([name for name, _ in READINESS]),
              help="Run only these checks (repeatable).")
def health_check(only: tuple[str, ...]) -> None:
    """Print each check's result as JSON; exit 1 when one fails."""
    results = {name: check() for name, check in READINESS if not only or name in only}
    click.echo(json.dumps({name: r.as_json() for name, r in results.items()}, sort_keys=True))
    failing = [name for name, r in results.items() if not r.ok]
    if failing:
        raise click.ClickException(f"not ready: {', '.join(failing)}")


@health_cli.command("warm")
def health_warm() -> None:
    """Build this machine's missing search indexes from the database (before it joins the load balancer)."""
    click.echo(f"{build_missing_indexes()} søkeindeks(er) bygget.")
