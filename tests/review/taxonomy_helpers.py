"""Building taxonomies in tests: deterministic ids and time, one call per operation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import count

from ratchet.review.taxonomy import (
    Add,
    Applied,
    Request,
    TaxonomyState,
    apply,
    code_note,
    with_code_changes,
)

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class Ids:
    """Mode ids m1, m2, m3… in the order they are asked for."""

    def __init__(self) -> None:
        self._next = count(1)

    def __call__(self) -> str:
        return f"m{next(self._next)}"


class Book:
    """A taxonomy being edited by one reviewer, keeping every operation it applied."""

    def __init__(self) -> None:
        self.state = TaxonomyState()
        self.ids = Ids()
        self.ops: list[Applied] = []

    def do(self, request: Request, why: str = "") -> Applied:
        applied = apply(
            self.state,
            request,
            expected_version=self.state.version,
            by="ana",
            at=AT,
            why=why,
            new_id=self.ids,
        )
        self.state = applied.state
        self.ops.append(applied)
        return applied

    def add(self, name: str, definition: str = "", examples: Sequence[str] = ()) -> str:
        mode_id: str = self.do(Add(name, definition, examples)).op.payload["id"]
        return mode_id

    def code(self, note_id: str, *mode_ids: str) -> None:
        change = code_note(self.state, note_id, list(mode_ids))
        self.state = with_code_changes(self.state, [change])
