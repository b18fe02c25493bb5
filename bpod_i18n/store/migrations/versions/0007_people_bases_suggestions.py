"""People and their roles, export bases for three-way import, suggestions.

History keeps its actor strings; ``events.person_id`` and ``translations.author_id`` link
them to people, filled when a matching person is added (``bpod-i18n people add``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _add_person_column(table: str, column: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a constraint to a table, but it takes a REFERENCES clause on a new
        # nullable column; Alembic's batch mode would copy the table instead, which fails
        # with the foreign keys the other tables hold on it.
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES people (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer, sa.ForeignKey("people.id")))


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("handle", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.String(320), unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("removed_at", sa.DateTime),
    )
    op.create_table(
        "person_roles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("locale", sa.String(20), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.UniqueConstraint("person_id", "locale", "role", name="uq_person_role"),
    )
    _add_person_column("events", "person_id")
    op.create_index("ix_events_person_id", "events", ["person_id"])
    _add_person_column("translations", "author_id")
    op.create_table(
        "export_rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("checkout", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "export_bases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("export_rounds.id"), nullable=False),
        sa.Column("checkout", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(20), nullable=False),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("entries.id"), nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("fuzzy", sa.Boolean, nullable=False),
    )
    op.create_index("ix_export_bases_entry", "export_bases", ["locale", "entry_id", "checkout"])
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("locale", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("fuzzy", sa.Boolean, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("base_text", sa.Text),
        sa.Column("project_text", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id")),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("resolved_at", sa.DateTime),
        sa.Column("resolved_by", sa.String(200)),
    )
    op.create_index("ix_suggestions_unit", "suggestions", ["unit_id", "locale"])


def downgrade() -> None:
    op.drop_index("ix_suggestions_unit", "suggestions")
    op.drop_table("suggestions")
    op.drop_index("ix_export_bases_entry", "export_bases")
    op.drop_table("export_bases")
    op.drop_table("export_rounds")
    with op.batch_alter_table("translations") as batch:
        batch.drop_column("author_id")
    op.drop_index("ix_events_person_id", "events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("person_id")
    op.drop_table("person_roles")
    op.drop_table("people")
