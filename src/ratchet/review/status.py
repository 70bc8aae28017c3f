"""Where review stands: failure-mode counts with intervals, saturation, sessions' discoveries.

Everything is recomputed from the store on each call (codes, notes and
review order are small next to traces), through the pure functions of
``counts`` and ``saturation``, so the numbers always follow the taxonomy as
it stands after merges and splits.
"""

from __future__ import annotations

from dataclasses import dataclass

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.core.review import FailureMode, ReviewSession
from ratchet.review.counts import ModeCounts, ReviewedTrace, count_modes
from ratchet.review.saturation import (
    DEFAULT_WINDOW,
    Coding,
    ReviewedCoding,
    Saturation,
    new_modes_per_session,
    saturation,
)
from ratchet.store import notes as note_store
from ratchet.store import review_sessions as session_store
from ratchet.store.review_candidates import trace_facets
from ratchet.store.store import Store
from ratchet.store.taxonomy import load_taxonomy


@dataclass(frozen=True)
class ReviewStatus:
    version: int
    modes: list[FailureMode]
    counts: ModeCounts
    saturation: Saturation
    sessions: list[ReviewSession]


def review_status(
    store: Store, project_id: int, *, window: int = DEFAULT_WINDOW, sessions: int = 20
) -> ReviewStatus:
    """Counts, saturation and the recent sessions (each with the modes it found first)."""
    version, modes, _ = load_taxonomy(store, project_id)
    active = {m.id for m in modes.values() if m.active}
    notes = note_store.all_notes(store, project_id)
    # A trace counts as reviewed from the first time someone judged it or wrote a note on it.
    first: dict[str, int] = {}
    for trace_id, at_ns, _session in session_store.reviewed_traces(store, project_id):
        first[trace_id] = at_ns
    for note in notes:
        at = to_unix_nanos(note.created_at)
        if note.trace_id not in first or at < first[note.trace_id]:
            first[note.trace_id] = at
    order = sorted(first, key=lambda t: (first[t], t))
    facets = trace_facets(store, project_id, order)
    codes: dict[str, set[str]] = {}
    uncoded: set[str] = set()
    note_session = {n.id: n.session_id for n in notes}
    for note in notes:
        current = {m for m in note.mode_ids if m in active}
        codes.setdefault(note.trace_id, set()).update(current)
        if not note.mode_ids:
            uncoded.add(note.trace_id)
    reviewed = [
        ReviewedTrace(
            trace_id=t,
            reviewed_at=from_unix_nanos(first[t]),
            surface=facets.get(t, (None, None))[0],
            version=facets.get(t, (None, None))[1],
        )
        for t in order
    ]
    counts = count_modes(reviewed, codes, list(modes.values()))
    curve = saturation(
        [ReviewedCoding(t, frozenset(codes.get(t, ())), uncoded_notes=t in uncoded) for t in order],
        window=window,
    )
    found = new_modes_per_session(
        Coding(mode_id, from_unix_nanos(coded_ns), note_session.get(note_id))
        for mode_id, note_id, coded_ns in note_store.first_codings(store, project_id)
        if mode_id in active
    )
    recent = [
        s.model_copy(update={"new_modes": found.get(s.id, 0)})
        for s in session_store.list_sessions(store, project_id, limit=sessions)
    ]
    ordered = sorted(modes.values(), key=lambda m: (not m.active, m.name.lower()))
    return ReviewStatus(
        version=version, modes=ordered, counts=counts, saturation=curve, sessions=recent
    )
