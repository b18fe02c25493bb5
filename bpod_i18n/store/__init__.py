"""The database: SQLite embedded by default, PostgreSQL for teams, Alembic for the schema."""

from bpod_i18n.store.engine import Store, open_store
from bpod_i18n.store.models import Base, Entry, Event, MirrorPair, MTCacheEntry, TMEntry, Translation, Unit

__all__ = [
    "Base",
    "Entry",
    "Event",
    "MTCacheEntry",
    "MirrorPair",
    "Store",
    "TMEntry",
    "Translation",
    "Unit",
    "open_store",
]
