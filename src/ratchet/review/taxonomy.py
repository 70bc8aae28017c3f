"""Changing the failure taxonomy: explicit operations, checked, recorded, never half-done.

The taxonomy is closed: a mode comes and goes only through :func:`apply`
(add, rename, edit, merge, split, retire), each checked against the version
the reviewer saw and returned as one :class:`Applied` — the new state, the
operation record (who, when, why) and the code changes — which the store
writes in one transaction. Nothing here does I/O and the input state is
never mutated, so a refused change leaves nothing behind.

Counts follow the taxonomy because merge and split move the codes: a merge
recodes every note of the sources onto the target, and a split must place
every note of the split mode in at least one part. Retiring does *not*
require recoding first: a retired mode is one the team stopped tracking, its
notes keep the code as history (they just no longer count toward an active
mode); to move notes elsewhere, merge instead. A retired, merged or split
mode cannot be renamed, edited, merged, split, merged into, or coded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ratchet.core.review import FailureMode, TaxonomyOp, TaxonomyOpKind
from ratchet.review.taxonomy_checks import (
    active_mode,
    clean_examples,
    fresh_id,
    is_active,
    new_name,
    notes_list,
    ref,
)
from ratchet.review.taxonomy_history import (
    TaxonomyError,
    TaxonomyState,
    check_version,
    evolve,
    name_key,
    payload_ref,
    replay,
    resolve,
)
from ratchet.store.notes import CodeChange

__all__ = [
    "Add",
    "Applied",
    "CodeChange",
    "Edit",
    "Merge",
    "Rename",
    "Request",
    "Retire",
    "Split",
    "TaxonomyError",
    "TaxonomyState",
    "apply",
    "code_note",
    "note_counts",
    "replay",
    "resolve",
    "with_code_changes",
]


@dataclass(frozen=True, slots=True)
class Add:
    """Add a new active mode."""

    name: str
    definition: str = ""
    examples: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Rename:
    """Give an active mode a new name; its codes stay."""

    mode_id: str
    new_name: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace an active mode's definition and/or examples (``None`` keeps them)."""

    mode_id: str
    definition: str | None = None
    examples: Sequence[str] | None = None


@dataclass(frozen=True, slots=True)
class Merge:
    """Fold active modes into another active mode, moving their notes onto it."""

    source_ids: Sequence[str]
    into_id: str


@dataclass(frozen=True, slots=True)
class Split:
    """Replace an active mode by new parts, ``(name, definition)`` each.

    ``assignment`` maps every note coded to the mode to the indexes (from 0)
    of the parts it belongs to; a note may go to several parts.
    """

    mode_id: str
    parts: Sequence[tuple[str, str]]
    assignment: Mapping[str, Sequence[int]]


@dataclass(frozen=True, slots=True)
class Retire:
    """Stop tracking an active mode; its notes keep the code for history."""

    mode_id: str


Request = Add | Rename | Edit | Merge | Split | Retire


@dataclass(frozen=True, slots=True)
class Applied:
    """One accepted change, everything the store needs to record it.

    Attributes:
        state: The taxonomy after the change.
        op: The operation record (its version is the new version).
        modes: The modes the change added or altered, to write.
        changes: How notes' codes moved (merge and split only).
    """

    state: TaxonomyState
    op: TaxonomyOp
    modes: tuple[FailureMode, ...]
    changes: tuple[CodeChange, ...]


def apply(
    state: TaxonomyState,
    request: Request,
    *,
    expected_version: int,
    by: str | None,
    at: datetime,
    why: str = "",
    new_id: Callable[[], str],
) -> Applied:
    """Apply one operation to the taxonomy the reviewer saw at ``expected_version``.

    Args:
        state: The current taxonomy; never mutated.
        request: What to do.
        expected_version: The version the page showed; any other is refused.
        by: Who asked (recorded on the operation and on new modes).
        at: When (from the injected clock).
        why: The reason, recorded with the operation.
        new_id: Makes the id of each new mode.

    Raises:
        TaxonomyError: 409 for a stale version, 404 for an unknown mode, 400
            for a change that cannot be made; the state is unchanged.
    """
    check_version(state, expected_version)
    kind, payload, changes = _plan(state, request, new_id)
    op = TaxonomyOp(
        version=state.version + 1, kind=kind, payload=payload, by=by, at=at, why=why.strip()
    )
    modes = evolve(state.modes, op)
    touched = tuple(mode for mode_id, mode in modes.items() if state.modes.get(mode_id) != mode)
    after = TaxonomyState(version=op.version, modes=modes, codes=_recoded(state.codes, changes))
    return Applied(state=after, op=op, modes=touched, changes=tuple(changes))


