from portal.data.db import SQLITE_BUSY_TIMEOUT_MS, make_engine


def test_every_new_sqlite_connection_uses_wal_waits_when_busy_and_checks_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    try:
        for _ in range(2):  # the first connection switches the file to WAL; each later one must report it too
            with engine.connect() as connection:
                pragma = connection.exec_driver_sql
                assert pragma("PRAGMA journal_mode").scalar() == "wal"
                assert pragma("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
                assert pragma("PRAGMA foreign_keys").scalar() == 1
            engine.dispose()
    finally:
        engine.dispose()
