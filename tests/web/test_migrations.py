from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from portal.data.models import Base


def test_the_migrations_build_exactly_the_models(database_url):
    """The database the tests use was built by running the migrations; it must match the models."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
