"""The store's database over its bare DB-API driver, for one-shot CLI reads.

``ratchet traces show`` runs three queries and exits; opening the store the
usual way would spend most of that time importing SQLAlchemy. A
:class:`Reader` connects with the driver alone (sqlite3 or psycopg) from the
same settings and runs the plain-SQL reads of :mod:`ratchet.store.sql_reads`
in one read transaction. It is only for a store that is ready: when the
database is missing or its schema is not at the newest revision,
:func:`open_reader` answers None and the caller opens the store the usual
way, which creates and migrates.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote

from ratchet.core.errors import RatchetError
from ratchet.store.migrate import head_revision
from ratchet.store.settings import StoreSettings

# SQLAlchemy's own URL grammar (sqlalchemy.engine.url), so both paths read a
# URL the same way.
_URL = re.compile(
    r"""
    (?P<name>[\w+]+)://
    (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
    (?:(?:\[(?P<ipv6host>[^/?]+)\]|(?P<ipv4host>[^/:?]+))?(?::(?P<port>[^/?]*))?)?
    (?:/(?P<database>[^?]*))?
    (?:\?(?P<query>.*))?
    """,
    re.X,
)
_NAMED_PARAM = re.compile(r"(?<![:\w]):(\w+)")


class Reader:
    """One read transaction on the store's database; use it as a context manager."""

    def __init__(self, conn: Any, *, pyformat: bool) -> None:
        self._conn = conn
        # psycopg takes %(name)s where SQLAlchemy's text() and sqlite3 take :name.
        self._pyformat = pyformat

    def query(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Run ``sql`` (``:name`` parameters) and return all its rows."""
        if self._pyformat:
            sql = _NAMED_PARAM.sub(r"%(\1)s", sql)
        cur = self._conn.cursor()
        try:
            cur.execute(sql, params)
            return list(cur.fetchall())
        finally:
            cur.close()

    def revision(self) -> str | None:
        rows = self.query("SELECT version_num FROM alembic_version", {})
        return rows[0][0] if rows else None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_reader(settings: StoreSettings) -> Reader | None:
    """A reader on a ready store, or None when the store must be opened the usual way.

    Raises:
        RatchetError: the PostgreSQL server cannot be reached (the message the
            usual open gives, without waiting on the server a second time).
    """
    # Opening the store creates RATCHET_HOME; a read through here does too.
    settings.home.mkdir(parents=True, exist_ok=True)
    match = _URL.fullmatch(settings.url)
    if match is None:
        return None
    name = match["name"]
    if name in ("sqlite", "sqlite+pysqlite"):
        reader = _sqlite(match, settings)
    elif name == "postgresql+psycopg":
        reader = _postgresql(settings)
    else:
        return None
    if reader is None:
        return None
    try:
        current = reader.revision()
    except Exception:
        current = None  # no alembic_version table yet, or not a database at all
    if current != head_revision():
        reader.close()
        return None
    return reader


def _sqlite(match: re.Match[str], settings: StoreSettings) -> Reader | None:
    database = unquote(match["database"] or "")
    if match["query"] or match["ipv4host"] or match["port"] or database in ("", ":memory:"):
        return None
    if not Path(database).is_file():
        return None
    import sqlite3

    # Autocommit mode, then an explicit BEGIN: the queries share one snapshot.
    conn = sqlite3.connect(database, timeout=settings.busy_timeout_ms / 1000, isolation_level=None)
    try:
        conn.execute("BEGIN")
    except sqlite3.Error:
        conn.close()
        return None
    return Reader(conn, pyformat=False)


def psycopg_args(url: str) -> dict[str, Any] | None:
    """psycopg's arguments for a URL, as SQLAlchemy's dialect builds them; None if unusual."""
    match = _URL.fullmatch(url)
    if match is None:
        return None
    args: dict[str, Any] = {}
    for part, key in (("username", "user"), ("password", "password"), ("database", "dbname")):
        if match[part]:
            args[key] = unquote(match[part])
    host = match["ipv4host"] or match["ipv6host"]
    if host:
        args["host"] = host
    if match["port"]:
        args["port"] = int(match["port"])
    query = parse_qsl(match["query"] or "")
    if len({key for key, _ in query}) < len(query):
        return None  # several hosts or repeated options: leave those to SQLAlchemy
    args.update(query)
    return args


def _postgresql(settings: StoreSettings) -> Reader | None:
    args = psycopg_args(settings.url)
    if args is None:
        return None
    import psycopg

    try:
        conn = psycopg.connect(**args)
    except psycopg.OperationalError as exc:
        raise RatchetError(f"cannot open the store at {settings.describe()}: {exc}") from exc
    try:
        # As the engine does on connect: a lock waited on gives up like SQLite's busy timeout.
        conn.execute(f"SET lock_timeout = {int(settings.busy_timeout_ms)}")
    except psycopg.Error:
        conn.close()
        return None
    return Reader(conn, pyformat=True)
