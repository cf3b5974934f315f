"""`flask backup` and `flask restore`: a consistent copy of the database and the receipts, and a checked way back.

A backup is a folder: the database (SQLite's online backup, or `pg_dump --format=custom`), a copy of the receipts
folder, and manifest.json listing every file with its sha256. Restoring checks every file first, so a damaged or
incomplete backup is refused before anything changes.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from portal.data.migrate import alembic_config

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
RECEIPTS = "receipts"
# How long a backup or restore waits for a transaction in progress before giving up, rather than hanging.
LOCK_WAIT_MS = 5000


class BackupError(Exception):
    """The backup or restore stopped; the message says why and what to do. Nothing was changed."""


class ReceiptsNotSwapped(Exception):
    """The database was restored but the receipts folder was not swapped in: the message says how to finish."""


@dataclass(frozen=True)
class Backup:
    folder: Path
    made_at: str
    database_kind: str
    revision: str | None
    files: dict[str, str]  # path inside the backup → sha256

    @property
    def receipt_names(self) -> list[str]:
        return sorted(PurePosixPath(name).name for name in self.files if name.startswith(f"{RECEIPTS}/"))


# ---- making a backup ---------------------------------------------------------------------------------------------


def make_backup(database_url: str, receipts_dir: Path, to_dir: Path) -> Backup:
    """Write a new backup folder in `to_dir`, whole or not at all (it is built under a hidden name, then renamed)."""
    kind = _kind(database_url)
    made_at = datetime.now(UTC).replace(microsecond=0)
    try:
        to_dir.mkdir(parents=True, exist_ok=True)
        # mkdtemp makes it 0700: the backup holds health and money records, for the account that made it only.
        building = Path(tempfile.mkdtemp(prefix=".backup-", suffix=".part", dir=to_dir))
    except OSError as problem:
        raise BackupError(f"Could not write a backup in {to_dir}: {problem}.") from None
    try:
        database_file = building / DATABASE_FILES[kind]
        if kind == "sqlite":
            _snapshot_sqlite(database_url, database_file)
            revision = _revision(f"sqlite:///{database_file}")
        else:
            revision = _revision(database_url)  # read just before the dump: migrations do not run during backups
            _dump_postgresql(database_url, database_file)
        # After the database: a receipt is written before its row, so every row in the snapshot has its file.
        _copy_receipts(receipts_dir, building / RECEIPTS)
        written = sorted(path for path in building.rglob("*") if path.is_file())
        files = {path.relative_to(building).as_posix(): _sha256(path) for path in written}
        manifest = {
            "format": FORMAT,
            "made_at": made_at.isoformat().replace("+00:00", "Z"),
            "database": {"kind": kind, "file": DATABASE_FILES[kind], "alembic_revision": revision},
            "receipts": {"folder": RECEIPTS, "count": sum(name.startswith(f"{RECEIPTS}/") for name in files)},
            "files": {name: {"sha256": files[name], "bytes": (building / name).stat().st_size} for name in files},
        }
        (building / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        folder = _free_name(to_dir, "backup-" + made_at.strftime("%Y%m%dT%H%M%SZ"))
        building.rename(folder)
    except (OSError, sqlite3.Error, SQLAlchemyError) as problem:
        shutil.rmtree(building, ignore_errors=True)
        raise BackupError(f"The backup stopped: {problem}. No backup was written.") from None
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Backup(folder, manifest["made_at"], kind, revision, files)


def _snapshot_sqlite(database_url: str, target: Path) -> None:
    live = _sqlite_path(database_url)
    if not live.is_file():
        raise BackupError(f"There is no database at {live} to back up.")
    # mode=rw: never create an empty database where the real one was expected.
    source = sqlite3.connect(f"{live.resolve().as_uri()}?mode=rw", uri=True, timeout=LOCK_WAIT_MS / 1000)
    with closing(source), closing(sqlite3.connect(target)) as copy:
        # One step (pages=-1) reads under one read transaction: a consistent snapshot, WAL included, while
        # the portal goes on writing.
        source.backup(copy, pages=-1, progress=_give_up_when_busy())
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it


def _give_up_when_busy():
    """Python's backup() retries a busy database for ever; a progress callback that raises is the only way out."""
    deadline = time.monotonic() + LOCK_WAIT_MS / 1000

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise sqlite3.OperationalError("the database is busy: another program is writing to it")

    return progress


