"""Command-line tasks: `flask --app portal.app migrate` and `flask --app portal.app demo-data`."""

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.data.migrate import upgrade


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Bring the database schema up to date."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("Database is up to date.")


@click.command("demo-data")
@with_appcontext
def demo_data_command() -> None:
    """Load the demo accounts (development only)."""
    if not current_app.config["DEMO_DATA"]:
        raise click.ClickException("Demo data is for development only (PORTAL_ENV=development).")
    from portal.data.demo import DEMO_PASSWORD, load_demo_accounts

    for email, created in load_demo_accounts():
        click.echo(f"  {email:<28} {'created' if created else 'already there'}")
    click.echo(f"  Password for every demo account: {DEMO_PASSWORD}")
