"""Posts overwritten on a published site by `publish --force`, kept as they were.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_overwrites",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site", sa.String(500), nullable=False),
        sa.Column("locale", sa.String(20), nullable=False),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("post_id", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("old", sa.JSON, nullable=False),
        sa.Column("new_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_published_overwrites_slug", "published_overwrites", ["slug"])


def downgrade() -> None:
    op.drop_index("ix_published_overwrites_slug", "published_overwrites")
    op.drop_table("published_overwrites")
