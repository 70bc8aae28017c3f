"""Eval runs and their results: written as they finish, read back for caching and reports.

The store knows rows, not the evaluate stage's models: results arrive as
:class:`ResultRow` with their structured parts already encoded as JSON, so a
suite of any size streams through without being held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from ratchet.store.schema import eval_results, eval_runs
from ratchet.store.store import Store

#: Cache keys per SELECT … IN (…), well under every SQLite's bound-parameter limit.
_KEYS_PER_QUERY = 500
#: Rows per multi-row INSERT on SQLite: 8,000 parameters, under its 32,766 limit.
_ROWS_PER_INSERT = 500


@dataclass(slots=True)
class RunRow:
    id: str
    kind: str
    agent: str
    manifest: str
    ratchet_version: str
    options: str
    started_ns: int
    suite: str | None = None
    git_commit: str | None = None
    status: str = "running"
    finished_ns: int | None = None
    fixture_count: int = 0
    passed: int = 0
    failed: int = 0
    errored: int = 0
    flaky: int = 0
    cached: int = 0


@dataclass(slots=True)
class ResultRow:
    run_id: str
    fixture_id: str
    attempt: int
    outcome: str
    severity: str
    checks: str
    findings: str
    duration_ms: float
    created_ns: int
    owner: str | None = None
    reason: str | None = None
    output: str | None = None
    trace_id: str | None = None
    cache_key: str | None = None
    cached: int = 0


def start_run(store: Store, project_id: int, run: RunRow) -> None:
    with store.write() as conn:
        conn.execute(insert(eval_runs).values(project_id=project_id, **asdict(run)))


def finish_run(store: Store, project_id: int, run: RunRow) -> None:
    values = asdict(run)
    values.pop("id")
    with store.write() as conn:
        conn.execute(
            update(eval_runs)
            .where(eval_runs.c.project_id == project_id, eval_runs.c.id == run.id)
            .values(**values)
        )


_RESULT_COLUMNS = ("project_id", *(f.name for f in fields(ResultRow)))
_row_values = attrgetter(*_RESULT_COLUMNS[1:])


def _mark(conn: Connection) -> str:
    """The driver's placeholder: these statements go to it directly."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def add_results(store: Store, project_id: int, rows: Sequence[ResultRow]) -> None:
    """Store a batch of results in one transaction.

    Written as driver SQL: a suite run writes a row per fixture, and building
    SQLAlchemy's parameter dicts cost more than the writes. On SQLite, as
    multi-row INSERTs: the driver holds the interpreter lock while it binds
    a statement's parameters and releases it while SQLite runs the statement,
    so the flusher's thread writes 500 rows while the runner goes on (one
    statement per row would take the lock back after every row, and wait for
    it each time). PostgreSQL's driver pipelines ``executemany`` instead.
    """
    if not rows:
        return
    values = [(project_id, *_row_values(row)) for row in rows]
    with store.write() as conn:
        if conn.dialect.name != "sqlite":
            conn.exec_driver_sql(_insert_sql(1, "%s"), values)
            return
        for start in range(0, len(values), _ROWS_PER_INSERT):
            chunk = values[start : start + _ROWS_PER_INSERT]
            conn.exec_driver_sql(
                _insert_sql(len(chunk), "?"), tuple(v for row in chunk for v in row)
            )


@lru_cache(maxsize=16)
def _insert_sql(rows: int, mark: str) -> str:
    one = "(" + ", ".join([mark] * len(_RESULT_COLUMNS)) + ")"
    return f"INSERT INTO eval_results ({', '.join(_RESULT_COLUMNS)}) VALUES " + ", ".join(
        [one] * rows
    )


def cached_results(
    store: Store, project_id: int, keys: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Any]]:
    """The newest stored result per (cache key, attempt) among ``keys``.

    Cached copies (``cached = 1``) are never a source. Read by cache key over
    the (project, cache key, attempt) index, newest picked here: one plain
    query per 500 keys, with no per-chunk GROUP BY join to plan.
    """
    wanted = set(keys)
    cache_keys = sorted({key for key, _ in wanted})
    columns = [c.name for c in eval_results.columns]
    at_key, at_attempt, at_created = (
        columns.index("cache_key"),
        columns.index("attempt"),
        columns.index("created_ns"),
    )
    newest: dict[tuple[str, int], tuple[Any, ...]] = {}
    with store.read() as conn:
        mark = _mark(conn)
        # The driver's own cursor: plain tuples, without a Row object per result.
        raw = conn.connection.driver_connection
        assert raw is not None
        cursor = raw.cursor()
        try:
            for start in range(0, len(cache_keys), _KEYS_PER_QUERY):
                chunk = cache_keys[start : start + _KEYS_PER_QUERY]
                cursor.execute(
                    f"SELECT {', '.join(columns)} FROM eval_results"
                    f" WHERE project_id = {mark} AND cached = 0"
                    f" AND cache_key IN ({', '.join([mark] * len(chunk))})",
                    (project_id, *chunk),
                )
                for values in cursor.fetchall():
                    pair = (values[at_key], values[at_attempt])
                    if pair not in wanted:
                        continue
                    seen = newest.get(pair)
                    if seen is None or values[at_created] > seen[at_created]:
                        newest[pair] = values
        finally:
            cursor.close()
    return {pair: dict(zip(columns, values, strict=True)) for pair, values in newest.items()}


def last_results(store: Store, project_id: int) -> dict[str, dict[str, Any]]:
    """Per fixture id, its newest stored result (for ``fixtures list``)."""
    cols = eval_results.c
    newest = (
        select(cols.fixture_id, func.max(cols.created_ns).label("newest"))
        .where(cols.project_id == project_id)
        .group_by(cols.fixture_id)
        .subquery()
    )
    with store.read() as conn:
        rows = conn.execute(
            select(cols.fixture_id, cols.outcome, cols.created_ns, cols.run_id)
            .join(
                newest,
                (cols.fixture_id == newest.c.fixture_id) & (cols.created_ns == newest.c.newest),
            )
            .where(cols.project_id == project_id)
        ).mappings()
        return {row["fixture_id"]: dict(row) for row in rows}


def get_run(store: Store, project_id: int, run_id: str) -> dict[str, Any] | None:
    with store.read() as conn:
        row = (
            conn.execute(
                select(eval_runs).where(
                    eval_runs.c.project_id == project_id, eval_runs.c.id == run_id
                )
            )
            .mappings()
            .first()
        )
    return None if row is None else dict(row)


def run_results(store: Store, project_id: int, run_id: str) -> list[dict[str, Any]]:
    cols = eval_results.c
    with store.read() as conn:
        rows = conn.execute(
            select(eval_results)
            .where(cols.project_id == project_id, cols.run_id == run_id)
            .order_by(cols.fixture_id, cols.attempt)
        ).mappings()
        return [dict(row) for row in rows]
