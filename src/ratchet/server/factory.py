"""The app built from ``RATCHET_*`` environment variables, for process managers.

``ratchet serve --workers N`` starts N processes that each call this; so can
any ASGI server (``uvicorn --factory ratchet.server.factory:app_from_env``).
Every process is stateless apart from its store connection, so replicas on
one PostgreSQL database need nothing else to share.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from ratchet.server.app import create_app
from ratchet.store.store import open_store


def app_from_env() -> FastAPI:
    """Open the store named by the environment; migrate only when asked to."""
    migrate = os.environ.get("RATCHET_MIGRATE_ON_START", "1") != "0"
    every = float(os.environ.get("RATCHET_WATCH_EVERY_S", "10") or 0)
    store = open_store(upgrade=migrate)
    return create_app(store, migrate=False, watch_every_s=every or None)
