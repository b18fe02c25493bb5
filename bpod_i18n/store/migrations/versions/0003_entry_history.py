"""Entries can be retired and renamed, with a history of their own.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entries") as batch:  # SQLite alters a table by copying it
        batch.add_column(sa.Column("retired_at", sa.DateTime, nullable=True))
    op.create_table(
        "entry_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("entries.id"), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("old_slug", sa.String(200), nullable=True),
        sa.Column("new_slug", sa.String(200), nullable=True),
        sa.Column("comment", sa.Text, nullable=True),
    )
    op.create_index("ix_entry_events_entry_id", "entry_events", ["entry_id"])
    op.create_index("ix_entry_events_old_slug", "entry_events", ["old_slug"])


def downgrade() -> None:
    op.drop_index("ix_entry_events_old_slug", "entry_events")
    op.drop_index("ix_entry_events_entry_id", "entry_events")
    op.drop_table("entry_events")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("retired_at")
