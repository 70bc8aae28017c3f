"""Fixtures promoted from reviewed traces, kept on the server until pulled into a repository.

The body is the fixture file's text exactly as the editor saved it (YAML),
so ``ratchet fixtures pull`` writes what the reviewer saw, comments and all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ratchet.core.errors import Conflict, NotFound
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


class PromotionTaken(Conflict):
    """The fixture id is already promoted by someone else, or from another trace.

    Attributes:
        existing: the promotion that would have been replaced.
    """

    def __init__(self, existing: Promotion) -> None:
        who = existing.created_by or "an unnamed key"
        source = f"trace {existing.trace_id}" if existing.trace_id else "no trace"
        super().__init__(
            f"fixture {existing.fixture_id!r} is already promoted by {who} from {source}:"
            " give this fixture another id, or replace theirs on purpose"
            ' (send "replace": true)'
        )
        self.existing = existing


def save_promotion(
    store: Store, project_id: int, promotion: Promotion, *, replace: bool = False
) -> tuple[Promotion, bool]:
    """Store the promotion; returns (stored, created).

    Saving again from the editor (same person, same trace) updates the
    promotion in place. Anyone else's promotion under that id, or one from
    another trace, is someone's work: it is replaced only with ``replace``,
    and then the promotion counts as made by the one replacing it. The check
    and the write are one conditional UPDATE, so two reviewers saving at once
    cannot both pass it.

    Raises:
        PromotionTaken: the id is taken and ``replace`` is false; nothing is stored.
        Conflict: someone created the same id at the same moment.
    """
    key = (promotions.c.project_id == project_id, promotions.c.fixture_id == promotion.fixture_id)
    values = {
        "trace_id": promotion.trace_id,
        "note_id": promotion.note_id,
        "mode_id": promotion.mode_id,
        "owner": promotion.owner,
        "severity": promotion.severity,
        "body": promotion.body,
        "updated_ns": promotion.updated_ns,
    }
    try:
        with store.write() as conn:
            own = conn.execute(
                update(promotions)
                .where(
                    *key,
                    promotions.c.trace_id.is_not_distinct_from(promotion.trace_id),
                    promotions.c.created_by.is_not_distinct_from(promotion.created_by),
                )
                .values(**values)
            )
            created = False
            if own.rowcount == 0:
                replaced = replace and (
                    conn.execute(
                        update(promotions)
                        .where(*key)
                        .values(
                            created_ns=promotion.created_ns,
                            created_by=promotion.created_by,
                            **values,
                        )
                    ).rowcount
                    > 0
                )
                if not replaced:
                    existing = conn.execute(select(promotions).where(*key)).first()
                    if existing is not None:
                        raise PromotionTaken(_from_row(existing))
                    conn.execute(
                        insert(promotions).values(
                            project_id=project_id,
                            fixture_id=promotion.fixture_id,
                            created_ns=promotion.created_ns,
                            created_by=promotion.created_by,
                            **values,
                        )
                    )
                    created = True
    except IntegrityError as exc:
        raise Conflict(
            f"fixture {promotion.fixture_id!r} was promoted by someone else at the same moment:"
            " read theirs (GET /api/v1/promotions/ID), then save again under another id"
            " or replace it"
        ) from exc
    return get_promotion(store, project_id, promotion.fixture_id), created


def delete_promotion(store: Store, project_id: int, fixture_id: str) -> None:
    """Remove a promoted fixture (to rename it: delete, then promote again under the new id).

    Files already pulled into a repository stay there; a repository is
    changed only by its own commits.

    Raises:
        NotFound: no promotion with that id in this project.
    """
    with store.write() as conn:
        done = conn.execute(
            delete(promotions).where(
                promotions.c.project_id == project_id, promotions.c.fixture_id == fixture_id
            )
        )
    if done.rowcount == 0:
        raise NotFound(f"no promoted fixture {fixture_id!r} in this project")


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
