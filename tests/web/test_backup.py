"""`flask backup` and `flask restore`: a populated database and its receipts go out and come back exactly."""

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, inspect, select, text

from portal.data.backups import latest_revision
from portal.data.models import Role
from portal.timekeeping import today
from tests.factories import add_services, make_approved_plan, make_helper_for, make_user, oruk_service, tiny_png


@pytest.fixture
def app(app, tmp_path):
    app.config["RECEIPTS_DIR"] = str(tmp_path / "receipts")
    _skip_unless_pg_dump_can_read_the_server(app)
    return app


def _skip_unless_pg_dump_can_read_the_server(app):
    engine = app.extensions["db_engine"]
    if engine.dialect.name != "postgresql":
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed here (apt-get install postgresql-client)")
    client = int(re.search(r"\)\s*(\d+)", subprocess.check_output(["pg_dump", "--version"], text=True)).group(1))
    with engine.connect() as connection:
        server = int(connection.execute(text("SHOW server_version_num")).scalar()) // 10000
    if client < server:
        pytest.skip(f"pg_dump {client} refuses to dump a newer PostgreSQL {server}: install postgresql-client-{server}")


def flask(app, *args, answer=None):
    return app.test_cli_runner().invoke(args=list(args), input=answer)


def every_row(app) -> dict[str, list[tuple]]:
    """Every table the database has (not just the models': FTS and Alembic's too), each in primary-key order."""
    engine = app.extensions["db_engine"]
    metadata = MetaData()
    rows = {}
    with engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            table = Table(name, metadata, autoload_with=connection)
            order = list(table.primary_key.columns) or list(table.columns)
            rows[name] = [tuple(row) for row in connection.execute(select(table).order_by(*order))]
    return rows


def receipt_files(app) -> dict[str, bytes]:
    folder = Path(app.config["RECEIPTS_DIR"])
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())} if folder.exists() else {}


def spend_with_receipt(web, person_id, item_id, content: bytes, name: str):
    day = today()
    web.submit(
        f"/people/{person_id}/budget-account/spending/new",
        {
            "occurred_on": [str(day.day), str(day.month), str(day.year)],
            "payee": "Anytown Home Care Ltd",
            "plan_item": str(item_id),
            "other_reason": "",
            "amount": "120.50",
            "payment_method": "bank transfer",
            "note": "",
            "receipt": (io.BytesIO(content), name),
        },
        status=302,
        content_type="multipart/form-data",
    )


def populate(app, web) -> int:
    """A person with a sent assessment, an approved plan, a helper, spending with two receipts; a directory service."""
    from portal.data import budget_accounts

    person_id, email = make_user(app, Role.PERSON, full_name="Sam Taylor")
    _, helper_email = make_user(app, Role.REPRESENTATIVE, full_name="Alex Taylor")
    make_helper_for(app, email, helper_email)
    make_approved_plan(app, person_id)
    add_services(app, oruk_service("Anytown Swimming Club", description="Swimming for everyone."))
    web.sign_in(email)
    web.get(f"/people/{person_id}/budget-account")  # the first payment, due the day the plan starts, goes in
    with app.app_context():
        item_id = budget_accounts.account_for(person_id).plan.items[0].id
    spend_with_receipt(web, person_id, item_id, tiny_png(), "till receipt.png")
    spend_with_receipt(web, person_id, item_id, tiny_png() + b"trailing bytes", "second.png")
    return person_id


def change_everything(app, web, person_id):
    make_user(app, Role.PERSON, full_name="Someone New")
    with app.extensions["db_engine"].begin() as connection:
        connection.execute(text("UPDATE users SET full_name = 'Changed' WHERE id = :id"), {"id": person_id})
        connection.execute(text("DELETE FROM outbox_messages"))
    receipts = Path(app.config["RECEIPTS_DIR"])
    sorted(receipts.iterdir())[0].unlink()
    (receipts / "not-in-the-backup").write_bytes(b"new since")


def the_backup(folder: Path) -> Path:
    [made] = [path for path in folder.iterdir() if path.name.startswith("backup-")]
    return made


def test_restore_brings_back_every_row_of_every_table_and_every_receipt(app, web, tmp_path):
    person_id = populate(app, web)
    tables, receipts = every_row(app), receipt_files(app)
    assert len(receipts) == 2
    assert all(tables[name] for name in ("users", "assessments", "support_plans", "ledger_entries", "receipts"))

    made = flask(app, "backup", "--to", str(tmp_path / "backups"))
    assert made.exit_code == 0, made.output
    assert "and 2 receipts" in made.output
    change_everything(app, web, person_id)
    assert every_row(app) != tables and receipt_files(app) != receipts

    restored = flask(app, "restore", str(the_backup(tmp_path / "backups")), "--yes")
    assert restored.exit_code == 0, restored.output
    assert "Restored the database and the receipts." in restored.output
    assert every_row(app) == tables
    assert receipt_files(app) == receipts
    type(web)(app.test_client()).sign_in(_email_of(app, person_id))  # and the portal works on it


def _email_of(app, person_id):
    from portal.data.accounts import get_user

    with app.app_context():
        return get_user(person_id).email


