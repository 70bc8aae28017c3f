"""Writing spans: idempotent on (project, trace_id, span_id), folding trace fields as spans arrive.

Spans of one trace may come in any order over several requests. Each span is
inserted with ``ON CONFLICT DO NOTHING … RETURNING`` so only the spans that
are new this time update their trace's row: a re-sent batch changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import Connection, Table, case, func

from ratchet.core.clock import SystemClock, to_unix_nanos
from ratchet.store.records import SpanRecord
from ratchet.store.schema import trace_versions, traces

ERROR_STATUSES = frozenset({"error"})


def span_body(rec: SpanRecord) -> str:
    """The JSON column: everything about a span that is read whole."""
    body: dict[str, Any] = {}
    if rec.input is not None:
        body["input"] = rec.input
    if rec.output is not None:
        body["output"] = rec.output
    if rec.attributes:
        body["attributes"] = rec.attributes
    if rec.events:
        body["events"] = rec.events
    if rec.status_message:
        body["status_message"] = rec.status_message
    if rec.tool_arguments is not None:
        body["tool_arguments"] = rec.tool_arguments
    if rec.tool_result is not None:
        body["tool_result"] = rec.tool_result
    return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS, default=str).decode()


SPAN_COLUMNS = (
    "project_id",
    "trace_id",
    "span_id",
    "parent_span_id",
    "type",
    "name",
    "status",
    "start_ns",
    "end_ns",
    "model",
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "cost",
    "redaction_version",
    "body",
)
#: Rows per INSERT statement: well under SQLite's 32,766 bound parameters.
_ROWS_PER_STATEMENT = 500


def _span_values(project_id: int, rec: SpanRecord) -> tuple[Any, ...]:
    return (
        project_id,
        rec.trace_id,
        rec.span_id,
        rec.parent_span_id,
        rec.type,
        rec.name[:500],
        rec.status,
        rec.start_ns,
        rec.end_ns,
        rec.model[:200] if rec.model else None,
        rec.input_tokens,
        rec.output_tokens,
        rec.total_tokens,
        rec.cost,
        rec.redaction_version,
        span_body(rec),
    )


@lru_cache(maxsize=64)
def _insert_sql(rows: int, placeholder: str) -> str:
    """One multi-row INSERT … ON CONFLICT DO NOTHING RETURNING, the same SQL on both databases.

    Written as driver SQL because the ingest path is hot: building one
    statement per batch costs a fraction of the per-row parameter handling
    of an ORM-level executemany.
    """
    row = "(" + ", ".join([placeholder] * len(SPAN_COLUMNS)) + ")"
    return (
        f"INSERT INTO spans ({', '.join(SPAN_COLUMNS)}) VALUES "
        + ", ".join([row] * rows)
        + " ON CONFLICT (project_id, trace_id, span_id) DO NOTHING RETURNING trace_id, span_id"
    )


_PG_STAGING = (
    "CREATE TEMP TABLE IF NOT EXISTS spans_incoming "
    "(LIKE spans INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
)
_PG_COPY = f"COPY spans_incoming ({', '.join(SPAN_COLUMNS)}) FROM STDIN"
_PG_MOVE = (
    f"INSERT INTO spans ({', '.join(SPAN_COLUMNS)}) SELECT {', '.join(SPAN_COLUMNS)} "
    "FROM spans_incoming ON CONFLICT (project_id, trace_id, span_id) DO NOTHING "
    "RETURNING trace_id, span_id"
)


def _insert_spans_postgresql(
    conn: Connection, project_id: int, records: Sequence[SpanRecord]
) -> set[tuple[str, str]]:
    """COPY into a per-session staging table, then one INSERT … SELECT.

    A long multi-row VALUES statement is re-parsed by the driver on every
    call; COPY streams rows with no statement text at all.
    """
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur:
        cur.execute(_PG_STAGING)
        with cur.copy(_PG_COPY) as copy:
            for rec in records:
                copy.write_row(_span_values(project_id, rec))
        cur.execute(_PG_MOVE)
        new = {(row[0], row[1]) for row in cur.fetchall()}
        cur.execute("DELETE FROM spans_incoming")  # several batches may share one commit
    return new


def _insert_spans(
    conn: Connection, project_id: int, records: Sequence[SpanRecord]
) -> set[tuple[str, str]]:
    """Insert what is new; returns the (trace_id, span_id) keys that were inserted."""
    if conn.dialect.name == "postgresql":
        return _insert_spans_postgresql(conn, project_id, records)
    placeholder = "?"
    new: set[tuple[str, str]] = set()
    for start in range(0, len(records), _ROWS_PER_STATEMENT):
        chunk = records[start : start + _ROWS_PER_STATEMENT]
        params: list[Any] = []
        for rec in chunk:
            params.extend(_span_values(project_id, rec))
        result = conn.exec_driver_sql(_insert_sql(len(chunk), placeholder), tuple(params))
        new.update((row[0], row[1]) for row in result)
    return new


@dataclass
class _TraceDelta:
    """What the new spans of one batch add to their trace's row."""

    trace_id: str
    start_ns: int
    end_ns: int | None
    source: str
    span_count: int = 0
    error_count: int = 0
    root: SpanRecord | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    versions: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, rec: SpanRecord) -> None:
        self.span_count += 1
        self.start_ns = min(self.start_ns, rec.start_ns)
        if rec.end_ns is not None:
            self.end_ns = rec.end_ns if self.end_ns is None else max(self.end_ns, rec.end_ns)
        if rec.status in ERROR_STATUSES:
            self.error_count += 1
        if rec.parent_span_id is None:
            self.root = rec
        for key in ("session_id", "user_id", "service", "surface", "service_version"):
            value = getattr(rec, key)
            if value is not None and key not in self.hints:
                self.hints[key] = str(value)[:200]
        for kind, entries in rec.versions.items():
            for name, version in entries.items():
                self.versions[(kind, name)] = str(version)[:200]


