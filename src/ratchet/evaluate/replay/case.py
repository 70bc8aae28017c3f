"""The ``case`` a replayed agent is given."""

from __future__ import annotations

from typing import Any

from ratchet.evaluate.replay.mocks import private_copy
from ratchet.fixtures.model import Fixture


class ReplayCase:
    """The fixture's inputs, as copies the agent may change without touching the fixture.

    ``input`` and ``context`` are what the adapter contract promises; ``state``,
    ``documents`` and ``memory`` are there for agents that need them, and
    ``id`` names the fixture.
    """

    __slots__ = ("context", "documents", "id", "input", "memory", "state")

    def __init__(self, fixture: Fixture) -> None:
        self.id = fixture.id
        self.input: dict[str, Any] = private_copy(fixture.input)
        self.context: dict[str, Any] = private_copy(fixture.context)
        self.state: dict[str, Any] = private_copy(fixture.state)
        self.documents: list[Any] = private_copy(fixture.documents)
        self.memory: list[Any] = private_copy(fixture.memory)

    def as_json(self) -> dict[str, Any]:
        """The case as the HTTP adapter sends it."""
        return {
            "id": self.id,
            "input": self.input,
            "context": self.context,
            "state": self.state,
            "documents": self.documents,
            "memory": self.memory,
        }

    def __repr__(self) -> str:
        return f"ReplayCase(id={self.id!r}, input={self.input!r}, context={self.context!r})"
