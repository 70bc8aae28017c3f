"""Writing what went wrong: notes on traces, the first upstream error, pass/fail.

These are the reviewer's actions that are not about the taxonomy. Each one
checks what it is given against the store before writing (the trace is in
this project, the span is in the trace), so a mistaken or malicious request
is refused with a message and nothing is half-written.
"""

from __future__ import annotations

from ratchet.core.clock import Clock, to_unix_nanos
from ratchet.core.errors import NotFound, RatchetError
from ratchet.core.ids import IdSource
from ratchet.core.review import Note, ReviewItem, Verdict
from ratchet.store import notes as note_store
from ratchet.store import review_sessions as session_store
from ratchet.store.store import Store
from ratchet.store.traces_read import get_trace

#: Long enough for a careful paragraph; a pasted transcript belongs in the trace, not a note.
MAX_NOTE_CHARS = 10_000


def _check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise RatchetError("the note is empty: write what went wrong in this trace")
    if len(text) > MAX_NOTE_CHARS:
        raise RatchetError(
            f"the note is {len(text):,} characters; keep it under {MAX_NOTE_CHARS:,}"
            " (say what went wrong, the trace holds the rest)"
        )
    return text


def _check_span(store: Store, project_id: int, trace_id: str, span_id: str | None) -> None:
    """The trace exists in this project and, if named, the span is one of its spans."""
    trace = get_trace(store, project_id, trace_id)  # NotFound for another project's trace
    if span_id is not None and all(s.span_id != span_id for s in trace.spans):
        raise NotFound(
            f"span {span_id} is not in trace {trace_id}: mark a span of the trace being read"
        )


def _check_in_session(store: Store, project_id: int, session_id: str, trace_id: str) -> None:
    """The session exists in this project and holds the trace the note is on.

    A note says which session it was read in; naming one that never held the
    trace would file the note under a sample it is not part of.
    """
    session_store.get_session(store, project_id, session_id)  # NotFound, naming the session
    if all(
        item.trace_id != trace_id
        for item in session_store.session_items(store, project_id, session_id)
    ):
        raise RatchetError(
            f"trace {trace_id} is not in review session {session_id}: leave the session out,"
            " or name the session the trace was read in"
        )


def write_note(
    store: Store,
    project_id: int,
    trace_id: str,
    text: str,
    *,
    by: str | None,
    clock: Clock,
    ids: IdSource,
    session_id: str | None = None,
    first_error_span_id: str | None = None,
) -> Note:
    """Store a new note on a trace; the trace then counts as reviewed in its sessions."""
    text = _check_text(text)
    _check_span(store, project_id, trace_id, first_error_span_id)
    if session_id is not None:
        _check_in_session(store, project_id, session_id, trace_id)
    now = clock.now()
    note = Note(
        id="n" + ids.hex(6),
        trace_id=trace_id,
        session_id=session_id,
        text=text,
        first_error_span_id=first_error_span_id,
        created_at=now,
        created_by=by,
    )
    note_store.add_note(store, project_id, note)
    # A second transaction, harmless on its own: it only fills the first-reviewed time where
    # none is set, so repeating it changes nothing; should it fail after the note is stored,
    # the next note or verdict on the trace marks it.
    session_store.mark_reviewed(store, project_id, trace_id, by=by, at_ns=to_unix_nanos(now))
    return note


def edit_note(
    store: Store,
    project_id: int,
    note_id: str,
    *,
    clock: Clock,
    text: str | None = None,
    first_error_span_id: str | None = None,
    clear_first_error: bool = False,
) -> Note:
    """Change a note's text or the span it is pinned to."""
    note = note_store.get_note(store, project_id, note_id)
    if text is not None:
        text = _check_text(text)
    if first_error_span_id is not None:
        _check_span(store, project_id, note.trace_id, first_error_span_id)
    return note_store.update_note(
        store,
        project_id,
        note_id,
        at_ns=to_unix_nanos(clock.now()),
        text=text,
        first_error_span_id=first_error_span_id,
        clear_first_error=clear_first_error,
    )


def judge(
    store: Store,
    project_id: int,
    session_id: str,
    trace_id: str,
    verdict: Verdict | None,
    *,
    by: str | None,
    clock: Clock,
) -> ReviewItem:
    """Pass or fail one trace of a session (None clears it)."""
    return session_store.set_verdict(
        store,
        project_id,
        session_id,
        trace_id,
        verdict,
        by=by,
        at_ns=to_unix_nanos(clock.now()),
    )