@dataclass(frozen=True)
class WriteResult:
    """How many spans a batch stored (new ones) and how many were already there."""

    stored: int
    duplicates: int
    trace_ids: frozenset[str]


def write_spans(
    conn: Connection,
    project_id: int,
    records: Sequence[SpanRecord],
    *,
    seen_ns: int | None = None,
) -> WriteResult:
    """Insert spans in the caller's transaction; duplicates are ignored.

    Args:
        conn: a connection in a write transaction.
        project_id: the project the spans belong to.
        records: the spans, in any order, possibly repeated.
        seen_ns: when they arrived, by the store's clock
            (``to_unix_nanos(store.clock.now())``); every trace gaining a new
            span is marked as seen then, which is what background detection
            follows. None reads the system clock.
    """
    if not records:
        return WriteResult(0, 0, frozenset())
    new_keys = _insert_spans(conn, project_id, records)
    deltas: dict[str, _TraceDelta] = {}
    seen: set[tuple[str, str]] = set()
    for rec in records:
        key = (rec.trace_id, rec.span_id)
        if key not in new_keys or key in seen:
            continue  # stored before, or repeated inside this very batch
        seen.add(key)
        delta = deltas.get(rec.trace_id)
        if delta is None:
            delta = deltas[rec.trace_id] = _TraceDelta(
                rec.trace_id, rec.start_ns, rec.end_ns, rec.source
            )
        delta.add(rec)
    arrived = to_unix_nanos(SystemClock().now()) if seen_ns is None else seen_ns
    _upsert_traces(conn, project_id, deltas.values(), arrived)
    _upsert_versions(conn, project_id, deltas.values())
    return WriteResult(len(seen), len(records) - len(seen), frozenset(deltas))


def _upsert_traces(
    conn: Connection, project_id: int, deltas: Iterable[_TraceDelta], seen_ns: int
) -> None:
    rows = []
    for d in deltas:
        root = d.root
        rows.append(
            {
                "project_id": project_id,
                "trace_id": d.trace_id,
                "name": root.name[:500] if root else None,
                "root_span_id": root.span_id if root else None,
                "session_id": d.hints.get("session_id"),
                "user_id": d.hints.get("user_id"),
                "service": d.hints.get("service"),
                "service_version": d.hints.get("service_version"),
                "surface": d.hints.get("surface"),
                "source": d.source,
                "stop_reason": root.stop_reason if root else None,
                "final_status": root.final_status if root else None,
                "start_ns": d.start_ns,
                "end_ns": d.end_ns,
                "span_count": d.span_count,
                "error_count": d.error_count,
                "seen_ns": seen_ns,
            }
        )
    if rows:
        conn.execute(_trace_upsert(conn.dialect.name), rows)


def _dialect_insert(dialect: str, table: Table) -> Any:
    """The dialect's own INSERT construct, which is what offers ON CONFLICT."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


@lru_cache(maxsize=4)
def _trace_upsert(dialect: str) -> Any:
    """The trace upsert, built once per dialect: building it costs more than running it."""
    stmt = _dialect_insert(dialect, traces)
    new = stmt.excluded
    t = traces.c
    has_root = new.root_span_id.is_not(None)
    return stmt.on_conflict_do_update(
        index_elements=["project_id", "trace_id"],
        set_={
            # The root span decides the trace's name and how it ended; other
            # fields keep the first value seen.
            "name": case((has_root, new.name), else_=t.name),
            "root_span_id": case((has_root, new.root_span_id), else_=t.root_span_id),
            "stop_reason": case((has_root, new.stop_reason), else_=t.stop_reason),
            "final_status": case((has_root, new.final_status), else_=t.final_status),
            "session_id": func.coalesce(t.session_id, new.session_id),
            "user_id": func.coalesce(t.user_id, new.user_id),
            "service": func.coalesce(t.service, new.service),
            "service_version": func.coalesce(t.service_version, new.service_version),
            "surface": func.coalesce(t.surface, new.surface),
            "start_ns": case((new.start_ns < t.start_ns, new.start_ns), else_=t.start_ns),
            "end_ns": case(
                (t.end_ns.is_(None), new.end_ns),
                (new.end_ns > t.end_ns, new.end_ns),
                else_=t.end_ns,
            ),
            "span_count": t.span_count + new.span_count,
            "error_count": t.error_count + new.error_count,
            # A new span means the trace is not settled yet: detection reads it (again) once
            # it has been quiet for the settle time.
            "seen_ns": new.seen_ns,
        },
    )


@lru_cache(maxsize=4)
def _versions_upsert(dialect: str) -> Any:
    stmt = _dialect_insert(dialect, trace_versions)
    return stmt.on_conflict_do_update(
        index_elements=["project_id", "trace_id", "kind", "name"],
        set_={"version": stmt.excluded.version},
    )


def _upsert_versions(conn: Connection, project_id: int, deltas: Iterable[_TraceDelta]) -> None:
    rows = [
        {"project_id": project_id, "trace_id": d.trace_id, "kind": k, "name": n, "version": v}
        for d in deltas
        for (k, n), v in d.versions.items()
    ]
    if rows:
        conn.execute(_versions_upsert(conn.dialect.name), rows)