def _dump_postgresql(database_url: str, target: Path) -> None:
    url, env = _libpq(database_url)
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--lock-wait-timeout={LOCK_WAIT_MS}",  # behind a migration's lock: give up, not hang
            f"--file={target}",
            f"--dbname={url}",
        ],
        env,
    )


def _copy_receipts(receipts_dir: Path, target: Path) -> None:
    target.mkdir()
    if not receipts_dir.is_dir():
        return
    for path in sorted(receipts_dir.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue  # a receipt still being written (".name.part"): its row is not in the snapshot either
        try:
            shutil.copyfile(path, target / path.name)
        except FileNotFoundError:
            continue  # deleted (retention) since the snapshot, so no row refers to it


def _free_name(parent: Path, name: str) -> Path:
    candidate, number = parent / name, 1
    while candidate.exists():
        number += 1
        candidate = parent / f"{name}-{number}"
    return candidate


# ---- reading one back --------------------------------------------------------------------------------------------


def open_backup(folder: Path) -> Backup:
    """Read the manifest and check every file it lists against its sha256."""
    manifest_path = folder / MANIFEST
    if not folder.is_dir():
        raise BackupError(f"{folder}: there is no backup folder here.")
    if not manifest_path.is_file():
        raise BackupError(f"{folder}: not a backup made by `flask backup` ({MANIFEST} is missing).")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        made_at, database, listed = manifest["made_at"], manifest["database"], manifest["files"]
        kind, revision = database["kind"], database["alembic_revision"]
        files = {name: entry["sha256"] for name, entry in listed.items()}
        form = manifest["format"]
    except (ValueError, KeyError, TypeError, AttributeError) as problem:
        raise BackupError(f"{manifest_path} is damaged ({problem!r}); this backup cannot be used.") from None
    if form != FORMAT:
        raise BackupError(f"{folder}: backup format {form} is not one this version of the portal can read.")
    if kind not in DATABASE_FILES or DATABASE_FILES[kind] not in files:
        raise BackupError(f"{manifest_path} is damaged: it lists no database file.")
    for name, expected in files.items():
        _check_file(folder, name, expected)
    return Backup(folder, made_at, kind, revision, files)


def _check_file(folder: Path, name: str, expected: str) -> None:
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        raise BackupError(f"{folder / MANIFEST} is damaged: it names a file outside the backup ({name}).")
    path = folder.joinpath(*parts)
    if not path.is_file():
        raise BackupError(f"{folder}: {name} is missing, so this backup is incomplete.")
    if _sha256(path) != expected:
        raise BackupError(f"{folder}: {name} does not match its checksum, so this backup is damaged.")


def check_restorable(backup: Backup, database_url: str) -> None:
    """Refuse a backup of the other kind of database, or one from a schema this code does not know."""
    kind = _kind(database_url)
    if backup.database_kind != kind:
        raise BackupError(
            f"This backup is of a {backup.database_kind} database, but DATABASE_URL is a {kind} one. "
            "Restore it into the same kind of database it came from."
        )
    if backup.revision is not None and backup.revision not in known_revisions(database_url):
        raise BackupError(
            f"This backup was made by a newer version of the portal (database schema {backup.revision}), which "
            "this version does not know. Restore it with the version that made it, or a later one."
        )


def known_revisions(database_url: str) -> set[str]:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    return {revision.revision for revision in script.walk_revisions()}


def latest_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


# ---- restoring ---------------------------------------------------------------------------------------------------


def restore(backup: Backup, database_url: str, receipts_dir: Path) -> None:
    """Receipts into a folder beside the real one; then the database; then the folders swapped.

    If the database cannot be restored, the new receipts folder is removed and nothing has changed. The caller
    closes its own connections first (a pooled connection would hold the old database open).
    """
    try:
        receipts_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{receipts_dir.name}.restoring-", dir=receipts_dir.parent))
    except OSError as problem:
        raise BackupError(f"Could not make a folder beside {receipts_dir} for the receipts: {problem}.") from None
    try:
        for name in backup.receipt_names:
            shutil.copyfile(backup.folder / RECEIPTS / name, staging / name)
        database_file = backup.folder / DATABASE_FILES[backup.database_kind]
        if backup.database_kind == "sqlite":
            _restore_sqlite(database_file, database_url)
        else:
            _restore_postgresql(database_file, database_url)
    except (OSError, sqlite3.Error, SQLAlchemyError) as problem:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"The restore stopped: {problem}.") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        _swap_in(staging, receipts_dir)
    except OSError as problem:
        raise ReceiptsNotSwapped(
            f"The database was restored, but the receipts could not be put in place ({problem}). "
            f"The restored receipts are in {staging}: move that folder to {receipts_dir}."
        ) from None


