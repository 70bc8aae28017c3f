"""The store: SQLAlchemy Core tables, queries and Alembic migrations (SQLite and PostgreSQL)."""

from ratchet.store.records import SpanRecord
from ratchet.store.settings import StoreSettings, settings_from_env
from ratchet.store.store import Store, open_store

__all__ = ["SpanRecord", "Store", "StoreSettings", "open_store", "settings_from_env"]