Plan = tuple[TaxonomyOpKind, dict[str, Any], list[CodeChange]]


def _plan(state: TaxonomyState, request: Request, new_id: Callable[[], str]) -> Plan:
    if isinstance(request, Add):
        name = new_name(state, request.name)
        mode_id = fresh_id(state, new_id, set())
        payload = {
            "id": mode_id,
            "name": name,
            "definition": request.definition.strip(),
            "examples": clean_examples(request.examples),
        }
        return TaxonomyOpKind.ADD, payload, []
    if isinstance(request, Rename):
        mode = active_mode(state, request.mode_id, "rename", "rename")
        name = new_name(state, request.new_name, keep=mode.id)
        if name == mode.name:
            raise TaxonomyError(f"failure mode {mode.id} is already named {name!r}")
        return TaxonomyOpKind.RENAME, {"id": mode.id, "from": mode.name, "to": name}, []
    if isinstance(request, Edit):
        return TaxonomyOpKind.EDIT, _plan_edit(state, request), []
    if isinstance(request, Merge):
        return _plan_merge(state, request)
    if isinstance(request, Split):
        return _plan_split(state, request, new_id)
    mode = active_mode(state, request.mode_id, "retire", "retire")
    kept = len(state.notes_coded_to({mode.id}))
    return TaxonomyOpKind.RETIRE, {**payload_ref(mode), "notes_kept": kept}, []


def _plan_edit(state: TaxonomyState, request: Edit) -> dict[str, Any]:
    mode = active_mode(state, request.mode_id, "edit", "edit")
    if request.definition is None and request.examples is None:
        raise TaxonomyError(
            f"nothing to change on {ref(mode)}: give a new definition or new examples"
        )
    new: dict[str, Any] = {}
    before: dict[str, Any] = {}
    if request.definition is not None and request.definition.strip() != mode.definition:
        new["definition"], before["definition"] = request.definition.strip(), mode.definition
    if request.examples is not None:
        examples = clean_examples(request.examples)
        if examples != mode.examples:
            new["examples"], before["examples"] = examples, list(mode.examples)
    if not new:
        raise TaxonomyError(f"{ref(mode)} already has this definition and these examples")
    return {**payload_ref(mode), **new, "before": before}


def _plan_merge(state: TaxonomyState, request: Merge) -> Plan:
    into = active_mode(state, request.into_id, "merge into", "merge into")
    source_ids = list(dict.fromkeys(request.source_ids))
    if not source_ids:
        raise TaxonomyError(f"name at least one mode to merge into {ref(into)}")
    if into.id in source_ids:
        raise TaxonomyError(
            f"cannot merge {ref(into)} into itself: list it only as the mode to merge into"
        )
    sources = [active_mode(state, mode_id, "merge", "merge") for mode_id in source_ids]
    moved = set(source_ids)
    changes: list[CodeChange] = []
    for note_id in state.notes_coded_to(moved):
        codes = state.codes[note_id]
        added = () if into.id in codes else (into.id,)
        changes.append(CodeChange(note_id, tuple(sorted(codes & moved)), added))
    payload = {
        "sources": [payload_ref(mode) for mode in sources],
        "into": payload_ref(into),
        "notes_moved": len(changes),
    }
    return TaxonomyOpKind.MERGE, payload, changes


