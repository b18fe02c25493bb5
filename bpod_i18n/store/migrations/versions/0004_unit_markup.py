"""Inline markup of units: each unit's link addresses (and a note for translators).

A unit's text carries its inline markup as tagged text (bpod_i18n.markup: ``<em>``, ``<sub>``,
``<a1>…</a1>``); the addresses of its links are kept here, out of the translator's reach, as
``{"links": ["https://…"], "note": "…"}`` (NULL when a unit has neither). The entry's image
is part of ``entries.fields`` and needs no column.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("markup", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_column("markup")
