"""Alembic environment: the Store hands its connection in, so no alembic.ini is needed."""

from alembic import context

from bpod_i18n.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
