"""Foundation: entries, units, translations, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("standfirst", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("source_path", sa.Text),
        sa.Column("source_format", sa.String(20), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(16), nullable=False, unique=True),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("entries.id"), nullable=False, index=True),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("trailing_text", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_units_entry_active", "units", ["entry_id", "active"])
    op.create_table(
        "translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False, index=True),
        sa.Column("locale", sa.String(20), nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("origin", sa.String(60)),
        sa.Column("author", sa.String(200)),
        sa.Column("updated_by", sa.String(200)),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("previous_source", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("unit_id", "locale", name="uq_translation_unit_locale"),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("translation_id", sa.Integer, sa.ForeignKey("translations.id"), nullable=False, index=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("from_state", sa.String(20), nullable=False),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("old_text", sa.Text),
        sa.Column("new_text", sa.Text),
        sa.Column("comment", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("translations")
    op.drop_index("ix_units_entry_active", "units")
    op.drop_table("units")
    op.drop_table("entries")
