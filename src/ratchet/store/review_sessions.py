"""Review sessions and their items: which traces to read, in what order, and the verdicts.

The review stage draws the sample; this module stores it and reads back what
the queue page and ``ratchet review status`` show. A session never holds the
same trace twice (the key says so), and every read is scoped to one project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import and_, func, insert, select, update

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.core.errors import NotFound
from ratchet.core.review import ReviewItem, ReviewSession, Verdict
from ratchet.store.schema import notes, review_items, review_sessions, signals, traces
from ratchet.store.store import Store


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One line of the review queue: the item and what the list shows of its trace."""

    item: ReviewItem
    name: str | None
    surface: str | None
    service: str | None
    start_ns: int | None
    span_count: int
    error_count: int
    final_status: str | None
    signal_kinds: tuple[str, ...]
    noted: bool


def create_session(
    store: Store, project_id: int, session: ReviewSession, picks: Sequence[tuple[str, str]]
) -> ReviewSession:
    """Store ``session`` and its ``picks`` ((trace id, reason), reading order) at once."""
    with store.write() as conn:
        conn.execute(
            insert(review_sessions).values(
                project_id=project_id,
                id=session.id,
                name=session.name,
                created_ns=to_unix_nanos(session.created_at),
                created_by=session.created_by,
                size=session.size,
                random_share=session.random_share,
                stratify=session.stratify,
                filters=orjson.dumps(session.filters).decode(),
            )
        )
        if picks:
            conn.execute(
                insert(review_items),
                [
                    {
                        "project_id": project_id,
                        "session_id": session.id,
                        "trace_id": trace_id,
                        "position": position,
                        "reason": reason[:400],
                    }
                    for position, (trace_id, reason) in enumerate(picks, 1)
                ],
            )
    return session.model_copy(update={"items": len(picks)})


def _session_from_row(row: Any, items: int, reviewed: int) -> ReviewSession:
    return ReviewSession(
        id=row.id,
        name=row.name,
        created_at=from_unix_nanos(row.created_ns),
        created_by=row.created_by,
        size=row.size,
        random_share=row.random_share,
        stratify=row.stratify,
        filters=orjson.loads(row.filters),
        items=items,
        reviewed=reviewed,
    )


