"""directory search reads its indexes alone (issue #10: performance)

A service's row carries its whole Open Referral record, kilobytes of JSON: a search that read the row of every
candidate (all those near a postcode, all those a filter keeps) spent its time reading records it never showed.
These indexes hold every column a search filters or sorts on, so finding, counting and sorting the matches reads
only the index, and only the page's twenty services are read in full.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 19:00:00.000000
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The id too: PostgreSQL, unlike SQLite, does not keep it in every index.
LISTING_COLUMNS = [
    "latitude", "longitude", "status", "name", "free", "lowest_hourly_pence", "accepts_direct_payments",
    "preferred_provider", "last_checked", "id",
]  # fmt: skip


def upgrade() -> None:
    op.drop_index("ix_directory_services_location", table_name="directory_services")
    op.create_index("ix_directory_services_listing", "directory_services", LISTING_COLUMNS)
    # Where a postcode district is: the average of its venues, read from the index.
    op.drop_index("ix_directory_services_outward_code", table_name="directory_services")
    op.create_index(
        "ix_directory_services_outward_code", "directory_services", ["outward_code", "latitude", "longitude"]
    )
    # A filter's services, straight from the index, without a look-up in the table for each.
    op.drop_index("ix_directory_tags_kind_value", table_name="directory_tags")
    op.create_index("ix_directory_tags_kind_value", "directory_tags", ["kind", "value", "service_id"])


def downgrade() -> None:
    op.drop_index("ix_directory_tags_kind_value", table_name="directory_tags")
    op.create_index("ix_directory_tags_kind_value", "directory_tags", ["kind", "value"])
    op.drop_index("ix_directory_services_outward_code", table_name="directory_services")
    op.create_index("ix_directory_services_outward_code", "directory_services", ["outward_code"])
    op.drop_index("ix_directory_services_listing", table_name="directory_services")
    op.create_index("ix_directory_services_location", "directory_services", ["latitude", "longitude"])
