"""Translation memory pairs (origin, confidence, source) and the mirror's paired entries.

Translations need no new column for the mirror: ``origin`` is free text and takes "mirror".

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tm_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_lang", sa.String(20), nullable=False),
        sa.Column("target_lang", sa.String(20), nullable=False),
        sa.Column("source_text", sa.Text, nullable=False),
        sa.Column("target_text", sa.Text, nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("target_hash", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(60), nullable=False),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("entry_slug", sa.String(200), nullable=True),
        sa.Column("link", sa.String(10), nullable=True),
        sa.Column("creation_id", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("change_id", sa.String(200), nullable=True),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint(
            "source_lang", "target_lang", "source_hash", "target_hash", "origin", name="uq_tm_entries_pair"
        ),
    )
    op.create_index("ix_tm_entries_target_lang", "tm_entries", ["target_lang"])
    op.create_table(
        "mirror_pairs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("locale", sa.String(20), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("entries.id"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("pair_score", sa.Float, nullable=False),
        sa.Column("mean_confidence", sa.Float, nullable=False),
        sa.Column("min_confidence", sa.Float, nullable=False),
        sa.Column("units_filled", sa.Integer, nullable=False),
        sa.Column("units_suggested", sa.Integer, nullable=False),
        sa.Column("links", sa.JSON, nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=True),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("locale", "source", name="uq_mirror_pairs_source"),
    )
    op.create_index("ix_mirror_pairs_entry_id", "mirror_pairs", ["entry_id"])


def downgrade() -> None:
    op.drop_index("ix_mirror_pairs_entry_id", "mirror_pairs")
    op.drop_table("mirror_pairs")
    op.drop_index("ix_tm_entries_target_lang", "tm_entries")
    op.drop_table("tm_entries")
