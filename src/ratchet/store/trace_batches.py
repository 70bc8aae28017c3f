"""Whole traces in batches, for background jobs that read every trace as it arrives (detection).

One query per table per 500 traces instead of three per trace: a job that
must keep up with ingest cannot afford a round trip per trace.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, func, select

from ratchet.core.traces import Trace
from ratchet.store.schema import spans, trace_versions, traces
from ratchet.store.sql_reads import SpanRow, TraceRow, manifests, span_from_row, trace_from_row
from ratchet.store.store import Store

_CHUNK = 500
#: The columns a Trace is built from, named rather than ``select(traces)``: bookkeeping
#: columns (when a row was last written) are no part of it.
_TRACE_COLUMNS = tuple(traces.c[name] for name in TraceRow._fields)


def read_traces(store: Store, project_id: int, trace_ids: Sequence[str]) -> list[Trace]:
    """The traces (with spans in start order) among ``trace_ids``, in the order asked."""
    found: dict[str, Trace] = {}
    with store.read() as conn:
        for start in range(0, len(trace_ids), _CHUNK):
            chunk = list(trace_ids[start : start + _CHUNK])
            rows = conn.execute(
                select(*_TRACE_COLUMNS).where(
                    traces.c.project_id == project_id, traces.c.trace_id.in_(chunk)
                )
            ).all()
            versions = manifests(
                conn.execute(
                    select(
                        trace_versions.c.trace_id,
                        trace_versions.c.kind,
                        trace_versions.c.name,
                        trace_versions.c.version,
                    ).where(
                        trace_versions.c.project_id == project_id,
                        trace_versions.c.trace_id.in_(chunk),
                    )
                ).all()
            )
            for row in rows:
                made = trace_from_row(TraceRow._make(row), versions.get(row.trace_id), 0)
                found[made.trace_id] = made
            for row in conn.execute(
                select(spans)
                .where(spans.c.project_id == project_id, spans.c.trace_id.in_(chunk))
                .order_by(spans.c.trace_id, spans.c.start_ns, spans.c.span_id)
            ):
                owner = found.get(row.trace_id)
                if owner is not None:
                    owner.spans.append(span_from_row(SpanRow._make(row)))
    return [found[t] for t in trace_ids if t in found]


def _production(project_id: int) -> ColumnElement[bool]:
    return and_(traces.c.project_id == project_id, traces.c.source == "production")


def settled_after(
    store: Store,
    project_id: int,
    after: tuple[int, str],
    until_ns: int | None,
    limit: int,
) -> list[tuple[str, int, str | None]]:
    """(trace id, seen, session id) of production traces past keyset ``after``, oldest first.

    Traces are ordered by (seen_ns, trace_id), the time ingest last wrote
    them, so one written after the cursor passed is read whatever its own
    end time says. Only those seen at or before ``until_ns`` (None: all)
    count as settled.
    """
    after_ns, after_id = after
    seen = traces.c.seen_ns
    cond = _production(project_id) & (
        (seen > after_ns) | ((seen == after_ns) & (traces.c.trace_id > after_id))
    )
    if until_ns is not None:
        cond = cond & (seen <= until_ns)
    with store.read() as conn:
        rows = conn.execute(
            select(traces.c.trace_id, seen, traces.c.session_id)
            .where(cond)
            .order_by(seen, traces.c.trace_id)
            .limit(limit)
        ).all()
    return [(r[0], int(r[1]), r[2]) for r in rows]


def session_traces(
    store: Store, project_id: int, session_ids: Sequence[str]
) -> dict[str, list[tuple[str, int]]]:
    """session id → its production traces' (id, seen), for judging whether each session is over."""
    out: dict[str, list[tuple[str, int]]] = {}
    with store.read() as conn:
        for start in range(0, len(session_ids), _CHUNK):
            chunk = list(session_ids[start : start + _CHUNK])
            for trace_id, session_id, seen_ns in conn.execute(
                select(traces.c.trace_id, traces.c.session_id, traces.c.seen_ns).where(
                    _production(project_id), traces.c.session_id.in_(chunk)
                )
            ):
                out.setdefault(session_id, []).append((trace_id, int(seen_ns)))
    return out


def recent_costs(
    store: Store, project_id: int, until_ns: int | None, limit: int
) -> list[tuple[str | None, str | None, float | None, float | None]]:
    """(service, surface, cost, duration ms) of the ``limit`` production traces settled last.

    Settled: seen at or before ``until_ns`` (None: all).

    What cost and latency baselines are built from. Cost is the sum of the
    model calls' costs (the leaves: a parent's rolled-up cost would count
    them twice).
    """
    cond = _production(project_id)
    if until_ns is not None:
        cond = cond & (traces.c.seen_ns <= until_ns)
    with store.read() as conn:
        latest = (
            select(
                traces.c.trace_id,
                traces.c.service,
                traces.c.surface,
                traces.c.start_ns,
                traces.c.end_ns,
            )
            .where(cond)
            .order_by(traces.c.seen_ns.desc(), traces.c.trace_id.desc())
            .limit(limit)
            .subquery()
        )
        rows = conn.execute(
            select(
                latest.c.service,
                latest.c.surface,
                latest.c.start_ns,
                latest.c.end_ns,
                func.sum(spans.c.cost),
            )
            .select_from(
                latest.outerjoin(
                    spans,
                    and_(
                        spans.c.project_id == project_id,
                        spans.c.trace_id == latest.c.trace_id,
                        spans.c.type == "model",
                    ),
                )
            )
            .group_by(
                latest.c.trace_id,
                latest.c.service,
                latest.c.surface,
                latest.c.start_ns,
                latest.c.end_ns,
            )
        ).all()
    return [
        (
            service,
            surface,
            float(cost) if cost is not None else None,
            (end - start) / 1e6 if end is not None else None,
        )
        for service, surface, start, end, cost in rows
    ]
