"""Fixtures promoted from reviewed traces, kept on the server until pulled into a repository.

The body is the fixture file's text exactly as the editor saved it (YAML),
so ``ratchet fixtures pull`` writes what the reviewer saw, comments and all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from ratchet.core.errors import NotFound
from ratchet.store.schema import promotions
from ratchet.store.store import Store


@dataclass(frozen=True, slots=True)
class Promotion:
    fixture_id: str
    owner: str
    severity: str
    body: str
    created_ns: int
    updated_ns: int
    trace_id: str | None = None
    note_id: str | None = None
    mode_id: str | None = None
    created_by: str | None = None


def _from_row(row: Any) -> Promotion:
    return Promotion(
        fixture_id=row.fixture_id,
        owner=row.owner,
        severity=row.severity,
        body=row.body,
        created_ns=row.created_ns,
        updated_ns=row.updated_ns,
        trace_id=row.trace_id,
        note_id=row.note_id,
        mode_id=row.mode_id,
        created_by=row.created_by,
    )


def save_promotion(store: Store, project_id: int, promotion: Promotion) -> tuple[Promotion, bool]:
    """Store the promotion; an existing fixture id is updated. Returns (stored, created)."""
    values = {
        "trace_id": promotion.trace_id,
        "note_id": promotion.note_id,
        "mode_id": promotion.mode_id,
        "owner": promotion.owner,
        "severity": promotion.severity,
        "body": promotion.body,
        "updated_ns": promotion.updated_ns,
    }
    with store.write() as conn:
        done = conn.execute(
            update(promotions)
            .where(
                promotions.c.project_id == project_id,
                promotions.c.fixture_id == promotion.fixture_id,
            )
            .values(**values)
        )
        created = done.rowcount == 0
        if created:
            conn.execute(
                insert(promotions).values(
                    project_id=project_id,
                    fixture_id=promotion.fixture_id,
                    created_ns=promotion.created_ns,
                    created_by=promotion.created_by,
                    **values,
                )
            )
    return get_promotion(store, project_id, promotion.fixture_id), created


def get_promotion(store: Store, project_id: int, fixture_id: str) -> Promotion:
    with store.read() as conn:
        row = conn.execute(
            select(promotions).where(
                promotions.c.project_id == project_id, promotions.c.fixture_id == fixture_id
            )
        ).first()
    if row is None:
        raise NotFound(f"no promoted fixture {fixture_id!r} in this project")
    return _from_row(row)


def list_promotions(store: Store, project_id: int, since_ns: int | None = None) -> list[Promotion]:
    """Promotions, oldest change first; ``since_ns``: only those changed after it."""
    query = select(promotions).where(promotions.c.project_id == project_id)
    if since_ns is not None:
        query = query.where(promotions.c.updated_ns > since_ns)
    with store.read() as conn:
        rows = conn.execute(query.order_by(promotions.c.updated_ns, promotions.c.fixture_id)).all()
    return [_from_row(r) for r in rows]
