"""Reads written once as plain SQL, run through SQLAlchemy or through the bare DB-API driver.

``ratchet traces show`` is a new process each time, and importing SQLAlchemy
costs more than the read itself. So the queries it needs are SQL text with
``:name`` parameters plus the row → model functions, and either runner may
execute them: :func:`sqlalchemy_query` (the store's own API, the server) or
:mod:`ratchet.store.dbapi` (one-shot CLI reads). Nothing here imports
SQLAlchemy at module level.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from ratchet.core.clock import from_unix_nanos
from ratchet.core.errors import NotFound, RatchetError
from ratchet.core.projects import Project, check_project_name
from ratchet.core.spans import Span, SpanStatus, SpanType, TokenUsage, ToolCall
from ratchet.core.traces import ARTIFACT_KINDS, Trace, TraceSource, VersionManifest

if TYPE_CHECKING:
    from sqlalchemy import Connection

#: Runs one SQL text with ``:name`` parameters and returns all its rows as tuples.
Query = Callable[[str, dict[str, Any]], Sequence[Sequence[Any]]]

DEFAULT_PROJECT = "default"


class TraceRow(NamedTuple):
    """A ``traces`` row, in the table's column order (a test holds schema.py to it)."""

    project_id: int
    trace_id: str
    name: str | None
    root_span_id: str | None
    session_id: str | None
    user_id: str | None
    service: str | None
    service_version: str | None
    surface: str | None
    source: str
    stop_reason: str | None
    final_status: str | None
    start_ns: int
    end_ns: int | None
    span_count: int
    error_count: int
    seen_ns: int


class SpanRow(NamedTuple):
    """A ``spans`` row, in the table's column order."""

    project_id: int
    trace_id: str
    span_id: str
    parent_span_id: str | None
    type: str
    name: str
    status: str
    start_ns: int
    end_ns: int | None
    model: str | None
    input_tokens: int | None
    output_tokens: int | None
    total_tokens: int | None
    cost: float | None
    redaction_version: str | None
    body: str


def _columns(row: type[NamedTuple], alias: str = "") -> str:
    return ", ".join(alias + name for name in row._fields)


PROJECTS_SQL = "SELECT id, name, created_ns FROM projects ORDER BY name"

# Signals count toward a trace when they name it, or name its session without
# naming a trace (feedback on a whole conversation).
TRACE_SQL = (
    f"SELECT {_columns(TraceRow, 't.')},"
    " (SELECT count(*) FROM signals s"
    "   WHERE s.project_id = t.project_id AND s.trace_id = t.trace_id)"
    " + (SELECT count(*) FROM signals s"
    "   WHERE s.project_id = t.project_id AND t.session_id <> ''"
    "   AND s.session_id = t.session_id AND s.trace_id IS NULL)"
    " FROM traces t WHERE t.project_id = :project_id AND t.trace_id = :trace_id"
)
SPANS_SQL = (
    f"SELECT {_columns(SpanRow)} FROM spans"
    " WHERE project_id = :project_id AND trace_id = :trace_id ORDER BY start_ns, span_id"
)
VERSIONS_SQL = (
    "SELECT trace_id, kind, name, version FROM trace_versions"
    " WHERE project_id = :project_id AND trace_id = :trace_id"
)


def sqlalchemy_query(conn: Connection) -> Query:
    """A :data:`Query` on a SQLAlchemy connection (and its transaction)."""
    from sqlalchemy import text

    def run(sql: str, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        return conn.execute(text(sql), params).all()

    return run


def project_from_row(row: Sequence[Any]) -> Project:
    """A project from a row starting ``id, name, created_ns``."""
    return Project(id=row[0], name=row[1], created_at=from_unix_nanos(row[2]))


def list_projects(query: Query) -> list[Project]:
    return [project_from_row(r) for r in query(PROJECTS_SQL, {})]


def choose_project(existing: Sequence[Project], name: str | None) -> Project | None:
    """The project a CLI command works on, among those that exist (DESIGN.md §3).

    With a name: that project. Without: the only project there is; with
    several, an error that lists them. None when the rule asks for a project
    that does not exist yet (the named one, or ``default`` when there is
    none): the caller creates it.
    """
    if name:
        try:
            check_project_name(name)
        except ValueError as exc:
            raise RatchetError(str(exc)) from exc
        return next((p for p in existing if p.name == name), None)
    if len(existing) > 1:
        names = ", ".join(p.name for p in existing)
        raise RatchetError(f"several projects exist ({names}); choose one with --project NAME")
    return existing[0] if existing else None


def manifests(rows: Iterable[Sequence[Any]]) -> dict[str, VersionManifest]:
    """Version manifests by trace id from ``(trace_id, kind, name, version)`` rows."""
    grouped: dict[str, dict[str, dict[str, str]]] = {}
    for trace_id, kind, name, version in rows:
        if kind in ARTIFACT_KINDS:
            grouped.setdefault(trace_id, {}).setdefault(kind, {})[name] = version
    return {tid: VersionManifest.model_validate(data) for tid, data in grouped.items()}


def trace_from_row(row: TraceRow, versions: VersionManifest | None, signal_count: int) -> Trace:
    manifest = versions or VersionManifest()
    if row.service_version:
        manifest = manifest.model_copy(update={"service": row.service_version})
    return Trace(
        trace_id=row.trace_id,
        name=row.name,
        root_span_id=row.root_span_id,
        session_id=row.session_id,
        user_id=row.user_id,
        service=row.service,
        surface=row.surface,
        versions=manifest,
        source=TraceSource(row.source),
        stop_reason=row.stop_reason,
        final_status=row.final_status,
        start=from_unix_nanos(row.start_ns),
        end=from_unix_nanos(row.end_ns) if row.end_ns is not None else None,
        span_count=row.span_count,
        error_count=row.error_count,
        signal_count=signal_count,
    )


def span_from_row(row: SpanRow) -> Span:
    body = orjson.loads(row.body)
    tokens = None
    if row.input_tokens is not None or row.output_tokens is not None or row.total_tokens:
        tokens = TokenUsage(
            input=row.input_tokens, output=row.output_tokens, total=row.total_tokens
        )
    tool = None
    if row.type == SpanType.TOOL:
        tool = ToolCall(
            name=row.name, arguments=body.get("tool_arguments"), result=body.get("tool_result")
        )
    return Span(
        trace_id=row.trace_id,
        span_id=row.span_id,
        parent_span_id=row.parent_span_id,
        type=SpanType(row.type),
        name=row.name,
        status=SpanStatus(row.status),
        status_message=body.get("status_message"),
        start=from_unix_nanos(row.start_ns),
        end=from_unix_nanos(row.end_ns) if row.end_ns is not None else None,
        input=body.get("input"),
        output=body.get("output"),
        attributes=body.get("attributes", {}),
        events=body.get("events", []),
        model=row.model,
        tokens=tokens,
        cost=row.cost,
        tool=tool,
    )


def read_trace(query: Query, project_id: int, trace_id: str) -> Trace:
    """The whole trace with its spans in start order; run ``query`` in one transaction.

    Raises:
        NotFound: no such trace in this project.
    """
    params = {"project_id": project_id, "trace_id": trace_id}
    found = query(TRACE_SQL, params)
    if not found:
        raise NotFound(f"no trace {trace_id} in this project")
    *columns, signal_count = found[0]
    span_rows = query(SPANS_SQL, params)
    versions = manifests(query(VERSIONS_SQL, params)).get(trace_id)
    trace = trace_from_row(TraceRow._make(columns), versions, int(signal_count))
    trace.spans = [span_from_row(SpanRow._make(r)) for r in span_rows]
    return trace
