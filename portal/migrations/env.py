"""Alembic environment: runs migrations online against the URL the portal passes in."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from portal.data.models import Base

config = context.config

connectable = engine_from_config(
    config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
)
with connectable.connect() as connection:
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # Full-text search lives in the database alone (migration 0003); autogenerate must leave it be.
        include_name=lambda name, type_, parent: not (name or "").startswith(("directory_search", "search_vector")),
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