def test_the_manifest_lists_every_file_with_its_checksum(app, web, tmp_path):
    import hashlib

    populate(app, web)
    assert flask(app, "backup", "--to", str(tmp_path)).exit_code == 0
    folder = the_backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    kind = app.extensions["db_engine"].dialect.name
    assert manifest["database"] == {
        "kind": kind,
        "file": {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[kind],
        "alembic_revision": latest_revision(app.config["DATABASE_URL"]),
    }
    assert manifest["receipts"] == {"folder": "receipts", "count": 2}
    on_disk = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and path.name != "manifest.json"
    }
    assert manifest["files"] == {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)} for name, data in on_disk.items()
    }
    assert folder.stat().st_mode & 0o077 == 0  # personal data: readable by the account that made it alone


def test_a_backup_taken_mid_transaction_holds_only_what_was_committed(app, web, tmp_path):
    person_id = populate(app, web)
    tables = every_row(app)
    with app.extensions["db_engine"].connect() as writer:
        writer.begin()
        writer.execute(text("UPDATE users SET full_name = 'Not yet saved' WHERE id = :id"), {"id": person_id})
        made = flask(app, "backup", "--to", str(tmp_path / "backups"))  # while the portal is mid-write
        writer.rollback()
    assert made.exit_code == 0, made.output
    change_everything(app, web, person_id)
    assert flask(app, "restore", str(the_backup(tmp_path / "backups")), "--yes").exit_code == 0
    assert every_row(app) == tables


def _damage_a_receipt(folder: Path):
    receipt = sorted((folder / "receipts").iterdir())[0]
    receipt.write_bytes(receipt.read_bytes()[:-1] + b"\x00")


def _damage_the_database(folder: Path):
    database = next(folder.glob("database.*"))
    content = bytearray(database.read_bytes())
    content[len(content) // 2] ^= 0xFF
    database.write_bytes(bytes(content))


def _lose_a_receipt(folder: Path):
    sorted((folder / "receipts").iterdir())[0].unlink()


def _lose_the_manifest(folder: Path):
    (folder / "manifest.json").unlink()


def _garble_the_manifest(folder: Path):
    (folder / "manifest.json").write_text('{"format": 1, "made_at": ')


def _from_a_newer_portal(folder: Path):
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["database"]["alembic_revision"] = "0099_from_the_future"
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _reach_outside_the_backup(folder: Path):
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["../../etc/passwd"] = {"sha256": "0" * 64, "bytes": 0}
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_damage_a_receipt, "does not match its checksum, so this backup is damaged"),
        (_damage_the_database, "does not match its checksum, so this backup is damaged"),
        (_lose_a_receipt, "is missing, so this backup is incomplete"),
        (_lose_the_manifest, "not a backup made by `flask backup` (manifest.json is missing)"),
        (_garble_the_manifest, "manifest.json is damaged"),
        (_from_a_newer_portal, "made by a newer version of the portal (database schema 0099_from_the_future)"),
        (_reach_outside_the_backup, "it names a file outside the backup"),
    ],
)
def test_a_damaged_backup_is_refused_and_nothing_changes(app, web, tmp_path, damage, message):
    person_id = populate(app, web)
    assert flask(app, "backup", "--to", str(tmp_path / "backups")).exit_code == 0
    folder = the_backup(tmp_path / "backups")
    damage(folder)
    change_everything(app, web, person_id)
    tables, receipts = every_row(app), receipt_files(app)

    refused = flask(app, "restore", str(folder), "--yes")
    assert refused.exit_code == 1
    assert message in refused.output and "Nothing was changed." in refused.output
    assert every_row(app) == tables
    assert receipt_files(app) == receipts


def test_a_restore_that_cannot_have_the_database_gives_up_and_changes_nothing(app, web, tmp_path):
    from sqlalchemy import create_engine

    person_id = populate(app, web)
    assert flask(app, "backup", "--to", str(tmp_path / "backups")).exit_code == 0
    change_everything(app, web, person_id)
    tables, receipts = every_row(app), receipt_files(app)

    # Someone else mid-write (a portal left running): SQLite stays busy, PostgreSQL holds its locks.
    elsewhere = create_engine(app.config["DATABASE_URL"])
    try:
        with elsewhere.connect() as writer:
            writer.begin()
            writer.execute(text("UPDATE users SET full_name = full_name"))
            refused = flask(app, "restore", str(the_backup(tmp_path / "backups")), "--yes")
            writer.rollback()
    finally:
        elsewhere.dispose()
    assert refused.exit_code == 1
    assert "busy" in refused.output
    assert "Nothing was changed." in refused.output
    assert every_row(app) == tables
    assert receipt_files(app) == receipts
    assert sorted(path.name for path in tmp_path.iterdir()) == ["backups", "receipts"]  # the staged copy is gone


def test_a_missing_backup_folder_is_refused(app, tmp_path):
    refused = flask(app, "restore", str(tmp_path / "no-such-backup"), "--yes")
    assert refused.exit_code == 1
    assert "there is no backup folder here" in refused.output


def test_restore_asks_first_and_answering_no_changes_nothing(app, web, tmp_path):
    person_id = populate(app, web)
    assert flask(app, "backup", "--to", str(tmp_path / "backups")).exit_code == 0
    change_everything(app, web, person_id)
    tables, receipts = every_row(app), receipt_files(app)

    declined = flask(app, "restore", str(the_backup(tmp_path / "backups")), answer="n\n")
    assert "Replace everything in the database" in declined.output
    assert declined.exit_code == 1
    assert every_row(app) == tables
    assert receipt_files(app) == receipts
