"""Command-line tasks: `flask --app portal.app migrate`, `demo-data`, `directory`, `purge-expired-records`,
`backup` and `restore`."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.config import INSTANCE_DIR
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


@click.command("backup")
@click.option(
    "--to",
    "to_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=INSTANCE_DIR / "backups",
    show_default=True,
    help="Folder to write the new backup folder in",
)
@with_appcontext
def backup_command(to_dir: Path) -> None:
    """Copy the database and the receipts into a new, dated folder. Safe while the portal is running."""
    from portal.data import backups

    try:
        made = backups.make_backup(current_app.config["DATABASE_URL"], Path(current_app.config["RECEIPTS_DIR"]), to_dir)
    except backups.BackupError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(
        f"Backup written to {made.folder}: the {made.database_kind} database (schema {made.revision}) "
        f"and {_receipts(len(made.receipt_names))}."
    )


def _receipts(count: int) -> str:
    return f"{count} receipt" if count == 1 else f"{count} receipts"


@click.command("restore")
@click.argument("source", type=click.Path(file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database and the receipts")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Put back a backup made by `flask backup`: the whole database and every receipt. Stop the portal first."""
    from portal.data import backups

    database_url = current_app.config["DATABASE_URL"]
    receipts_dir = Path(current_app.config["RECEIPTS_DIR"])
    try:
        backup = backups.open_backup(source)
        backups.check_restorable(backup, database_url)
    except backups.BackupError as problem:
        raise click.ClickException(f"{problem} Nothing was changed.") from None
    click.echo(
        f"{source} is a complete backup from {backup.made_at}: the {backup.database_kind} database "
        f"(schema {backup.revision}) and {_receipts(len(backup.receipt_names))}."
    )
    if not yes:
        click.confirm(
            f"Replace everything in the database and in {receipts_dir} with this backup? "
            "Anything saved since it was made will be lost",
            abort=True,
        )
    current_app.extensions["db_engine"].dispose()  # a pooled connection would hold the old database open
    try:
        backups.restore(backup, database_url, receipts_dir)
    except backups.BackupError as problem:
        raise click.ClickException(f"{problem} Nothing was changed.") from None
    except backups.ReceiptsNotSwapped as problem:
        raise click.ClickException(str(problem)) from None
    click.echo("Restored the database and the receipts.")
    if backup.revision != backups.latest_revision(database_url):
        click.echo("The backup's database schema is older than this version's: run `flask migrate` next.")


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