def _plan_split(state: TaxonomyState, request: Split, new_id: Callable[[], str]) -> Plan:
    mode = active_mode(state, request.mode_id, "split", "split")
    if len(request.parts) < 2:
        raise TaxonomyError(
            f"split {ref(mode)} into at least two parts (to give it a new name, rename it)"
        )
    names: list[str] = []
    for name, _ in request.parts:
        cleaned = new_name(state, name, keep=mode.id)
        for earlier in names:
            if name_key(earlier) == name_key(cleaned):
                raise TaxonomyError(
                    f"two parts of the split have the same name ({earlier!r} and {cleaned!r}):"
                    " names must differ beyond case and spacing, so rename one"
                )
        names.append(cleaned)
    coded = state.notes_coded_to({mode.id})
    _check_assignment(mode, coded, request.assignment, len(names))
    taken: set[str] = set()
    part_ids = [fresh_id(state, new_id, taken) for _ in names]
    parts = [
        {"id": part_id, "name": name, "definition": definition.strip()}
        for part_id, name, (_, definition) in zip(part_ids, names, request.parts, strict=True)
    ]
    assignment = {
        note_id: [part_ids[i] for i in sorted(set(request.assignment[note_id]))]
        for note_id in coded
    }
    changes = [
        CodeChange(
            note_id,
            (mode.id,),
            tuple(p for p in assignment[note_id] if p not in state.codes[note_id]),
        )
        for note_id in coded
    ]
    payload = {**payload_ref(mode), "parts": parts, "assignment": assignment}
    return TaxonomyOpKind.SPLIT, payload, changes


def _check_assignment(
    mode: FailureMode, coded: list[str], assignment: Mapping[str, Sequence[int]], n_parts: int
) -> None:
    strangers = sorted(set(assignment) - set(coded))
    if strangers:
        raise TaxonomyError(
            f"{notes_list(strangers)} {'is' if len(strangers) == 1 else 'are'} not coded to"
            f" {ref(mode)}: a split assigns only that mode's notes"
        )
    for note_id in coded:
        for index in assignment.get(note_id, ()):
            if not 0 <= index < n_parts:
                raise TaxonomyError(
                    f"note {note_id} is assigned to part {index}, but the split has"
                    f" {n_parts} parts (numbered 0 to {n_parts - 1})"
                )
    unassigned = [note_id for note_id in coded if not assignment.get(note_id)]
    if unassigned:
        raise TaxonomyError(
            f"the split of {ref(mode)} leaves {len(unassigned)} of its {len(coded)} notes"
            f" unassigned ({notes_list(unassigned)}): assign every note coded to it to at"
            " least one part, so its count is not lost"
        )


def code_note(
    state: TaxonomyState,
    note_id: str,
    mode_ids: Sequence[str],
    *,
    expected_version: int | None = None,
) -> CodeChange:
    """The change that makes a note's active codes exactly ``mode_ids``.

    Codes to retired modes are history and are kept whatever ``mode_ids``
    says; every mode in ``mode_ids`` must be active. An empty list uncodes
    the note (its retired codes stay).

    Raises:
        TaxonomyError: 409 for a stale version, 404 for an unknown mode, 400
            for a mode that is retired, merged or split (naming what replaced it).
    """
    if expected_version is not None:
        check_version(state, expected_version)
    if not note_id.strip():
        raise TaxonomyError("which note? the note id is empty")
    wanted = list(dict.fromkeys(mode_ids))
    for mode_id in wanted:
        active_mode(state, mode_id, f"code note {note_id} as", "code the note as")
    current = state.codes.get(note_id, frozenset())
    removed = sorted(m for m in current if m not in wanted and is_active(state, m))
    added = tuple(m for m in wanted if m not in current)
    return CodeChange(note_id, tuple(removed), added)


def with_code_changes(state: TaxonomyState, changes: Sequence[CodeChange]) -> TaxonomyState:
    """The same taxonomy version with ``changes`` applied to the codes."""
    return TaxonomyState(
        version=state.version, modes=state.modes, codes=_recoded(state.codes, changes)
    )


def note_counts(state: TaxonomyState) -> dict[str, int]:
    """Active mode id → how many notes are coded to it (0 for none)."""
    counts = {mode.id: 0 for mode in state.active_modes()}
    for codes in state.codes.values():
        for mode_id in codes:
            if mode_id in counts:
                counts[mode_id] += 1
    return counts


def _recoded(
    codes: Mapping[str, Set[str]], changes: Sequence[CodeChange]
) -> dict[str, frozenset[str]]:
    out = {note: frozenset(ids) for note, ids in codes.items()}
    for change in changes:
        now = (out.get(change.note_id, frozenset()) - set(change.removed)) | set(change.added)
        if now:
            out[change.note_id] = now
        else:
            out.pop(change.note_id, None)
    return out