def _restore_sqlite(snapshot: Path, database_url: str) -> None:
    target = _sqlite_path(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"{snapshot.resolve().as_uri()}?mode=ro", uri=True)
    with closing(source), closing(sqlite3.connect(target, timeout=LOCK_WAIT_MS / 1000)) as live:
        # One step, in one write transaction on the target: it is all replaced, or (on any error) not at all.
        # A WAL target stays in WAL mode (SQLite's backup keeps the destination's journal mode).
        source.backup(live, pages=-1, progress=_give_up_when_busy())


def _restore_postgresql(dump: Path, database_url: str) -> None:
    _refuse_if_postgresql_is_busy(database_url)
    url, env = _libpq(database_url)
    # --single-transaction: a failure part-way leaves the database exactly as it was.
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={url}",
            str(dump),
        ],
        env,
    )


def _refuse_if_postgresql_is_busy(database_url: str) -> None:
    """pg_restore would wait for ever behind a transaction left open (a portal still running), and it sets its own
    lock_timeout to 0, so look first."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            busy = connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    if busy:
        raise BackupError(
            f"The database is busy: {busy} other connection(s) are part-way through a transaction. "
            "Stop the portal, and anything else using the database, then try again."
        )


def _swap_in(staging: Path, receipts_dir: Path) -> None:
    replaced = None
    if receipts_dir.exists():
        shutil.copymode(receipts_dir, staging)  # mkdtemp's 0700 might shut out the portal's own account
        replaced = receipts_dir.with_name(f".{receipts_dir.name}.replaced-{os.getpid()}")
        receipts_dir.rename(replaced)
    staging.rename(receipts_dir)
    if replaced is not None:
        shutil.rmtree(replaced, ignore_errors=True)  # the receipts are in place; a leftover is only untidy


# ---- shared ------------------------------------------------------------------------------------------------------


def _kind(database_url: str) -> str:
    kind = make_url(database_url).get_backend_name()
    if kind not in DATABASE_FILES:
        raise BackupError(f"Backups cover SQLite and PostgreSQL databases, not {kind}.")
    return kind


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("DATABASE_URL names no SQLite database file to back up or restore.")
    return Path(database)


def _revision(database_url: str) -> str | None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """SQLAlchemy's URL as libpq reads it: no "+psycopg", and the password in the environment, not in `ps`."""
    url: URL = make_url(database_url)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed. Install the PostgreSQL client tools "
            "(apt-get install postgresql-client), the same major version as the server or newer."
        )
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupError(f"{command[0]} failed: {_without_passwords(finished.stderr.strip())}")


def _without_passwords(text: str) -> str:
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
