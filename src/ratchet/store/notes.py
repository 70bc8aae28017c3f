"""Notes on traces and their codes (note → failure modes).

A note is free text pinned to a trace (and, once marked, to the first
upstream error span). Codes say which failure modes a note is an instance
of; the taxonomy module rewrites them when modes merge or split, so counts
follow the taxonomy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.core.errors import NotFound
from ratchet.core.review import Note
from ratchet.store.schema import note_codes, notes
from ratchet.store.store import Store


@dataclass(frozen=True, slots=True)
class CodeChange:
    """One note's coding change: modes removed and modes added."""

    note_id: str
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()


def add_note(store: Store, project_id: int, note: Note) -> Note:
    with store.write() as conn:
        conn.execute(
            insert(notes).values(
                project_id=project_id,
                id=note.id,
                trace_id=note.trace_id,
                session_id=note.session_id,
                text=note.text,
                first_error_span_id=note.first_error_span_id,
                created_ns=to_unix_nanos(note.created_at),
                created_by=note.created_by,
                updated_ns=None,
            )
        )
    return note


def update_note(
    store: Store,
    project_id: int,
    note_id: str,
    *,
    at_ns: int,
    text: str | None = None,
    first_error_span_id: str | None = None,
    clear_first_error: bool = False,
) -> Note:
    values: dict[str, Any] = {"updated_ns": at_ns}
    if text is not None:
        values["text"] = text
    if first_error_span_id is not None or clear_first_error:
        values["first_error_span_id"] = first_error_span_id
    with store.write() as conn:
        done = conn.execute(
            update(notes)
            .where(notes.c.project_id == project_id, notes.c.id == note_id)
            .values(**values)
        )
        if done.rowcount == 0:
            raise NotFound(f"no note {note_id!r} in this project")
    return get_note(store, project_id, note_id)


def _codes(conn: Connection, project_id: int, note_ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for start in range(0, len(note_ids), 500):
        chunk = list(note_ids[start : start + 500])
        for note_id, mode_id in conn.execute(
            select(note_codes.c.note_id, note_codes.c.mode_id)
            .where(note_codes.c.project_id == project_id, note_codes.c.note_id.in_(chunk))
            .order_by(note_codes.c.note_id, note_codes.c.coded_ns, note_codes.c.mode_id)
        ):
            out.setdefault(note_id, []).append(mode_id)
    return out


def _note_from_row(row: Any, mode_ids: list[str]) -> Note:
    return Note(
        id=row.id,
        trace_id=row.trace_id,
        session_id=row.session_id,
        text=row.text,
        first_error_span_id=row.first_error_span_id,
        created_at=from_unix_nanos(row.created_ns),
        created_by=row.created_by,
        updated_at=from_unix_nanos(row.updated_ns) if row.updated_ns is not None else None,
        mode_ids=mode_ids,
    )


def get_note(store: Store, project_id: int, note_id: str) -> Note:
    with store.read() as conn:
        row = conn.execute(
            select(notes).where(notes.c.project_id == project_id, notes.c.id == note_id)
        ).first()
        if row is None:
            raise NotFound(f"no note {note_id!r} in this project")
        codes = _codes(conn, project_id, [note_id])
    return _note_from_row(row, codes.get(note_id, []))


def notes_for_trace(store: Store, project_id: int, trace_id: str) -> list[Note]:
    with store.read() as conn:
        rows = conn.execute(
            select(notes)
            .where(notes.c.project_id == project_id, notes.c.trace_id == trace_id)
            .order_by(notes.c.created_ns, notes.c.id)
        ).all()
        codes = _codes(conn, project_id, [r.id for r in rows])
    return [_note_from_row(r, codes.get(r.id, [])) for r in rows]


def all_notes(store: Store, project_id: int) -> list[Note]:
    """Every note of the project with its codes (suggestions and counts read them all)."""
    with store.read() as conn:
        rows = conn.execute(
            select(notes).where(notes.c.project_id == project_id).order_by(notes.c.created_ns)
        ).all()
        codes: dict[str, list[str]] = {}
        for note_id, mode_id in conn.execute(
            select(note_codes.c.note_id, note_codes.c.mode_id)
            .where(note_codes.c.project_id == project_id)
            .order_by(note_codes.c.note_id, note_codes.c.coded_ns, note_codes.c.mode_id)
        ):
            codes.setdefault(note_id, []).append(mode_id)
    return [_note_from_row(r, codes.get(r.id, [])) for r in rows]


def all_codes(conn: Connection, project_id: int) -> dict[str, set[str]]:
    """note id → mode ids, for the taxonomy state."""
    out: dict[str, set[str]] = {}
    for note_id, mode_id in conn.execute(
        select(note_codes.c.note_id, note_codes.c.mode_id).where(
            note_codes.c.project_id == project_id
        )
    ):
        out.setdefault(note_id, set()).add(mode_id)
    return out


def first_codings(store: Store, project_id: int) -> list[tuple[str, str, int]]:
    """(mode id, note id, coded time) of every code, oldest first: when each mode was found."""
    with store.read() as conn:
        rows = conn.execute(
            select(note_codes.c.mode_id, note_codes.c.note_id, note_codes.c.coded_ns)
            .where(note_codes.c.project_id == project_id)
            .order_by(note_codes.c.coded_ns, note_codes.c.mode_id)
        ).all()
    return [(r[0], r[1], int(r[2])) for r in rows]


def apply_code_changes(
    conn: Connection,
    project_id: int,
    changes: Iterable[CodeChange],
    *,
    by: str | None,
    at_ns: int,
    suggested: Sequence[str] = (),
) -> None:
    """Write coding changes inside the caller's transaction (with the taxonomy check)."""
    for change in changes:
        coded_ns = at_ns
        if change.removed:
            # A code moved by a merge or split keeps its age: when a failure was first
            # seen does not change because its category was renamed or regrouped.
            earliest = conn.execute(
                select(func.min(note_codes.c.coded_ns)).where(
                    note_codes.c.project_id == project_id,
                    note_codes.c.note_id == change.note_id,
                    note_codes.c.mode_id.in_(list(change.removed)),
                )
            ).scalar()
            if earliest is not None:
                coded_ns = min(int(earliest), at_ns)
            conn.execute(
                delete(note_codes).where(
                    note_codes.c.project_id == project_id,
                    note_codes.c.note_id == change.note_id,
                    note_codes.c.mode_id.in_(list(change.removed)),
                )
            )
        if change.added:
            present = {
                r[0]
                for r in conn.execute(
                    select(note_codes.c.mode_id).where(
                        note_codes.c.project_id == project_id,
                        note_codes.c.note_id == change.note_id,
                    )
                )
            }
            rows = [
                {
                    "project_id": project_id,
                    "note_id": change.note_id,
                    "mode_id": mode_id,
                    "coded_ns": coded_ns,
                    "coded_by": by,
                    "suggested": int(mode_id in suggested),
                }
                for mode_id in dict.fromkeys(change.added)
                if mode_id not in present
            ]
            if rows:
                conn.execute(insert(note_codes), rows)
