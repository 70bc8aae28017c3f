"""The failure taxonomy as stored: modes, the log of operations, and what changed codes.

A change is written in one transaction: the operation row (its version is
part of the key, so two replicas racing to make version N cannot both
succeed), the modes it added or ended, and the codes it moved. The review
stage decides what a change is; this module only records it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.core.errors import Conflict
from ratchet.core.review import FailureMode, FailureModeStatus, TaxonomyOp, TaxonomyOpKind
from ratchet.store.notes import CodeChange, all_codes, apply_code_changes
from ratchet.store.schema import failure_modes, taxonomy_ops
from ratchet.store.store import Store

#: Advisory lock keys of taxonomies: this base plus the project id.
_LOCK_BASE = 0x7261_7463_6800_0000


def _mode_from_row(row: Any) -> FailureMode:
    return FailureMode(
        id=row.id,
        name=row.name,
        definition=row.definition,
        examples=orjson.loads(row.examples),
        status=FailureModeStatus(row.status),
        replaced_by=orjson.loads(row.replaced_by),
        created_at=from_unix_nanos(row.created_ns),
        created_by=row.created_by,
        added_in=row.added_in,
        ended_in=row.ended_in,
    )


def _mode_values(mode: FailureMode) -> dict[str, Any]:
    return {
        "name": mode.name,
        "definition": mode.definition,
        "examples": orjson.dumps(mode.examples).decode(),
        "status": mode.status.value,
        "replaced_by": orjson.dumps(mode.replaced_by).decode(),
        "created_ns": to_unix_nanos(mode.created_at),
        "created_by": mode.created_by,
        "added_in": mode.added_in,
        "ended_in": mode.ended_in,
    }


Taxonomy = tuple[int, dict[str, FailureMode], dict[str, set[str]]]
#: Builds one change from the taxonomy as it stands: (operation, modes touched, code changes).
Plan = Callable[
    [int, dict[str, FailureMode], dict[str, set[str]]],
    tuple[TaxonomyOp, Sequence[FailureMode], Sequence[CodeChange]],
]


def _read(conn: Connection, project_id: int) -> Taxonomy:
    version = conn.execute(
        select(func.max(taxonomy_ops.c.version)).where(taxonomy_ops.c.project_id == project_id)
    ).scalar()
    modes = {
        r.id: _mode_from_row(r)
        for r in conn.execute(
            select(failure_modes)
            .where(failure_modes.c.project_id == project_id)
            .order_by(failure_modes.c.added_in, failure_modes.c.name)
        )
    }
    return int(version or 0), modes, all_codes(conn, project_id)


def load_taxonomy(store: Store, project_id: int) -> Taxonomy:
    """(version, modes by id, note id → mode ids) as of now, read in one snapshot."""
    with store.read() as conn:
        return _read(conn, project_id)


def _lock(conn: Connection, project_id: int) -> None:
    """Serialise taxonomy changes and codings of one project.

    SQLite writers already take the database lock at BEGIN; PostgreSQL's
    READ COMMITTED would let a coding land between a merge's read of the
    codes and its write, leaving a note on a mode merged away.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_BASE + project_id})


def taxonomy_log(store: Store, project_id: int) -> list[TaxonomyOp]:
    """Every recorded operation, oldest first."""
    with store.read() as conn:
        rows = conn.execute(
            select(taxonomy_ops)
            .where(taxonomy_ops.c.project_id == project_id)
            .order_by(taxonomy_ops.c.version)
        ).all()
    return [
        TaxonomyOp(
            version=r.version,
            kind=TaxonomyOpKind(r.kind),
            payload=orjson.loads(r.payload),
            by=r.by,
            at=from_unix_nanos(r.at_ns),
            why=r.why,
        )
        for r in rows
    ]


def change(store: Store, project_id: int, plan: Plan) -> TaxonomyOp:
    """Make one taxonomy change from the state read inside the writing transaction.

    ``plan`` sees the taxonomy as it stands under the lock, so the codes a
    merge or split moves are exactly those stored when it commits. Whatever
    ``plan`` raises (a refused change) aborts the transaction: nothing is written.
    """
    with store.write() as conn:
        _lock(conn, project_id)
        op, modes, changes = plan(*_read(conn, project_id))
        _record(conn, project_id, op, modes, changes)
    return op


def _record(
    conn: Connection,
    project_id: int,
    op: TaxonomyOp,
    modes: Sequence[FailureMode],
    changes: Sequence[CodeChange],
) -> None:
    at_ns = to_unix_nanos(op.at)
    try:
        with conn.begin_nested():
            conn.execute(
                insert(taxonomy_ops).values(
                    project_id=project_id,
                    version=op.version,
                    kind=op.kind.value,
                    payload=orjson.dumps(op.payload).decode(),
                    by=op.by,
                    at_ns=at_ns,
                    why=op.why,
                )
            )
    except IntegrityError as exc:
        raise Conflict(
            f"the taxonomy changed while this change was being made (version {op.version}"
            " was taken by another): reload and try again"
        ) from exc
    _upsert_modes(conn, project_id, modes)
    apply_code_changes(conn, project_id, changes, by=op.by, at_ns=at_ns)


def _upsert_modes(conn: Any, project_id: int, modes: Sequence[FailureMode]) -> None:
    for mode in modes:
        done = conn.execute(
            update(failure_modes)
            .where(failure_modes.c.project_id == project_id, failure_modes.c.id == mode.id)
            .values(**_mode_values(mode))
        )
        if done.rowcount == 0:
            conn.execute(
                insert(failure_modes).values(
                    project_id=project_id, id=mode.id, **_mode_values(mode)
                )
            )


def record_codes(
    store: Store,
    project_id: int,
    expected_version: int,
    changes: Sequence[CodeChange],
    *,
    by: str | None,
    at_ns: int,
    suggested: Sequence[str] = (),
) -> None:
    """Code notes against the taxonomy version the reviewer saw.

    Raises:
        Conflict: the taxonomy moved on since (a mode may have been merged away).
    """
    with store.write() as conn:
        _lock(conn, project_id)
        version = conn.execute(
            select(func.max(taxonomy_ops.c.version)).where(taxonomy_ops.c.project_id == project_id)
        ).scalar()
        if int(version or 0) != expected_version:
            raise Conflict(
                f"the taxonomy changed since this page was loaded (version {expected_version},"
                f" now {int(version or 0)}): reload and code the note again"
            )
        apply_code_changes(conn, project_id, changes, by=by, at_ns=at_ns, suggested=suggested)
