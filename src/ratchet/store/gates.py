"""Gate decisions and waivers.

A waiver lets one held fixture through for one change, identified by its
``change_key`` (a digest of what changed): the next change is not covered,
so a waiver expires with the change it waived.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import insert, select

from ratchet.store.schema import gate_decisions, waivers
from ratchet.store.store import Store


@dataclass(frozen=True, slots=True)
class Waiver:
    fixture_id: str
    change_key: str
    waived_by: str
    reason: str
    created_ns: int


def add_waivers(store: Store, project_id: int, given: list[Waiver]) -> None:
    """Record waivers; giving the same one again keeps the first.

    Shards of one gate may record the same waiver at once on a shared
    database: ON CONFLICT makes that a no-op rather than a crash.
    """
    unique: dict[tuple[str, str], Waiver] = {}
    for w in given:
        unique.setdefault((w.fixture_id, w.change_key), w)
    if not unique:
        return
    with store.write() as conn:
        conn.execute(
            _insert_new(conn.dialect.name),
            [
                {
                    "project_id": project_id,
                    "fixture_id": w.fixture_id,
                    "change_key": w.change_key,
                    "waived_by": w.waived_by,
                    "reason": w.reason,
                    "created_ns": w.created_ns,
                }
                for w in unique.values()
            ],
        )


def _insert_new(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING, in the dialect's own construct."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(waivers).on_conflict_do_nothing(
            index_elements=["project_id", "fixture_id", "change_key"]
        )
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(waivers).on_conflict_do_nothing(
        index_elements=["project_id", "fixture_id", "change_key"]
    )


def waivers_for(store: Store, project_id: int, change_key: str) -> dict[str, Waiver]:
    """Waivers recorded for this change, by fixture id."""
    with store.read() as conn:
        rows = conn.execute(
            select(waivers).where(
                waivers.c.project_id == project_id, waivers.c.change_key == change_key
            )
        ).all()
    return {
        r.fixture_id: Waiver(r.fixture_id, r.change_key, r.waived_by, r.reason, r.created_ns)
        for r in rows
    }


def save_decision(
    store: Store,
    project_id: int,
    *,
    decision_id: str,
    run_id: str | None,
    decision: str,
    change_types: list[str],
    change_key: str,
    report: dict[str, object],
    created_ns: int,
) -> None:
    with store.write() as conn:
        conn.execute(
            insert(gate_decisions).values(
                project_id=project_id,
                id=decision_id,
                run_id=run_id,
                decision=decision,
                change_types=orjson.dumps(change_types).decode(),
                change_key=change_key,
                report=orjson.dumps(report, default=str).decode(),
                created_ns=created_ns,
            )
        )


def list_decisions(store: Store, project_id: int, limit: int = 20) -> list[dict[str, object]]:
    with store.read() as conn:
        rows = conn.execute(
            select(gate_decisions)
            .where(gate_decisions.c.project_id == project_id)
            .order_by(gate_decisions.c.created_ns.desc())
            .limit(limit)
        ).mappings()
        return [
            {
                **dict(row),
                "change_types": orjson.loads(row["change_types"]),
                "report": orjson.loads(row["report"]),
            }
            for row in rows
        ]
