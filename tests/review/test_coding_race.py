"""A coding made while a merge is being written waits for it, then is refused as stale."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from ratchet.core.clock import ManualClock
from ratchet.core.errors import Conflict, RatchetError
from ratchet.core.ids import SequentialIds
from ratchet.core.review import FailureMode, TaxonomyOp
from ratchet.review import coding
from ratchet.review.notes import write_note
from ratchet.review.taxonomy import Add, Merge, TaxonomyState, apply
from ratchet.store.notes import CodeChange, get_note
from ratchet.store.projects import ensure_project
from ratchet.store.store import Store
from ratchet.store.taxonomy import change
from support.review_data import BASE, seed_traces


def test_a_coding_cannot_slip_into_a_merge(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    ids = seed_traces(store, project_id, n=2)
    clock, idgen = ManualClock(BASE), SequentialIds()
    old = coding.change_taxonomy(
        store, project_id, Add("old"), expected_version=0, by="a", why="", clock=clock, ids=idgen
    ).modes[0]
    new = coding.change_taxonomy(
        store, project_id, Add("new"), expected_version=1, by="a", why="", clock=clock, ids=idgen
    ).modes[0]
    note = write_note(store, project_id, ids[0], "wrong day", by="b", clock=clock, ids=idgen)

    reading, proceed = threading.Event(), threading.Event()

    def slow_merge(
        version: int, modes: dict[str, FailureMode], codes: dict[str, set[str]]
    ) -> tuple[TaxonomyOp, Sequence[FailureMode], Sequence[CodeChange]]:
        reading.set()  # the merge has read the codes and is about to write
        proceed.wait(5)
        done = apply(
            TaxonomyState(version, modes, codes),
            Merge((old.id,), new.id),
            expected_version=2,
            by="a",
            at=clock.now(),
            why="same cause",
            new_id=lambda: "unused",
        )
        return done.op, done.modes, done.changes

    merging = threading.Thread(target=change, args=(store, project_id, slow_merge))
    merging.start()
    assert reading.wait(5)
    outcome: list[BaseException | None] = []

    def code_it() -> None:
        try:
            coding.code(
                store, project_id, note.id, [old.id], expected_version=2, by="b", clock=clock
            )
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    coder = threading.Thread(target=code_it)
    coder.start()
    coder.join(0.5)
    assert coder.is_alive(), "the coding went through while the merge was being written"
    proceed.set()
    merging.join(10)
    coder.join(10)
    assert isinstance(outcome[0], Conflict) and "reload" in outcome[0].message
    assert get_note(store, project_id, note.id).mode_ids == []
    with pytest.raises(RatchetError) as stale:
        coding.code(store, project_id, note.id, [old.id], expected_version=2, by="b", clock=clock)
    assert stale.value.status == 409
