"""The taxonomy as its history: the state, what each recorded operation does, and replay.

The log of operations is the source of truth for which failure modes exist.
Applying a change and replaying the log both go through :func:`evolve`, so
the store may keep only the log and the codes and still rebuild every mode,
and old data can always be mapped onto today's modes with :func:`resolve`.

Payloads are plain JSON (lists, not tuples) so a state built in memory and
one replayed from the database compare equal. Their shape, per kind:

- ``add``: ``id``, ``name``, ``definition``, ``examples``
- ``rename``: ``id``, ``from``, ``to``
- ``edit``: ``id``, ``name``, and the new ``definition`` and/or ``examples``
  (the old values under ``before``)
- ``merge``: ``sources`` and ``into`` (each ``{"id", "name"}``), ``notes_moved``
- ``split``: ``id``, ``name``, ``parts`` (each ``{"id", "name", "definition"}``),
  ``assignment`` (note id → part ids)
- ``retire``: ``id``, ``name``, ``notes_kept``
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from ratchet.core.errors import RatchetError
from ratchet.core.review import FailureMode, FailureModeStatus, TaxonomyOp, TaxonomyOpKind


class TaxonomyError(RatchetError):
    """A taxonomy change or coding was refused, and nothing was changed.

    Status 409 (``conflict``) when the page was stale, 404 (``not_found``)
    for an unknown mode, 400 (``invalid_argument``) for a change that cannot
    be made; the message names the modes or notes and says what to do.
    """


@dataclass(frozen=True, slots=True)
class TaxonomyState:
    """The taxonomy at one version: every mode ever made, and each note's codes.

    Attributes:
        version: The version of the last operation applied; 0 when nothing was.
        modes: Mode id → mode, ended ones included (history needs them).
        codes: Note id → the mode ids the note is coded to.
    """

    version: int = 0
    modes: Mapping[str, FailureMode] = field(default_factory=dict)
    codes: Mapping[str, Set[str]] = field(default_factory=dict)

    def mode(self, mode_id: str) -> FailureMode:
        """The mode with this id, or a 404 naming where to find the ids."""
        found = self.modes.get(mode_id)
        if found is None:
            raise unknown_mode(mode_id)
        return found

    def active_modes(self) -> list[FailureMode]:
        """Active modes in the order they were added (then by name)."""
        return sorted(
            (m for m in self.modes.values() if m.active),
            key=lambda m: (m.added_in, m.name.casefold(), m.id),
        )

    def notes_coded_to(self, mode_ids: Set[str]) -> list[str]:
        """Ids of the notes coded to any of ``mode_ids``, sorted."""
        return sorted(note for note, codes in self.codes.items() if not codes.isdisjoint(mode_ids))


def unknown_mode(mode_id: str) -> TaxonomyError:
    """The 404 for a mode id this taxonomy never had."""
    return TaxonomyError(
        f"no failure mode {mode_id!r} in this taxonomy: `ratchet taxonomy list` names them",
        code="not_found",
        status=404,
    )


def clean_name(name: str) -> str:
    """A mode name as stored: trimmed, inner runs of whitespace made one space."""
    return " ".join(name.split())


def name_key(name: str) -> str:
    """What two names must differ in: names compare trimmed and case-insensitively."""
    return clean_name(name).casefold()


def check_version(state: TaxonomyState, expected_version: int) -> None:
    """Refuse a change made from a page showing an older (or newer) taxonomy.

    Raises:
        TaxonomyError: 409, so the reviewer reloads and sees what changed.
    """
    if expected_version != state.version:
        raise TaxonomyError(
            f"the taxonomy changed since this page was loaded (version {expected_version},"
            f" now {state.version}): reload and try again",
            code="conflict",
            status=409,
        )


def evolve(modes: Mapping[str, FailureMode], op: TaxonomyOp) -> dict[str, FailureMode]:
    """The modes after ``op``; ``modes`` is left as it was.

    Raises:
        TaxonomyError: the operation does not fit these modes (a corrupt log).
    """
    out = dict(modes)
    p = op.payload
    try:
        if op.kind is TaxonomyOpKind.ADD:
            _add(out, op, p["id"], p["name"], p.get("definition", ""), p.get("examples", []))
        elif op.kind is TaxonomyOpKind.RENAME:
            out[p["id"]] = _live(out, p["id"]).model_copy(update={"name": p["to"]})
        elif op.kind is TaxonomyOpKind.EDIT:
            update: dict[str, Any] = {k: p[k] for k in ("definition", "examples") if k in p}
            out[p["id"]] = _live(out, p["id"]).model_copy(update=update)
        elif op.kind is TaxonomyOpKind.MERGE:
            into = p["into"]["id"]
            _live(out, into)
            for source in p["sources"]:
                out[source["id"]] = _end(out, source["id"], FailureModeStatus.MERGED, [into], op)
        elif op.kind is TaxonomyOpKind.SPLIT:
            part_ids = [part["id"] for part in p["parts"]]
            out[p["id"]] = _end(out, p["id"], FailureModeStatus.SPLIT, part_ids, op)
            for part in p["parts"]:
                _add(out, op, part["id"], part["name"], part.get("definition", ""), [])
        elif op.kind is TaxonomyOpKind.RETIRE:
            out[p["id"]] = _end(out, p["id"], FailureModeStatus.RETIRED, [], op)
    except (KeyError, TypeError) as exc:
        raise TaxonomyError(
            f"taxonomy operation {op.version} ({op.kind.value}) does not fit the modes before"
            f" it (missing or unknown {exc}): the taxonomy log is damaged"
        ) from exc
    return out


def _live(modes: Mapping[str, FailureMode], mode_id: str) -> FailureMode:
    mode = modes[mode_id]
    if not mode.active:
        raise KeyError(f"active mode {mode_id!r}")
    return mode


def _add(
    modes: dict[str, FailureMode],
    op: TaxonomyOp,
    mode_id: str,
    name: str,
    definition: str,
    examples: list[str],
) -> None:
    if mode_id in modes:
        raise KeyError(f"new id {mode_id!r} (already taken)")
    modes[mode_id] = FailureMode(
        id=mode_id,
        name=name,
        definition=definition,
        examples=list(examples),
        created_at=op.at,
        created_by=op.by,
        added_in=op.version,
    )


def _end(
    modes: Mapping[str, FailureMode],
    mode_id: str,
    status: FailureModeStatus,
    replaced_by: list[str],
    op: TaxonomyOp,
) -> FailureMode:
    return _live(modes, mode_id).model_copy(
        update={"status": status, "replaced_by": list(replaced_by), "ended_in": op.version}
    )


def replay(ops: Iterable[TaxonomyOp], codes: Mapping[str, Set[str]] | None = None) -> TaxonomyState:
    """Rebuild the taxonomy from its log, oldest operation first.

    Args:
        ops: Every recorded operation, versions 1, 2, 3… without gaps.
        codes: The notes' current codes, carried over as given (codes are
            not in the log: coding a note is not a taxonomy change).

    Raises:
        TaxonomyError: a version is missing or an operation does not fit.
    """
    modes: dict[str, FailureMode] = {}
    version = 0
    for op in ops:
        if op.version != version + 1:
            raise TaxonomyError(
                f"the taxonomy log jumps from version {version} to {op.version}:"
                " the operations in between are missing"
            )
        modes = evolve(modes, op)
        version = op.version
    return TaxonomyState(
        version=version,
        modes=modes,
        codes={note: frozenset(ids) for note, ids in (codes or {}).items() if ids},
    )


def resolve(mode_id: str, modes: Mapping[str, FailureMode]) -> tuple[str, ...]:
    """The active modes a mode id stands for today, for counting old data.

    An active mode stands for itself; a merged one for what it was merged
    into; a split one for all its parts (followed further if they changed
    too); a retired one for none.

    Raises:
        TaxonomyError: 404 if ``mode_id`` (or a mode it points to) is unknown.
    """
    found: dict[str, None] = {}
    seen: set[str] = set()
    stack = [mode_id]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        mode = modes.get(current)
        if mode is None:
            raise unknown_mode(current)
        if mode.active:
            found[current] = None
        else:
            # Reversed so the parts come out in the order the split listed them.
            stack.extend(reversed(mode.replaced_by))
    return tuple(found)


def payload_ref(mode: FailureMode) -> dict[str, Any]:
    """How a payload names a mode: its id and its name at the time."""
    return {"id": mode.id, "name": mode.name}
