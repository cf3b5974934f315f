"""Is the database there?"""

import sqlite3

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from portal.data.db import db_session


class DatabaseUnavailable(RuntimeError):
    pass


def database_answers() -> None:
    try:
        db_session().execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(str(error)) from error


# SQLite raises OperationalError for a bad query too ("no such table"): only these mean the file can't be used now.
SQLITE_OUTAGES = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_READONLY")
SQLITE_OUTAGE_WORDS = ("unable to open", "disk i/o error", "is locked", "disk is full", "readonly database")


def is_outage(error: BaseException) -> bool:
    """Did the database fail to answer (down, unreachable, out of disk, overloaded), rather than refuse a query?

    Worth trying again in a few minutes; anything else (a broken rule, a bug) is a fault of ours, a 500.
    """
    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if not isinstance(error.orig, sqlite3.Error):
        return True  # PostgreSQL keeps refused queries out of OperationalError
    name = getattr(error.orig, "sqlite_errorname", None)
    if name:
        return name.startswith(SQLITE_OUTAGES)
    return any(words in str(error.orig).lower() for words in SQLITE_OUTAGE_WORDS)