def _progress(conn: Any, project_id: int, session_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    if not session_ids:
        return {}
    rows = conn.execute(
        select(
            review_items.c.session_id,
            func.count(),
            func.count(review_items.c.reviewed_ns),
        )
        .where(
            review_items.c.project_id == project_id,
            review_items.c.session_id.in_(list(session_ids)),
        )
        .group_by(review_items.c.session_id)
    )
    return {r[0]: (int(r[1]), int(r[2])) for r in rows}


def list_sessions(store: Store, project_id: int, limit: int = 50) -> list[ReviewSession]:
    """The newest sessions first, each with its item and reviewed counts."""
    with store.read() as conn:
        rows = conn.execute(
            select(review_sessions)
            .where(review_sessions.c.project_id == project_id)
            .order_by(review_sessions.c.created_ns.desc(), review_sessions.c.id)
            .limit(limit)
        ).all()
        progress = _progress(conn, project_id, [r.id for r in rows])
    return [_session_from_row(r, *progress.get(r.id, (0, 0))) for r in rows]


def get_session(store: Store, project_id: int, session_id: str) -> ReviewSession:
    with store.read() as conn:
        row = conn.execute(
            select(review_sessions).where(
                review_sessions.c.project_id == project_id, review_sessions.c.id == session_id
            )
        ).first()
        if row is None:
            raise NotFound(
                f"no review session {session_id!r} in this project;"
                " `ratchet review status` lists the sessions"
            )
        progress = _progress(conn, project_id, [session_id])
    return _session_from_row(row, *progress.get(session_id, (0, 0)))


def _item_from_row(row: Any) -> ReviewItem:
    return ReviewItem(
        session_id=row.session_id,
        position=row.position,
        trace_id=row.trace_id,
        reason=row.reason,
        verdict=Verdict(row.verdict) if row.verdict else None,
        reviewed_at=from_unix_nanos(row.reviewed_ns) if row.reviewed_ns is not None else None,
        reviewed_by=row.reviewed_by,
    )


def session_items(store: Store, project_id: int, session_id: str) -> list[ReviewItem]:
    with store.read() as conn:
        rows = conn.execute(
            select(review_items)
            .where(review_items.c.project_id == project_id, review_items.c.session_id == session_id)
            .order_by(review_items.c.position)
        ).all()
    return [_item_from_row(r) for r in rows]


def queue(store: Store, project_id: int, session_id: str) -> list[QueueRow]:
    """The session's items in reading order, with each trace's summary, signals and notes.

    Three indexed reads whatever the store's size: the items, their traces by
    key, and the signals of just those traces.
    """
    with store.read() as conn:
        rows = conn.execute(
            select(
                review_items,
                traces.c.name,
                traces.c.surface,
                traces.c.service,
                traces.c.start_ns,
                traces.c.span_count,
                traces.c.error_count,
                traces.c.final_status,
            )
            .select_from(
                review_items.outerjoin(
                    traces,
                    and_(
                        traces.c.project_id == review_items.c.project_id,
                        traces.c.trace_id == review_items.c.trace_id,
                    ),
                )
            )
            .where(review_items.c.project_id == project_id, review_items.c.session_id == session_id)
            .order_by(review_items.c.position)
        ).all()
        ids = [r.trace_id for r in rows]
        kinds: dict[str, set[str]] = {}
        noted: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for trace_id, kind in conn.execute(
                select(signals.c.trace_id, signals.c.kind)
                .where(signals.c.project_id == project_id, signals.c.trace_id.in_(chunk))
                .distinct()
            ):
                kinds.setdefault(trace_id, set()).add(kind)
            noted.update(
                r[0]
                for r in conn.execute(
                    select(notes.c.trace_id)
                    .where(notes.c.project_id == project_id, notes.c.trace_id.in_(chunk))
                    .distinct()
                )
            )
    return [
        QueueRow(
            item=_item_from_row(r),
            name=r.name,
            surface=r.surface,
            service=r.service,
            start_ns=r.start_ns,
            span_count=r.span_count or 0,
            error_count=r.error_count or 0,
            final_status=r.final_status,
            signal_kinds=tuple(sorted(kinds.get(r.trace_id, ()))),
            noted=r.trace_id in noted,
        )
        for r in rows
    ]


def set_verdict(
    store: Store,
    project_id: int,
    session_id: str,
    trace_id: str,
    verdict: Verdict | None,
    *,
    by: str | None,
    at_ns: int,
) -> ReviewItem:
    """Record pass/fail (or clear it) on one item; the item must be in the session.

    A trace is reviewed from the first time someone judged it or noted it:
    changing the verdict keeps that time (the saturation curve's order), and
    clearing it un-reviews the trace only when no note was written on it.
    """
    key = (
        review_items.c.project_id == project_id,
        review_items.c.session_id == session_id,
        review_items.c.trace_id == trace_id,
    )
    with store.write() as conn:
        row = conn.execute(select(review_items).where(*key)).first()
        if row is None:
            raise NotFound(f"trace {trace_id} is not in review session {session_id!r}")
        if verdict is not None or _has_note(conn, project_id, trace_id):
            reviewed_ns, reviewed_by = row.reviewed_ns or at_ns, row.reviewed_by or by
        else:
            reviewed_ns, reviewed_by = None, None
        conn.execute(
            update(review_items)
            .where(*key)
            .values(
                verdict=verdict.value if verdict else None,
                reviewed_ns=reviewed_ns,
                reviewed_by=reviewed_by,
            )
        )
        row = conn.execute(select(review_items).where(*key)).one()
    return _item_from_row(row)


def _has_note(conn: Any, project_id: int, trace_id: str) -> bool:
    found = conn.execute(
        select(notes.c.id).where(notes.c.project_id == project_id, notes.c.trace_id == trace_id)
    ).first()
    return found is not None


def mark_reviewed(
    store: Store, project_id: int, trace_id: str, *, by: str | None, at_ns: int
) -> None:
    """A note written on a trace marks it reviewed in every session holding it, if not yet."""
    with store.write() as conn:
        conn.execute(
            update(review_items)
            .where(
                review_items.c.project_id == project_id,
                review_items.c.trace_id == trace_id,
                review_items.c.reviewed_ns.is_(None),
            )
            .values(reviewed_ns=at_ns, reviewed_by=by)
        )


def reviewed_traces(store: Store, project_id: int) -> list[tuple[str, int, str]]:
    """(trace id, first reviewed time, session id) of every reviewed trace, in review order."""
    with store.read() as conn:
        rows = conn.execute(
            select(review_items.c.trace_id, review_items.c.reviewed_ns, review_items.c.session_id)
            .where(review_items.c.project_id == project_id, review_items.c.reviewed_ns.is_not(None))
            .order_by(review_items.c.reviewed_ns, review_items.c.trace_id)
        ).all()
    first: dict[str, tuple[str, int, str]] = {}
    for trace_id, at, session_id in rows:
        first.setdefault(trace_id, (trace_id, int(at), session_id))
    return list(first.values())


#: What a queue can be narrowed to by its reading state.
QUEUE_STATES = ("unread", "pass", "fail", "noted")


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Narrow a queue: a signal kind, a surface, a reading state (``QUEUE_STATES``)."""

    signal: str | None = None
    surface: str | None = None
    state: str | None = None

    def __post_init__(self) -> None:
        if self.state is not None and self.state not in QUEUE_STATES:
            from ratchet.core.errors import RatchetError

            raise RatchetError(
                f"state {self.state!r} is not a queue state; use one of {', '.join(QUEUE_STATES)}"
            )

    @property
    def active(self) -> bool:
        return bool(self.signal or self.surface or self.state)

    def keep(self, row: QueueRow) -> bool:
        if self.signal and self.signal not in row.signal_kinds:
            return False
        if self.surface and row.surface != self.surface:
            return False
        state = self.state
        if state == "unread":
            return row.item.reviewed_at is None
        if state == "noted":
            return row.noted
        if state in ("pass", "fail"):
            return row.item.verdict is not None and row.item.verdict.value == state
        return True
