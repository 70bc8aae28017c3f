"""The traces a review session may draw from: the flagged ones, and a uniform pool of the rest.

A store of a million traces cannot be handed to the sampler whole. The
flagged traces (those with a signal suggesting failure) are few and all
read; the rest are represented by a uniform pool: trace ids are random hex,
so the ids following a random pivot are a uniform sample, read off the
primary key without sorting the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, select

from ratchet.store.schema import notes, review_items, signals, traces
from ratchet.store.store import Store


@dataclass(frozen=True, slots=True)
class CandidateRow:
    trace_id: str
    start_ns: int
    surface: str | None
    version: str | None
    signals: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Window:
    """Which production traces a session draws from."""

    since_ns: int | None = None
    until_ns: int | None = None
    surface: str | None = None
    service: str | None = None


def _where(project_id: int, window: Window) -> list[ColumnElement[bool]]:
    cond: list[ColumnElement[bool]] = [
        traces.c.project_id == project_id,
        traces.c.source == "production",
    ]
    if window.since_ns is not None:
        cond.append(traces.c.start_ns >= window.since_ns)
    if window.until_ns is not None:
        cond.append(traces.c.start_ns < window.until_ns)
    if window.surface is not None:
        cond.append(traces.c.surface == window.surface)
    if window.service is not None:
        cond.append(traces.c.service == window.service)
    return cond


def flagged(store: Store, project_id: int, window: Window, limit: int) -> list[CandidateRow]:
    """The ``limit`` traces of the window most strongly flagged, with their strongest per kind.

    Ranked in SQL, so a store where outlier detection flags a few percent of
    a million traces hands the sampler only what a session could draw.
    """
    joined = signals.join(
        traces,
        and_(
            traces.c.project_id == signals.c.project_id,
            traces.c.trace_id == signals.c.trace_id,
        ),
    )
    strongest = func.max(signals.c.strength)
    top = (
        select(signals.c.trace_id, strongest)
        .select_from(joined)
        .where(
            signals.c.project_id == project_id, signals.c.strength > 0, *_where(project_id, window)
        )
        .group_by(signals.c.trace_id)
        .order_by(strongest.desc(), signals.c.trace_id)
        .limit(limit)
    )
    found: dict[str, CandidateRow] = {}
    with store.read() as conn:
        ids = [r[0] for r in conn.execute(top)]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for trace_id, start_ns, surface, version in conn.execute(
                select(
                    traces.c.trace_id, traces.c.start_ns, traces.c.surface, traces.c.service_version
                ).where(traces.c.project_id == project_id, traces.c.trace_id.in_(chunk))
            ):
                found[trace_id] = CandidateRow(trace_id, int(start_ns), surface, version)
            for trace_id, kind, strength in conn.execute(
                select(signals.c.trace_id, signals.c.kind, func.max(signals.c.strength))
                .where(
                    signals.c.project_id == project_id,
                    signals.c.trace_id.in_(chunk),
                    signals.c.strength > 0,
                )
                .group_by(signals.c.trace_id, signals.c.kind)
            ):
                if trace_id in found:
                    found[trace_id].signals[kind] = float(strength)
    return [found[t] for t in ids if t in found]


def uniform_pool(
    store: Store, project_id: int, window: Window, pivot: str, limit: int
) -> list[CandidateRow]:
    """Up to ``limit`` traces of the window from ``pivot`` on in id order, wrapping around."""
    columns = (traces.c.trace_id, traces.c.start_ns, traces.c.surface, traces.c.service_version)
    rows: list[CandidateRow] = []
    with store.read() as conn:
        for bound in (traces.c.trace_id >= pivot, traces.c.trace_id < pivot):
            if len(rows) >= limit:
                break
            for trace_id, start_ns, surface, version in conn.execute(
                select(*columns)
                .where(*_where(project_id, window), bound)
                .order_by(traces.c.trace_id)
                .limit(limit - len(rows))
            ):
                rows.append(CandidateRow(trace_id, int(start_ns), surface, version))
    return rows


def reviewed_ids(store: Store, project_id: int, trace_ids: list[str]) -> set[str]:
    """The traces among ``trace_ids`` someone has read: judged in a session, or noted anywhere."""
    found: set[str] = set()
    with store.read() as conn:
        for start in range(0, len(trace_ids), 500):
            chunk = trace_ids[start : start + 500]
            found.update(
                r[0]
                for r in conn.execute(
                    select(review_items.c.trace_id)
                    .where(
                        review_items.c.project_id == project_id,
                        review_items.c.trace_id.in_(chunk),
                        review_items.c.reviewed_ns.is_not(None),
                    )
                    .distinct()
                )
            )
            found.update(
                r[0]
                for r in conn.execute(
                    select(notes.c.trace_id)
                    .where(notes.c.project_id == project_id, notes.c.trace_id.in_(chunk))
                    .distinct()
                )
            )
    return found


def trace_facets(
    store: Store, project_id: int, trace_ids: list[str]
) -> dict[str, tuple[str | None, str | None]]:
    """trace id → (surface, version) for the traces counts break down by."""
    found: dict[str, tuple[str | None, str | None]] = {}
    with store.read() as conn:
        for start in range(0, len(trace_ids), 500):
            chunk = trace_ids[start : start + 500]
            for trace_id, surface, version in conn.execute(
                select(traces.c.trace_id, traces.c.surface, traces.c.service_version).where(
                    traces.c.project_id == project_id, traces.c.trace_id.in_(chunk)
                )
            ):
                found[trace_id] = (surface, version)
    return found
