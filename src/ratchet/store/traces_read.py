"""Reading traces: filtered keyset pages for lists, whole span trees for one trace."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Select, and_, exists, func, or_, select, tuple_

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.core.errors import NotFound, RatchetError
from ratchet.core.spans import Span, SpanStatus, SpanType, TokenUsage, ToolCall
from ratchet.core.traces import ARTIFACT_KINDS, Trace, TraceSource, VersionManifest
from ratchet.store.schema import signals, spans, trace_versions, traces
from ratchet.store.store import Store

MAX_PAGE = 500


@dataclass(frozen=True)
class TraceFilter:
    """What a trace list may be narrowed by; every field is optional.

    ``status`` is ``error`` (a span failed) or ``ok`` (none did);
    ``final_status`` matches the root span's ``ratchet.final_status``.
    """

    since: datetime | None = None
    until: datetime | None = None
    service: str | None = None
    status: str | None = None
    final_status: str | None = None
    session_id: str | None = None
    has_signal: bool | None = None

    def __post_init__(self) -> None:
        if self.status not in (None, "error", "ok"):
            raise RatchetError(f"unknown status {self.status!r}: use 'error' or 'ok'")


@dataclass(frozen=True)
class TracePage:
    traces: list[Trace]
    next_cursor: str | None


def encode_cursor(start_ns: int, trace_id: str) -> str:
    return base64.urlsafe_b64encode(f"{start_ns}:{trace_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        start, trace_id = base64.urlsafe_b64decode(padded).decode().split(":", 1)
        return int(start), trace_id
    except (ValueError, UnicodeDecodeError) as exc:
        raise RatchetError(
            f"invalid cursor {cursor!r}: pass the next_cursor of the previous page unchanged"
        ) from exc


def _has_signal_clause(project_id: int) -> Any:
    by_trace = select(signals.c.trace_id).where(
        signals.c.project_id == project_id, signals.c.trace_id.is_not(None)
    )
    by_session = select(signals.c.session_id).where(
        signals.c.project_id == project_id, signals.c.session_id.is_not(None)
    )
    return or_(traces.c.trace_id.in_(by_trace), traces.c.session_id.in_(by_session))


def _list_query(project_id: int, flt: TraceFilter) -> Select[Any]:
    t = traces.c
    query = select(traces).where(t.project_id == project_id)
    if flt.since is not None:
        query = query.where(t.start_ns >= to_unix_nanos(flt.since))
    if flt.until is not None:
        query = query.where(t.start_ns < to_unix_nanos(flt.until))
    if flt.service is not None:
        query = query.where(t.service == flt.service)
    if flt.status == "error":
        query = query.where(t.error_count > 0)
    elif flt.status == "ok":
        query = query.where(t.error_count == 0)
    if flt.final_status is not None:
        query = query.where(t.final_status == flt.final_status)
    if flt.session_id is not None:
        query = query.where(t.session_id == flt.session_id)
    if flt.has_signal is True:
        query = query.where(_has_signal_clause(project_id))
    elif flt.has_signal is False:
        query = query.where(~_has_signal_clause(project_id))
    return query


def list_traces(
    store: Store,
    project_id: int,
    flt: TraceFilter | None = None,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> TracePage:
    """Newest first, keyset-paged on (start, trace_id): no OFFSET, no COUNT(*)."""
    if not 1 <= limit <= MAX_PAGE:
        raise RatchetError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    query = _list_query(project_id, flt or TraceFilter())
    if cursor:
        start_ns, trace_id = decode_cursor(cursor)
        query = query.where(tuple_(traces.c.start_ns, traces.c.trace_id) < (start_ns, trace_id))
    query = query.order_by(traces.c.start_ns.desc(), traces.c.trace_id.desc()).limit(limit + 1)
    with store.read() as conn:
        fetched = list(conn.execute(query).all())
        more = len(fetched) > limit
        rows = fetched[:limit]
        ids = [r.trace_id for r in rows]
        versions = _versions_for(conn, project_id, ids)
        counts = _signal_counts(conn, project_id, rows)
    page = [_trace_from_row(r, versions.get(r.trace_id), counts.get(r.trace_id, 0)) for r in rows]
    next_cursor = encode_cursor(rows[-1].start_ns, rows[-1].trace_id) if more and rows else None
    return TracePage(page, next_cursor)


def _versions_for(
    conn: Connection, project_id: int, trace_ids: list[str]
) -> dict[str, VersionManifest]:
    if not trace_ids:
        return {}
    rows = conn.execute(
        select(trace_versions).where(
            trace_versions.c.project_id == project_id, trace_versions.c.trace_id.in_(trace_ids)
        )
    ).all()
    grouped: dict[str, dict[str, dict[str, str]]] = {}
    for r in rows:
        if r.kind in ARTIFACT_KINDS:
            grouped.setdefault(r.trace_id, {}).setdefault(r.kind, {})[r.name] = r.version
    return {tid: VersionManifest.model_validate(data) for tid, data in grouped.items()}


def _signal_counts(conn: Connection, project_id: int, rows: Sequence[Any]) -> dict[str, int]:
    if not rows:
        return {}
    ids = [r.trace_id for r in rows]
    sessions = {r.session_id for r in rows if r.session_id}
    counts: dict[str, int] = {}
    by_trace = conn.execute(
        select(signals.c.trace_id, func.count())
        .where(signals.c.project_id == project_id, signals.c.trace_id.in_(ids))
        .group_by(signals.c.trace_id)
    ).all()
    for trace_id, n in by_trace:
        counts[trace_id] = n
    if sessions:
        by_session: dict[str, int] = dict(
            conn.execute(
                select(signals.c.session_id, func.count())
                .where(
                    signals.c.project_id == project_id,
                    signals.c.session_id.in_(sessions),
                    signals.c.trace_id.is_(None),
                )
                .group_by(signals.c.session_id)
            ).all()
        )
        for r in rows:
            if r.session_id in by_session:
                counts[r.trace_id] = counts.get(r.trace_id, 0) + by_session[r.session_id]
    return counts


def _trace_from_row(row: Any, versions: VersionManifest | None, signal_count: int) -> Trace:
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


def span_from_row(row: Any) -> Span:
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


def get_trace(store: Store, project_id: int, trace_id: str) -> Trace:
    """The whole trace with its spans in start order.

    Raises:
        NotFound: no such trace in this project.
    """
    with store.read() as conn:
        row = conn.execute(
            select(traces).where(traces.c.project_id == project_id, traces.c.trace_id == trace_id)
        ).first()
        if row is None:
            raise NotFound(f"no trace {trace_id} in this project")
        span_rows = conn.execute(
            select(spans)
            .where(spans.c.project_id == project_id, spans.c.trace_id == trace_id)
            .order_by(spans.c.start_ns, spans.c.span_id)
        ).all()
        versions = _versions_for(conn, project_id, [trace_id])
        counts = _signal_counts(conn, project_id, [row])
    trace = _trace_from_row(row, versions.get(trace_id), counts.get(trace_id, 0))
    trace.spans = [span_from_row(r) for r in span_rows]
    return trace


def trace_exists(conn: Connection, project_id: int, trace_id: str) -> bool:
    return bool(
        conn.execute(
            select(
                exists().where(
                    and_(traces.c.project_id == project_id, traces.c.trace_id == trace_id)
                )
            )
        ).scalar()
    )
