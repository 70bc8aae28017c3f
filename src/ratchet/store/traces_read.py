"""Reading traces: filtered keyset pages for lists, whole span trees for one trace."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, func, or_, select, tuple_

from ratchet.core.clock import to_unix_nanos
from ratchet.core.errors import RatchetError
from ratchet.core.traces import Trace, VersionManifest
from ratchet.store.schema import signals, trace_versions, traces
from ratchet.store.sql_reads import (
    TraceRow,
    manifests,
    read_trace,
    sqlalchemy_query,
    trace_from_row,
)
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
    page = [
        trace_from_row(TraceRow._make(r), versions.get(r.trace_id), counts.get(r.trace_id, 0))
        for r in rows
    ]
    next_cursor = encode_cursor(rows[-1].start_ns, rows[-1].trace_id) if more and rows else None
    return TracePage(page, next_cursor)


def _versions_for(
    conn: Connection, project_id: int, trace_ids: list[str]
) -> dict[str, VersionManifest]:
    if not trace_ids:
        return {}
    tv = trace_versions.c
    return manifests(
        conn.execute(
            select(tv.trace_id, tv.kind, tv.name, tv.version).where(
                tv.project_id == project_id, tv.trace_id.in_(trace_ids)
            )
        ).all()
    )


def _signal_counts(conn: Connection, project_id: int, rows: Sequence[Any]) -> dict[str, int]:
    """Signal counts for a page of traces: the rule of ``sql_reads.TRACE_SQL``, batched."""
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


def get_trace(store: Store, project_id: int, trace_id: str) -> Trace:
    """The whole trace with its spans in start order.

    Raises:
        NotFound: no such trace in this project.
    """
    with store.read() as conn:
        return read_trace(sqlalchemy_query(conn), project_id, trace_id)


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
