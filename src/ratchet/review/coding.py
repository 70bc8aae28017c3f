"""Axial coding and taxonomy changes, read from and written to the store.

The taxonomy's rules live in :mod:`ratchet.review.taxonomy` (pure); this
module loads the current state, asks those rules, and records the outcome
in one transaction. Two reviewers acting on the same version race for the
next version number in the store, and the loser is told to reload.
"""

from __future__ import annotations

from collections.abc import Sequence

from ratchet.core.clock import Clock, to_unix_nanos
from ratchet.core.errors import RatchetError
from ratchet.core.ids import IdSource
from ratchet.core.review import FailureMode, Note, TaxonomyOp
from ratchet.review.suggest import Suggestion, SuggestionIndex

__all__ = ["Suggestion", "change_taxonomy", "code", "current_state", "suggest_for"]
from ratchet.review.taxonomy import (
    Applied,
    Merge,
    Request,
    Retire,
    Split,
    TaxonomyState,
    apply,
    code_note,
)
from ratchet.store import notes as note_store
from ratchet.store.notes import CodeChange
from ratchet.store.store import Store
from ratchet.store.taxonomy import change, load_taxonomy, record_codes


def current_state(store: Store, project_id: int) -> TaxonomyState:
    version, modes, codes = load_taxonomy(store, project_id)
    return TaxonomyState(version=version, modes=modes, codes=codes)


def change_taxonomy(
    store: Store,
    project_id: int,
    request: Request,
    *,
    expected_version: int,
    by: str | None,
    why: str,
    clock: Clock,
    ids: IdSource,
) -> Applied:
    """Apply and record one operation (add, rename, edit, merge, split, retire).

    Raises:
        TaxonomyError: the change cannot be made, or the page was stale.
        Conflict: another change took the next version while this one was made.
    """
    applied: list[Applied] = []

    def plan(
        version: int, modes: dict[str, FailureMode], codes: dict[str, set[str]]
    ) -> tuple[TaxonomyOp, Sequence[FailureMode], Sequence[CodeChange]]:
        # Run inside the writing transaction: the codes a merge or split moves are
        # the ones stored at that moment, not a copy a concurrent coding made stale.
        result = apply(
            TaxonomyState(version=version, modes=modes, codes=codes),
            request,
            expected_version=expected_version,
            by=by,
            at=clock.now(),
            why=why,
            new_id=lambda: "fm" + ids.hex(5),
        )
        if isinstance(request, Merge | Split | Retire) and not why.strip():
            # Checked after the change itself, so a wrong mode id is named first.
            raise RatchetError(
                f"say why you {result.op.kind.value} this failure mode (it is recorded with"
                " the change): --why in the CLI, the 'why' field in the UI and API"
            )
        applied.append(result)
        return result.op, result.modes, result.changes

    change(store, project_id, plan)
    return applied[0]


def code(
    store: Store,
    project_id: int,
    note_id: str,
    mode_ids: Sequence[str],
    *,
    expected_version: int,
    by: str | None,
    clock: Clock,
    suggested: Sequence[str] = (),
) -> Note:
    """Make a note's active codes exactly ``mode_ids`` (``suggested``: the ones accepted)."""
    note_store.get_note(store, project_id, note_id)  # a note of this project
    state = current_state(store, project_id)
    change = code_note(state, note_id, mode_ids, expected_version=expected_version)
    record_codes(
        store,
        project_id,
        expected_version,
        [change],
        by=by,
        at_ns=to_unix_nanos(clock.now()),
        suggested=suggested,
    )
    return note_store.get_note(store, project_id, note_id)


def suggest_for(
    store: Store, project_id: int, note_id: str | None = None, text: str | None = None, k: int = 3
) -> list[Suggestion]:
    """Likely modes for a note (or for text being typed), from similar notes already coded."""
    notes = note_store.all_notes(store, project_id)
    if note_id is not None:
        note = next((n for n in notes if n.id == note_id), None)
        if note is None:
            note_store.get_note(store, project_id, note_id)  # raises the NotFound
        text = note.text if note is not None else text
    _, modes, _ = load_taxonomy(store, project_id)
    index = SuggestionIndex.build([n for n in notes if n.mode_ids], modes)
    return index.suggest(text or "", k=k, exclude_note_id=note_id)
