"""Storing signals (feedback) and incidents. Nothing accepted is dropped: a signal may
name a trace that has not arrived yet, and joins it when it does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import insert, select

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.core.errors import Conflict, NotFound
from ratchet.core.signals import Incident, IncidentSeverity, Signal, SignalKind
from ratchet.store.schema import incidents, signals
from ratchet.store.store import Store


def _dumps(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value, default=str).decode()


def _loads(value: str | None) -> Any:
    return None if value is None else orjson.loads(value)


def add_signal(store: Store, project_id: int, signal: Signal) -> Signal:
    with store.write() as conn:
        conn.execute(
            insert(signals).values(
                project_id=project_id,
                id=signal.id,
                kind=signal.kind.value,
                trace_id=signal.trace_id,
                session_id=signal.session_id,
                strength=signal.strength,
                comment=signal.comment,
                corrected_output=_dumps(signal.corrected_output),
                evidence=_dumps(signal.evidence or None),
                created_ns=to_unix_nanos(signal.created_at),
                created_by=signal.created_by,
            )
        )
    return signal


def _signal_from_row(row: Any) -> Signal:
    return Signal(
        id=row.id,
        kind=SignalKind(row.kind),
        trace_id=row.trace_id,
        session_id=row.session_id,
        strength=row.strength,
        comment=row.comment,
        corrected_output=_loads(row.corrected_output),
        evidence=_loads(row.evidence) or {},
        created_at=from_unix_nanos(row.created_ns),
        created_by=row.created_by,
    )


def signals_for_trace(
    store: Store, project_id: int, trace_id: str, session_id: str | None
) -> list[Signal]:
    """Signals about a trace: posted on it, or on its session.

    Two indexed reads rather than one query with OR: SQLite answers the OR
    by walking every signal of the project (50k at a million traces).
    """
    queries = [
        select(signals).where(signals.c.project_id == project_id, signals.c.trace_id == trace_id)
    ]
    if session_id:
        queries.append(
            select(signals).where(
                signals.c.project_id == project_id,
                signals.c.session_id == session_id,
                signals.c.trace_id.is_(None),
            )
        )
    with store.read() as conn:
        rows = [r for q in queries for r in conn.execute(q)]
    rows.sort(key=lambda r: (r.created_ns, r.id))
    return [_signal_from_row(r) for r in rows]


def add_incident(store: Store, project_id: int, incident: Incident, created_by: str | None) -> None:
    with store.write() as conn:
        taken = conn.execute(
            select(incidents.c.id).where(
                incidents.c.project_id == project_id, incidents.c.id == incident.id
            )
        ).first()
        if taken:
            raise Conflict(f"incident {incident.id} already exists; choose another id")
        conn.execute(
            insert(incidents).values(
                project_id=project_id,
                id=incident.id,
                severity=incident.severity.value,
                title=incident.title,
                description=incident.description,
                trace_ids=orjson.dumps(incident.trace_ids).decode(),
                fixture_ids=orjson.dumps(incident.fixture_ids).decode(),
                opened_ns=to_unix_nanos(incident.opened_at),
                closed_ns=to_unix_nanos(incident.closed_at) if incident.closed_at else None,
                created_by=created_by,
            )
        )


def _incident_from_row(row: Any) -> Incident:
    return Incident(
        id=row.id,
        severity=IncidentSeverity(row.severity),
        title=row.title,
        description=row.description,
        trace_ids=orjson.loads(row.trace_ids),
        fixture_ids=orjson.loads(row.fixture_ids),
        opened_at=from_unix_nanos(row.opened_ns),
        closed_at=from_unix_nanos(row.closed_ns) if row.closed_ns else None,
    )


def get_incident(store: Store, project_id: int, incident_id: str) -> Incident:
    with store.read() as conn:
        row = conn.execute(
            select(incidents).where(
                incidents.c.project_id == project_id, incidents.c.id == incident_id
            )
        ).first()
    if row is None:
        raise NotFound(f"no incident {incident_id} in this project")
    return _incident_from_row(row)


def list_incidents(store: Store, project_id: int) -> Sequence[Incident]:
    with store.read() as conn:
        rows = conn.execute(
            select(incidents)
            .where(incidents.c.project_id == project_id)
            .order_by(incidents.c.opened_ns.desc())
        ).all()
    return [_incident_from_row(r) for r in rows]


def add_new_signals(store: Store, project_id: int, found: Sequence[Signal]) -> int:
    """Store signals whose ids are not stored yet; returns how many were new.

    Background detection names each finding by a digest of what it is, so
    running it again (a restart, a second replica) finds the same ids and
    stores nothing twice.
    """
    if not found:
        return 0
    rows = [
        {
            "project_id": project_id,
            "id": s.id,
            "kind": s.kind.value,
            "trace_id": s.trace_id,
            "session_id": s.session_id,
            "strength": s.strength,
            "comment": s.comment,
            "corrected_output": _dumps(s.corrected_output),
            "evidence": _dumps(s.evidence or None),
            "created_ns": to_unix_nanos(s.created_at),
            "created_by": s.created_by,
        }
        for s in {s.id: s for s in found}.values()
    ]
    with store.write() as conn:
        stored: set[str] = set()
        ids = [r["id"] for r in rows]
        for start in range(0, len(ids), 500):
            stored.update(
                r[0]
                for r in conn.execute(
                    select(signals.c.id).where(
                        signals.c.project_id == project_id,
                        signals.c.id.in_(ids[start : start + 500]),
                    )
                )
            )
        rows = [r for r in rows if r["id"] not in stored]
        if not rows:
            return 0
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            statement: Any = pg_insert(signals).on_conflict_do_nothing(
                index_elements=["project_id", "id"]
            )
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            statement = sqlite_insert(signals).on_conflict_do_nothing(
                index_elements=["project_id", "id"]
            )
        # ON CONFLICT still: another replica may store the same finding meanwhile.
        conn.execute(statement, rows)
    return len(rows)
