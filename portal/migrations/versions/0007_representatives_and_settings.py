"""representatives with permissions, invitations, settings, signed-in sessions (issue #8)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 14:18:21.969507
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("helper_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("relationship_to_person", sa.String(length=100), nullable=False),
        sa.Column("permissions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["accepted_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["person_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitations_person_id"), ["person_id"], unique=False)

    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_action_at", ["action", "at"], unique=False)
        batch_op.create_index("ix_audit_events_actor_at", ["actor_id", "at"], unique=False)

    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("added_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_plan_items_added_by", "users", ["added_by_id"], ["id"], ondelete="SET NULL")

    with op.batch_alter_table("representations", schema=None) as batch_op:
        # Helpers linked before permissions existed could do everything but act as nominee: they keep that.
        batch_op.add_column(
            sa.Column(
                "permissions",
                sa.JSON(),
                nullable=False,
                server_default='["see_everything", "assessment", "plan", "spending"]',
            )
        )
        batch_op.add_column(sa.Column("legal_basis", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("basis_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("recorded_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("ended_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_representations_ended_by", "users", ["ended_by_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            "fk_representations_recorded_by", "users", ["recorded_by_id"], ["id"], ondelete="SET NULL"
        )

    # The default above was only to fill in the links that already existed; new links always say what they allow.
    with op.batch_alter_table("representations", schema=None) as batch_op:
        batch_op.alter_column("permissions", server_default=None)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_method", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("reminders_by_email", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("text_size", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("high_contrast", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
        batch_op.drop_column("high_contrast")
        batch_op.drop_column("text_size")
        batch_op.drop_column("reminders_by_email")
        batch_op.drop_column("phone")
        batch_op.drop_column("contact_method")

    with op.batch_alter_table("representations", schema=None) as batch_op:
        batch_op.drop_constraint("fk_representations_recorded_by", type_="foreignkey")
        batch_op.drop_constraint("fk_representations_ended_by", type_="foreignkey")
        batch_op.drop_column("ended_by_id")
        batch_op.drop_column("changed_at")
        batch_op.drop_column("recorded_by_id")
        batch_op.drop_column("basis_reason")
        batch_op.drop_column("legal_basis")
        batch_op.drop_column("permissions")

    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.drop_constraint("fk_plan_items_added_by", type_="foreignkey")
        batch_op.drop_column("added_by_id")

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_actor_at")
        batch_op.drop_index("ix_audit_events_action_at")

    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))

    op.drop_table("user_sessions")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitations_person_id"))

    op.drop_table("invitations")
