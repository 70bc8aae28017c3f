"""Invariants of the taxonomy over any sequence of operations a team could make.

Replaying the log always rebuilds the same taxonomy; every code points at an
active or a retired mode; merges and splits never lose or invent a note; a
refused change leaves the taxonomy exactly as it was.
"""

from __future__ import annotations

import contextlib
import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratchet.core.review import FailureModeStatus, TaxonomyOp
from ratchet.review.taxonomy import (
    Add,
    Applied,
    Edit,
    Merge,
    Rename,
    Request,
    Retire,
    Split,
    TaxonomyError,
    TaxonomyState,
    code_note,
    replay,
    resolve,
    with_code_changes,
)
from review.taxonomy_helpers import Book

NOTES = [f"n{i}" for i in range(1, 13)]
NAMES = ["date handling", "Date Handling", "refund policy", "tone", "tool misuse", "timezone"]
KINDS = ["add", "code", "code", "code", "rename", "edit", "merge", "split", "retire"]


def _request(data: st.DataObject, state: TaxonomyState, kind: str) -> Request | None:
    """A request of ``kind`` against ``state``, valid most of the time (not always)."""
    active = [m.id for m in state.active_modes()]
    any_mode = st.sampled_from(sorted(state.modes)) if state.modes else st.just("m0")
    name = st.one_of(st.sampled_from(NAMES), st.text("abc xyz", min_size=0, max_size=6))
    if kind == "add" or not active:
        return Add(data.draw(name), data.draw(st.text("def ", max_size=8)))
    pick = st.one_of(st.sampled_from(active), any_mode)
    if kind == "rename":
        return Rename(data.draw(pick), data.draw(name))
    if kind == "edit":
        return Edit(data.draw(pick), definition=data.draw(st.text("xy", max_size=3)))
    if kind == "merge":
        into = data.draw(pick)
        others = [m for m in active if m != into]
        fair = st.sampled_from(others) if others else pick
        sources = data.draw(st.lists(st.one_of(fair, fair, fair, pick), min_size=1, max_size=2))
        return Merge(sources, into)
    if kind == "split":
        mode_id = data.draw(pick)
        parts = [(data.draw(name), "") for _ in range(data.draw(st.integers(2, 3)))]
        assignment = {
            note: data.draw(st.lists(st.integers(0, len(parts) - 1), min_size=1, max_size=2))
            for note in state.notes_coded_to({mode_id})
            if data.draw(st.integers(0, 9)) > 0  # now and then one is left out
        }
        return Split(mode_id, parts, assignment)
    return Retire(data.draw(pick))


def _coded_notes(state: TaxonomyState) -> set[str]:
    return {note for note, codes in state.codes.items() if codes}


def _check_invariants(before: TaxonomyState, applied: Applied, request: Request) -> None:
    after = applied.state
    assert after.version == before.version + 1 == applied.op.version
    # Every code points at a mode that is active or retired (never merged or split away).
    for codes in after.codes.values():
        for mode_id in codes:
            assert after.modes[mode_id].status in (
                FailureModeStatus.ACTIVE,
                FailureModeStatus.RETIRED,
            )
    # No operation loses or invents a coded note.
    assert _coded_notes(after) == _coded_notes(before)
    if isinstance(request, Merge):
        moved = set(request.source_ids) | {request.into_id}
        assert set(before.notes_coded_to(moved)) == set(after.notes_coded_to({request.into_id}))
    if isinstance(request, Split):
        parts = set(after.modes[request.mode_id].replaced_by)
        assert set(before.notes_coded_to({request.mode_id})) == set(after.notes_coded_to(parts))
    # Old ids resolve to today's active modes only.
    for mode_id in after.modes:
        assert all(after.modes[m].active for m in resolve(mode_id, after.modes))
    # The store gets every mode that changed, and nothing else.
    changed = {m for m in after.modes if before.modes.get(m) != after.modes[m]}
    assert {m.id for m in applied.modes} == changed


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_any_sequence_of_operations_keeps_the_taxonomy_consistent(data: st.DataObject) -> None:
    book = Book()
    for _ in range(data.draw(st.integers(1, 30))):
        kind = data.draw(st.sampled_from(KINDS))
        previous = book.state
        snapshot = copy.deepcopy(previous)
        if kind == "code":
            active = [m.id for m in book.state.active_modes()]
            if not active:
                continue
            note = data.draw(st.sampled_from(NOTES))
            wanted = data.draw(st.lists(st.sampled_from(active), max_size=2))
            change = code_note(book.state, note, wanted)
            book.state = with_code_changes(book.state, [change])
            assert {m for m in book.state.codes.get(note, ()) if book.state.modes[m].active} == (
                set(wanted)
            )
            continue
        request = _request(data, book.state, kind)
        assert request is not None
        try:
            applied = book.do(request)
        except TaxonomyError:
            assert book.state == snapshot  # refused: nothing half-applied
            continue
        assert previous == snapshot  # the input state was not touched
        _check_invariants(previous, applied, request)

    stored = [TaxonomyOp.model_validate_json(a.op.model_dump_json()) for a in book.ops]
    assert replay(stored, book.state.codes) == book.state


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.data())
def test_the_input_state_is_never_mutated(data: st.DataObject) -> None:
    book = Book()
    for name in ("date handling", "refund policy", "tone"):
        book.add(name)
    for note in NOTES:
        book.code(note, data.draw(st.sampled_from(["m1", "m2", "m3"])))
    frozen = copy.deepcopy(book.state)
    state = book.state
    for kind in data.draw(st.lists(st.sampled_from(KINDS[4:]), min_size=1, max_size=4)):
        request = _request(data, state, kind)
        assert request is not None
        with contextlib.suppress(TaxonomyError):
            book.do(request)
    assert state == frozen
