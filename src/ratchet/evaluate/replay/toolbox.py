"""The ``tools`` a replayed agent receives: mocked calls, recorded steps and model turns.

This is the runner's side of the agent adapter (DESIGN.md §3). Every call is
answered from the fixture's mocks and recorded as a ``tool:NAME`` span; a
side-effect tool runs nothing and its span is marked as an intent, so
checks that forbid it still see it. It runs once per tool call of every
replay, so it stays lean: no validation, no copies beyond the one that keeps
the fixture safe from the agent.
"""

from __future__ import annotations

import asyncio
from typing import Any, NoReturn

from ratchet.core.spans import SpanStatus, SpanType
from ratchet.evaluate.replay.errors import ToolError
from ratchet.evaluate.replay.mocks import choose, private_copy, returns_given
from ratchet.evaluate.replay.recording import Recording, make_span, tool_call
from ratchet.evaluate.replay.steps import (
    StepSpan,
    record_model_turn,
    record_step,
    span_status,
    span_type,
)
from ratchet.evaluate.results import Finding, FindingKind
from ratchet.fixtures.model import Fixture

#: How a side-effect call is marked: checks look for the first, people for the second.
SIDE_EFFECT = "ratchet.side_effect"
INTENT = "ratchet.intent"
#: Mocked answers never suspend, so an agent calling tools in an endless loop would
#: never let a timeout fire; every this many calls the toolbox yields to the loop.
YIELD_EVERY = 64


class Toolbox:
    """The tools of one replay of one fixture, for an async agent.

    Attributes:
        findings: what is wrong with the fixture rather than the agent
            (an unmocked tool, a call no ``when`` rule matched), once per tool.
        unanswered: the tools called without a mock answering them, in order,
            once each; ``strict_mocks`` turns any into an error.
    """

    __slots__ = ("_calls", "_fixture_id", "_mocks", "_rec", "findings", "unanswered")

    def __init__(self, fixture: Fixture, recording: Recording) -> None:
        self._rec = recording
        self._mocks = fixture.tools
        self._fixture_id = fixture.id
        self._calls = 0
        self.findings: list[Finding] = []
        self.unanswered: list[str] = []

    @property
    def recording(self) -> Recording:
        return self._rec

    async def call(self, name: str, /, **arguments: Any) -> Any:
        """Call a mocked tool: its ``returns`` value, or ToolError for an ``error`` mock."""
        self._calls += 1
        if not self._calls % YIELD_EVERY:
            await asyncio.sleep(0)
        return self.call_now(name, arguments)

    def call_now(self, name: str, arguments: dict[str, Any]) -> Any:
        """``call`` without the coroutine: for sync agents and the HTTP adapter."""
        rec = self._rec
        if rec.closed:
            raise ToolError(
                f"tool {name!r} called after the replay of {self._fixture_id!r} ended", tool=name
            )
        mock = self._mocks.get(name)
        if mock is None:
            self._unanswered(FindingKind.UNMOCKED_TOOL, name, arguments)
        rule = choose(mock, arguments)
        if rule is None:
            self._unanswered(FindingKind.MOCK_NEVER_MATCHED, name, arguments)
        side_effect = mock.side_effect
        if rule.error is not None:
            self._record(name, arguments, None, SpanStatus.ERROR, rule.error, side_effect)
            raise ToolError(rule.error, tool=name)
        if side_effect and not returns_given(rule):
            result: Any = {"status": "recorded"}
        else:
            result = rule.returns
        # The span keeps the fixture's own value; the agent gets a copy it may change.
        self._record(name, arguments, result, SpanStatus.OK, None, side_effect)
        return private_copy(result)

    def span(self, type: str, name: str) -> StepSpan:
        """Record a step (policy, approval, retrieval, message, route…) around a block."""
        return StepSpan(self._rec, span_type(type), str(name))

    def record_model_turn(self, turn: object) -> None:
        """Record a model call (see :func:`~ratchet.evaluate.replay.steps.record_model_turn`)."""
        record_model_turn(self._rec, turn)

    def record_step(
        self,
        type: str,
        name: str,
        *,
        status: str = "ok",
        output: Any = None,
        attributes: dict[str, Any] | None = None,
    ) -> None:
        """Record a step that already happened (how an HTTP candidate reports one).

        Raises:
            ValueError: an unknown span type or status.
        """
        record_step(
            self._rec,
            span_type(type),
            str(name),
            status=span_status(status),
            output=output,
            attributes=attributes,
        )

    def _record(
        self,
        name: str,
        arguments: dict[str, Any],
        result: Any,
        status: SpanStatus,
        message: str | None,
        side_effect: bool,
    ) -> None:
        rec = self._rec
        if not rec.admit():
            return
        now = rec.clock.now()
        rec.spans.append(
            make_span(
                rec,
                rec.ids.hex(8),
                rec.parent_id(),
                SpanType.TOOL,
                name,
                status,
                now,
                now,
                status_message=message,
                attributes={SIDE_EFFECT: True, INTENT: True} if side_effect else {},
                tool=tool_call(name, arguments, result),
            )
        )

    def _unanswered(self, kind: FindingKind, name: str, arguments: dict[str, Any]) -> NoReturn:
        fixture = self._fixture_id
        if kind is FindingKind.UNMOCKED_TOOL:
            error = f"no mock for tool {name!r} in fixture {fixture!r}"
            finding = (
                f"the agent called tool {name!r}, which fixture {fixture!r} does not mock;"
                f" add `{name}: {{returns: …}}` under `tools:`"
            )
        else:
            shown = _short(arguments)
            error = f"no mock rule of tool {name!r} matches the arguments {shown}"
            finding = (
                f"no `when` rule of tool {name!r} in fixture {fixture!r} matched the call with"
                f" arguments {shown}; add a rule for them, or a last rule without `when`"
            )
        self._record(name, arguments, None, SpanStatus.ERROR, error, False)
        if name not in self.unanswered:
            self.unanswered.append(name)
            self.findings.append(Finding(kind=kind, message=finding))
        raise ToolError(error, tool=name)


class SyncTools:
    """The ``tools`` a sync agent receives: the same toolbox, ``call`` answers directly.

    A sync agent runs in a worker thread, where it cannot await; mocked answers
    need no I/O, so ``call`` returns the value itself instead of a coroutine.
    """

    __slots__ = ("_box",)

    def __init__(self, box: Toolbox) -> None:
        self._box = box

    def call(self, name: str, /, **arguments: Any) -> Any:
        return self._box.call_now(name, arguments)

    def span(self, type: str, name: str) -> StepSpan:
        return self._box.span(type, name)

    def record_model_turn(self, turn: object) -> None:
        self._box.record_model_turn(turn)


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
