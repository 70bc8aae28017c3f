"""The checks every taxonomy change passes, and the refusals that say what to do instead.

A refusal names the mode by name and id, and for a mode that has ended
(retired, merged, split) says what replaced it, so the reviewer can redo
the change against today's taxonomy without looking anything up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ratchet.core.review import FailureMode, FailureModeStatus
from ratchet.review.taxonomy_history import (
    TaxonomyError,
    TaxonomyState,
    clean_name,
    name_key,
    resolve,
)

#: Longest name and id the store keeps (its column widths).
MAX_NAME = 200
MAX_ID = 40
#: How many note ids a refusal lists before saying "and N more".
LISTED = 10


def is_active(state: TaxonomyState, mode_id: str) -> bool:
    """True for a mode that exists and is active (an unknown id is not)."""
    mode = state.modes.get(mode_id)
    return mode is not None and mode.active


def ref(mode: FailureMode) -> str:
    """A mode as messages name it: by name for people, by id for scripts."""
    return f"{mode.name!r} ({mode.id})"


def refs(state: TaxonomyState, mode_ids: Sequence[str]) -> str:
    """Several modes named as :func:`ref` does, comma-separated."""
    return ", ".join(ref(state.mode(mode_id)) for mode_id in mode_ids)


def notes_list(note_ids: Sequence[str]) -> str:
    """Note ids for a message, cut after :data:`LISTED` so a big split stays readable."""
    shown = ", ".join(note_ids[:LISTED])
    more = f" and {len(note_ids) - LISTED} more" if len(note_ids) > LISTED else ""
    return f"note{'s' if len(note_ids) != 1 else ''} {shown}{more}"


#: What to suggest instead when the mode is retired, by action.
_RETIRED_HINT = {
    "merge into": "merge into an active mode, or add a new one and merge into that",
    "code the note as": "pick an active mode, or add a new one if this failure is back",
}


def active_mode(state: TaxonomyState, mode_id: str, action: str, instead: str) -> FailureMode:
    """The mode if it is active, else a refusal saying what replaced it."""
    mode = state.mode(mode_id)
    if mode.active:
        return mode
    now = resolve(mode.id, state.modes)
    if mode.status is FailureModeStatus.RETIRED:
        how = f"it was retired in version {mode.ended_in}"
        hint = _RETIRED_HINT.get(instead, "it stays only as history; add a new mode instead")
    else:
        verb = "merged" if mode.status is FailureModeStatus.MERGED else "split"
        how = f"it was {verb} into {refs(state, mode.replaced_by)} in version {mode.ended_in}"
        hint = (
            f"{instead} {refs(state, now)} instead"
            if now
            else "what replaced it is retired too; use an active mode"
        )
    raise TaxonomyError(f"cannot {action} {ref(mode)}: {how}; {hint}")


def new_name(state: TaxonomyState, name: str, *, keep: str | None = None) -> str:
    """``name`` cleaned, if no other active mode has it (``keep`` may)."""
    cleaned = clean_name(name)
    if not cleaned:
        raise TaxonomyError("a failure mode needs a name, e.g. 'date-handling'")
    if len(cleaned) > MAX_NAME:
        raise TaxonomyError(
            f"the name {cleaned[:40]!r}… is {len(cleaned)} characters long: keep names under"
            f" {MAX_NAME} and put the detail in the definition"
        )
    for other in state.modes.values():
        if other.active and other.id != keep and name_key(other.name) == name_key(cleaned):
            raise TaxonomyError(
                f"there is already an active failure mode named {other.name!r} ({other.id}):"
                " pick another name, or merge into that mode"
            )
    return cleaned


def fresh_id(state: TaxonomyState, new_id: Callable[[], str], taken: set[str]) -> str:
    """A new mode id from ``new_id``, refused if the store could not keep it apart."""
    mode_id = new_id()
    if not mode_id or len(mode_id) > MAX_ID or mode_id in state.modes or mode_id in taken:
        raise TaxonomyError(
            f"could not make a new mode id ({mode_id!r} is empty, too long or taken):"
            " reload and try again",
            code="conflict",
            status=409,
        )
    taken.add(mode_id)
    return mode_id


def clean_examples(examples: Sequence[str]) -> list[str]:
    """Examples trimmed, blank ones dropped; a bare string is refused, not split into letters."""
    if isinstance(examples, str):
        raise TaxonomyError("examples are a list of short texts, not one string")
    return [e.strip() for e in examples if e.strip()]
