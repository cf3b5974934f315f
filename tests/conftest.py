import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir
from sqlalchemy import create_engine, text

from portal.app import create_app
from portal.config import TestConfig
from portal.data.migrate import upgrade
from portal.data.models import Base
from portal.extensions import limiter

# No .hypothesis/ in the working tree: no example database (every property test is repeatable from its settings
# alone), and Hypothesis's cache of the constants it reads from our source kept in the temporary folder.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "choice-and-control-hypothesis")
settings.register_profile("portal", database=None)
settings.load_profile("portal")

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _fresh_database(backend: str, tmp_dir: Path) -> str:
    """An empty database, then the migrations: the migration history is the schema under test."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_dir / 'test.sqlite3'}"
    else:
        url = os.environ["TEST_DATABASE_URL"]
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    return _fresh_database(request.param, tmp_path_factory.mktemp(request.param))


@pytest.fixture
def app(database_url):
    config = TestConfig()
    config.DATABASE_URL = database_url
    app = create_app(config)
    yield app
    empty_the_database(app)


def empty_the_database(app) -> None:
    """Every row gone (the schema stays, migrated once per session), connections closed, rate limits forgotten."""
    engine = app.extensions["db_engine"]
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()
