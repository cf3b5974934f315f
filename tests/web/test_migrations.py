from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from portal.data.models import Base

# Full-text search lives in the database alone (migration 0003): FTS5 tables on SQLite, a tsvector on PostgreSQL.
SEARCH_INDEX_NAMES = ("directory_search", "search_vector", "ix_directory_services_search_vector")


def _mapped(name, type_, parent_names):
    return not (name or "").startswith(SEARCH_INDEX_NAMES)


def test_the_migrations_build_exactly_the_models(database_url):
    """The database the tests use was built by running the migrations; it must match the models."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": _mapped})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_the_search_index_exists(database_url):
    engine = create_engine(database_url)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            found = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE name = 'directory_search'")
        else:
            found = connection.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_directory_services_search_vector'"
            )
        assert found.scalar() is not None
    engine.dispose()
