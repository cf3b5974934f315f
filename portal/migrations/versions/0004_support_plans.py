"""support plans

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 10:41:06.247179
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "support_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("indicative_budget_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("about_me", sa.JSON(), nullable=False),
        sa.Column("need_reasons", sa.JSON(), nullable=False),
        sa.Column("management", sa.JSON(), nullable=False),
        sa.Column("staying_safe", sa.JSON(), nullable=False),
        sa.Column("who_helped", sa.String(length=20), nullable=True),
        sa.Column("helper_name", sa.String(length=200), nullable=True),
        sa.Column("consent_to_share", sa.Boolean(), nullable=False),
        sa.Column("over_budget_reason", sa.Text(), nullable=True),
        sa.Column("final_budget_pence", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["indicative_budget_id"], ["indicative_budgets.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["person_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "version"),
    )
    with op.batch_alter_table("support_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_plans_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "uq_support_plans_one_open",
            ["person_id"],
            unique=True,
            sqlite_where=sa.text("status != 'approved'"),
            postgresql_where=sa.text("status != 'approved'"),
        )

    op.create_table(
        "plan_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("final_budget_pence", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("comments", sa.JSON(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["plan_id"], ["support_plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_decisions_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service_oruk_id", sa.String(length=36), nullable=True),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("unit_label", sa.String(length=60), nullable=False),
        sa.Column("unit_pence", sa.Integer(), nullable=False),
        sa.Column("quantity_hundredths", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("management", sa.String(length=30), nullable=True),
        sa.Column("outcome_positions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["support_plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_items_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("how_we_know", sa.Text(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["support_plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_outcomes_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_outcomes_plan_id"))

    op.drop_table("plan_outcomes")
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_items_plan_id"))

    op.drop_table("plan_items")
    with op.batch_alter_table("plan_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_decisions_plan_id"))

    op.drop_table("plan_decisions")
    with op.batch_alter_table("support_plans", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_support_plans_one_open",
            sqlite_where=sa.text("status != 'approved'"),
            postgresql_where=sa.text("status != 'approved'"),
        )
        batch_op.drop_index(batch_op.f("ix_support_plans_person_id"))

    op.drop_table("support_plans")
