"""The store: SQLAlchemy Core tables, queries and Alembic migrations (SQLite and PostgreSQL)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ratchet.store.records import SpanRecord
    from ratchet.store.settings import StoreSettings, settings_from_env
    from ratchet.store.store import Store, open_store

__all__ = ["SpanRecord", "Store", "StoreSettings", "open_store", "settings_from_env"]

# Loaded on first use: every store module imports this package first, and the
# CLI's light read path (ratchet.store.dbapi) must not pay for SQLAlchemy.
_HOMES = {
    "SpanRecord": "ratchet.store.records",
    "StoreSettings": "ratchet.store.settings",
    "settings_from_env": "ratchet.store.settings",
    "Store": "ratchet.store.store",
    "open_store": "ratchet.store.store",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
