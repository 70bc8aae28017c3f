"""Eval runs and their results: written as they finish, read back for caching and reports.

The store knows rows, not the evaluate stage's models: results arrive as
:class:`ResultRow` with their structured parts already encoded as JSON, so a
suite of any size streams through without being held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from ratchet.store.schema import eval_results, eval_runs
from ratchet.store.store import Store

#: Cache keys per SELECT … IN (…), well under every SQLite's bound-parameter limit.
_KEYS_PER_QUERY = 500


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

    One prepared INSERT run for every row by the driver: a suite run writes a
    row per fixture, and building SQLAlchemy parameter dicts cost more than
    the writes themselves.
    """
    if not rows:
        return
    with store.write() as conn:
        mark = _mark(conn)
        sql = (
            f"INSERT INTO eval_results ({', '.join(_RESULT_COLUMNS)})"
            f" VALUES ({', '.join([mark] * len(_RESULT_COLUMNS))})"
        )
        conn.exec_driver_sql(sql, [(project_id, *_row_values(row)) for row in rows])


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
    found: dict[tuple[str, int], dict[str, Any]] = {}
    with store.read() as conn:
        mark = _mark(conn)
        for start in range(0, len(cache_keys), _KEYS_PER_QUERY):
            chunk = cache_keys[start : start + _KEYS_PER_QUERY]
            rows = conn.exec_driver_sql(
                f"SELECT {', '.join(columns)} FROM eval_results"
                f" WHERE project_id = {mark} AND cached = 0"
                f" AND cache_key IN ({', '.join([mark] * len(chunk))})",
                (project_id, *chunk),
            )
            for values in rows:
                row = dict(zip(columns, values, strict=True))
                pair = (row["cache_key"], row["attempt"])
                if pair not in wanted:
                    continue
                seen = found.get(pair)
                if seen is None or row["created_ns"] > seen["created_ns"]:
                    found[pair] = row
    return found


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
