"""Is the database there?"""

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.data.db import db_session


class DatabaseUnavailable(RuntimeError):
    pass


def database_answers() -> None:
    try:
        db_session().execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(str(error)) from error
