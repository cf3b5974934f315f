"""the service directory with full-text search

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 09:36:33.391051
"""

import sqlalchemy as sa
from alembic import op

# SQLite: an FTS5 index over the service's own columns ("external content"), kept in step by triggers.
COLUMNS = ("name", "organization_name", "search_text")
SQLITE_COLUMNS = ", ".join(COLUMNS)
NEW_ROW = (
    f"INSERT INTO directory_search(rowid, {SQLITE_COLUMNS}) "
    f"VALUES (new.id, {', '.join('new.' + column for column in COLUMNS)})"
)
OLD_ROW = (
    f"INSERT INTO directory_search(directory_search, rowid, {SQLITE_COLUMNS}) "
    f"VALUES ('delete', old.id, {', '.join('old.' + column for column in COLUMNS)})"
)
SQLITE_SEARCH = [
    f"CREATE VIRTUAL TABLE directory_search USING fts5({SQLITE_COLUMNS}, content='directory_services', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER directory_services_ai AFTER INSERT ON directory_services BEGIN {NEW_ROW}; END",
    f"CREATE TRIGGER directory_services_ad AFTER DELETE ON directory_services BEGIN {OLD_ROW}; END",
    f"CREATE TRIGGER directory_services_au AFTER UPDATE ON directory_services BEGIN {OLD_ROW}; {NEW_ROW}; END",
]
# PostgreSQL: a generated, weighted tsvector (name A, organisation B, the rest C) with a GIN index.
POSTGRESQL_SEARCH = [
    "ALTER TABLE directory_services ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(organization_name, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(search_text, '')), 'C')) STORED",
    "CREATE INDEX ix_directory_services_search_vector ON directory_services USING GIN (search_vector)",
]

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directory_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("oruk_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("organization_name", sa.String(length=300), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("free", sa.Boolean(), nullable=False),
        sa.Column("lowest_hourly_pence", sa.Integer(), nullable=True),
        sa.Column("accepts_direct_payments", sa.Boolean(), nullable=False),
        sa.Column("preferred_provider", sa.Boolean(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("outward_code", sa.String(length=8), nullable=True),
        sa.Column("last_checked", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("oruk_id"),
    )
    with op.batch_alter_table("directory_services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directory_services_outward_code"), ["outward_code"], unique=False)
        batch_op.create_index("ix_directory_services_location", ["latitude", "longitude"], unique=False)

    op.create_table(
        "directory_tags",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["directory_services.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("service_id", "kind", "value"),
    )
    with op.batch_alter_table("directory_tags", schema=None) as batch_op:
        batch_op.create_index("ix_directory_tags_kind_value", ["kind", "value"], unique=False)

    # Full-text search with the database's own index, not LIKE scans. The models do not map these.
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    else:
        for statement in POSTGRESQL_SEARCH:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("directory_services_ai", "directory_services_ad", "directory_services_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS directory_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_directory_services_search_vector")
        op.execute("ALTER TABLE directory_services DROP COLUMN IF EXISTS search_vector")
    with op.batch_alter_table("directory_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_directory_tags_kind_value")

    op.drop_table("directory_tags")
    with op.batch_alter_table("directory_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_services_outward_code"))

    op.drop_table("directory_services")
