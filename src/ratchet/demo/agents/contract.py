"""What an example agent needs from whoever runs it: a case, and tools.

The agents are written against the replay adapter contract (DESIGN.md §3) so
the very same function runs in simulated production (real OTel spans through
:class:`~ratchet.demo.agents.toolbox.ProductionToolbox`) and in replay (mocked
tools). Two optional extras make production traces richer without widening
that contract: a toolbox may offer ``record_model_turn(turn)`` to hear about
model calls, and the handle yielded by ``span()`` may offer
``note(status=…, output=…, attributes=…)`` to hear how a step ended. The
agents call them through :func:`record_model_turn` and :func:`note`, which
do nothing when the runner does not offer them.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from ratchet.demo.agents.fake_model import ModelTurn


class CaseLike(Protocol):
    """A fixture or a production request: what the user asked, and what the app knew."""

    @property
    def input(self) -> Mapping[str, Any]: ...

    @property
    def context(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class Case:
    """The case type the demo builds; replay brings its own with the same two fields."""

    input: Mapping[str, Any]
    context: Mapping[str, Any] = field(default_factory=dict)


class Tools(Protocol):
    """The runner's side of the adapter contract."""

    async def call(self, name: str, /, **arguments: Any) -> Any:
        """Call a tool; raises when the tool fails."""
        ...

    def span(self, type: str, name: str) -> AbstractContextManager[Any]:
        """Record a policy, approval, retrieval, message, route or other step."""
        ...


class ToolFailure(Exception):
    """A simulated backend failed (timeout, outage); the agent sees it as a tool error."""


def record_model_turn(tools: object, turn: ModelTurn) -> str:
    """Tell the runner about a model call when it wants to know; return the model's text."""
    recorder = getattr(tools, "record_model_turn", None)
    if callable(recorder):
        recorder(turn)
    return turn.output


def note(
    handle: object,
    *,
    status: str | None = None,
    output: Any = None,
    attributes: Mapping[str, Any] | None = None,
) -> None:
    """Say how a recorded step ended (``denied``, ``waiting``…) when the runner can hear it."""
    noter = getattr(handle, "note", None)
    if callable(noter):
        noter(status=status, output=output, attributes=dict(attributes or {}))


async def call_with_retry(tools: Tools, name: str, *, attempts: int = 2, **arguments: Any) -> Any:
    """Call a read-only tool, trying again once when it fails, as the agents' runtime does.

    Only for tools without side effects: retrying a refund could pay twice.
    The last failure propagates, whatever type the runner raises.
    """
    for _ in range(attempts - 1):
        try:
            return await tools.call(name, **arguments)
        except Exception:
            continue
    return await tools.call(name, **arguments)
