"""Command-line tasks: `flask --app portal.app migrate`, `demo-data`, `directory`, `purge-expired-records`."""

import json
from pathlib import Path

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


@click.command("purge-expired-records")
@with_appcontext
def purge_expired_records_command() -> None:
    """Delete what closed accounts kept once its retention date has passed (run daily, from cron or a timer)."""
    from portal import timekeeping
    from portal.data.data_rights import purge_expired_records

    purged = purge_expired_records(timekeeping.today())
    for record, count in sorted(purged.deleted.items()):
        click.echo(f"  {record.value:<20} {count} deleted")
    total = sum(purged.deleted.values())
    click.echo(f"{total} records and {purged.files} files deleted; {purged.accounts_removed} closed accounts removed.")


@click.group("directory")
def directory_command() -> None:
    """The service directory: import and export Open Referral UK 3.0 JSON."""


@directory_command.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_directory(path: Path) -> None:
    """Check every service in PATH against ORUK 3.0, then add or update them all, or none."""
    from portal.data.directory import upsert_services
    from portal.oruk.validate import read_services

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{path}: not UTF-8 text. Save the file as UTF-8 and try again.") from None
    records, problems = read_services(text)
    if problems:
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(f"{path}: {len(problems)} problem(s) found; nothing was imported.")
    added, updated = upsert_services(records)
    click.echo(f"{path}: {added} services added, {updated} updated.")


@directory_command.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout)")
@with_appcontext
def export_directory(output: Path | None) -> None:
    """Write every service as ORUK 3.0 JSON: a list of fully nested services."""
    from portal.data.directory import all_records

    text = json.dumps(all_records(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{output}: {text.count(chr(10))} lines written.", err=True)
