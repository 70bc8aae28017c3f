"""The Store: one engine, the clock and id source, and the single-writer rule for SQLite."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from ratchet.core.clock import Clock, SystemClock
from ratchet.core.errors import RatchetError, StoreBusy
from ratchet.core.ids import IdSource, RandomIds
from ratchet.store import migrate
from ratchet.store.engine import WRITE_OPTION, make_engine
from ratchet.store.settings import StoreSettings, settings_from_env


class Store:
    """Access to Ratchet's database.

    Reads may run concurrently; writes go through :meth:`write`, which on
    SQLite admits one writer per process at a time (SQLite has one writer
    anyway, and queueing in-process is cheaper than spinning on its lock).
    """

    def __init__(
        self,
        settings: StoreSettings,
        *,
        engine: Engine | None = None,
        clock: Clock | None = None,
        ids: IdSource | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings)
        self.clock: Clock = clock or SystemClock()
        self.ids: IdSource = ids or RandomIds()
        self._write_lock = threading.Lock() if settings.is_sqlite else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a read transaction."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed when the block ends.

        Raises:
            StoreBusy: the database stayed locked past the busy timeout.
        """
        lock = self._write_lock
        if lock is not None:
            lock.acquire()
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        except Exception as exc:
            # Raw driver calls (the hot insert paths) raise the driver's own errors.
            driver_error = getattr(self.engine.dialect.dbapi, "OperationalError", OperationalError)
            if isinstance(exc, OperationalError | driver_error) and _is_busy(exc):
                raise StoreBusy(
                    "the database is busy (locked by another writer); retry shortly"
                ) from exc
            raise
        finally:
            if lock is not None:
                lock.release()

    def upgrade(self) -> tuple[str | None, str | None]:
        """Apply pending migrations; returns (revision before, revision after)."""
        try:
            return migrate.upgrade(self.engine)
        except OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusy("the database is locked by another writer; retry shortly") from exc
            raise RatchetError(
                f"cannot open the store at {self.settings.describe()}: {exc.orig}"
            ) from exc

    def close(self) -> None:
        self.engine.dispose()


def _is_busy(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return any(
        marker in text
        for marker in ("locked", "busy", "could not obtain lock", "lock timeout", "deadlock")
    )


def open_store(
    url: str | None = None,
    home: str | None = None,
    *,
    clock: Clock | None = None,
    ids: IdSource | None = None,
    upgrade: bool = True,
) -> Store:
    """Open (and by default create and migrate) the store named by flags or environment."""
    settings = settings_from_env(url=url, home=home)
    settings.home.mkdir(parents=True, exist_ok=True)
    store = Store(settings, clock=clock, ids=ids)
    if upgrade:
        try:
            store.upgrade()
        except Exception:
            store.close()
            raise
    return store
