"""Engines for SQLite (WAL, synchronous=FULL, busy timeout) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import random
import sqlite3
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event

from ratchet.store.settings import StoreSettings

#: Execution option marking a connection that will write.
WRITE_OPTION = "ratchet_write"


def make_engine(settings: StoreSettings) -> Engine:
    """Create the engine, making the SQLite file's folder if needed."""
    if settings.is_sqlite:
        path = settings.url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            settings.url,
            connect_args={"timeout": settings.busy_timeout_ms / 1000, "check_same_thread": False},
            pool_size=8,
            max_overflow=8,
        )
        _configure_sqlite(engine, settings.busy_timeout_ms)
        return engine
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.url, pool_size=8, max_overflow=8, pool_pre_ping=True)
    _configure_postgresql(engine, settings.busy_timeout_ms)
    return engine


def _configure_postgresql(engine: Engine, lock_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # A writer blocked by another's lock gives up like SQLite's busy
        # timeout does, so the request is answered 503 instead of hanging.
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {int(lock_timeout_ms)}")
        dbapi_conn.commit()


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, issue BEGIN so transactions behave
        # the same on both databases.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: an acknowledged batch survives power loss, not only a crash.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the lock up front (IMMEDIATE), so a busy database
        # fails fast at BEGIN instead of half-way through a batch; readers
        # stay deferred and never wait for the writer under WAL.
        if conn.get_execution_options().get(WRITE_OPTION):
            _begin_immediate(conn.connection.driver_connection, busy_timeout_ms)
        else:
            conn.exec_driver_sql("BEGIN")


def _begin_immediate(raw: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Take the write lock, polling every millisecond or so until the busy timeout.

    SQLite's own busy handler backs off to 100 ms sleeps, so a second writer
    process (``serve --workers``) would sleep long after the lock is free
    and the processes would take turns badly. Short polls keep them close.
    """
    deadline = time.monotonic() + busy_timeout_ms / 1000
    raw.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.0005 + random.random() * 0.001)
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
