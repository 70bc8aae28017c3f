"""The production toolbox: runs an agent against the simulated backends, emitting real OTel spans.

This is what an instrumented application would send: an AGENT root span per
run with the session, the pseudonymous user and the surface; OpenInference
LLM spans for model turns; TOOL spans with JSON arguments and results (error
status when a backend fails); and ``ratchet.span.type`` spans for retrieval,
policy, approval, message and route steps with their ``ratchet.span.status``.
Time is simulated: every span gets explicit start and end times on a
timeline that starts where the caller says, so a seed reproduces the data.
"""

from __future__ import annotations

import inspect
import json
import random
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, Status, StatusCode, Tracer

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.demo.agents.backends import SIDE_EFFECT_TOOLS, Backends
from ratchet.demo.agents.contract import CaseLike, ToolFailure
from ratchet.demo.agents.fake_model import ModelTurn

Agent = Callable[[CaseLike, Any], Awaitable[Mapping[str, Any]] | Mapping[str, Any] | str]

#: Simulated latency of each tool, in milliseconds (low, high).
TOOL_LATENCY_MS: Mapping[str, tuple[int, int]] = {
    "read_order": (40, 180),
    "issue_refund": (300, 1200),
    "draft_refund_request": (60, 200),
    "send_customer_email": (80, 400),
    "read_calendar": (60, 250),
    "create_event": (90, 300),
    "send_confirmation": (80, 350),
}
#: A failing backend is usually a timeout, so it takes longer.
FAILURE_LATENCY_MS = (1500, 5000)
#: Fictional per-token prices, so cost outliers exist in the demo.
PRICE_PER_PROMPT_TOKEN = 0.5e-6
PRICE_PER_COMPLETION_TOKEN = 1.5e-6
#: OpenInference kinds for the step spans that have one; ``ratchet.span.type`` is authoritative.
STEP_KINDS = {"retrieval": "RETRIEVER", "policy": "GUARDRAIL"}


@dataclass(frozen=True)
class RunInfo:
    """Who ran what, where: the attributes of the root span."""

    agent_name: str
    session_id: str
    user_id: str
    surface: str


@dataclass(frozen=True)
class RunOutcome:
    """How one production run went."""

    trace_id: str
    output: str
    stop_reason: str | None
    final_status: str | None
    start: datetime
    end: datetime


class StepHandle:
    """Yielded by :meth:`ProductionToolbox.span`; ``note`` tells the span how the step ended."""

    def __init__(self, span: Span) -> None:
        self._span = span
        self.status = "ok"

    def note(
        self,
        *,
        status: str | None = None,
        output: Any = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        if status is not None:
            self.status = status
        if output is not None:
            self._span.set_attribute("output.value", _json(output))
            self._span.set_attribute("output.mime_type", "application/json")
        for key, value in (attributes or {}).items():
            self._span.set_attribute(key, value if _is_attribute(value) else _json(value))


class ProductionToolbox:
    """Tools for one run, over shared simulated backends, traced through ``tracer``.

    Args:
        tracer: an OTel SDK tracer (its provider decides where spans go).
        backends: the simulated systems the tools act on.
        start: when the run begins, on the simulated timeline.
        rng: draws latencies; pass a seeded one for reproducible traces.
    """

    def __init__(
        self, tracer: Tracer, backends: Backends, *, start: datetime, rng: random.Random
    ) -> None:
        self._tracer = tracer
        self._backends = backends
        self._rng = rng
        self._now = to_unix_nanos(start)
        self._stack: list[Span] = []

    def run(self, agent: Agent, case: CaseLike, info: RunInfo) -> RunOutcome:
        """Run ``agent`` once under an AGENT root span and report how it ended.

        The simulated tools never wait, so an async agent completes without an
        event loop; this also works when the caller already runs inside one.
        """
        start_ns = self._now
        root = self._tracer.start_span(
            info.agent_name,
            context=otel_context.Context(),
            start_time=start_ns,
            attributes={
                "openinference.span.kind": "AGENT",
                "session.id": info.session_id,
                "user.id": info.user_id,
                "ratchet.surface": info.surface,
                "input.value": _json(dict(case.input)),
                "input.mime_type": "application/json",
                "metadata": _json(dict(case.context)),
            },
        )
        self._stack = [root]
        self._advance(5, 40)
        try:
            result = _complete(agent(case, self))
        except Exception as exc:
            _fail(root, exc, self._now)
            root.end(end_time=self._now)
            raise
        output, stop_reason, final_status = _unpack(result)
        root.set_attribute("output.value", output)
        if stop_reason is not None:
            root.set_attribute("ratchet.stop_reason", stop_reason)
        if final_status is not None:
            root.set_attribute("ratchet.final_status", final_status)
        failed = final_status == "failed"
        root.set_status(Status(StatusCode.ERROR, stop_reason) if failed else Status(StatusCode.OK))
        self._advance(2, 20)
        root.end(end_time=self._now)
        self._stack = []
        return RunOutcome(
            trace_id=format(root.get_span_context().trace_id, "032x"),
            output=output,
            stop_reason=stop_reason,
            final_status=final_status,
            start=from_unix_nanos(start_ns),
            end=from_unix_nanos(self._now),
        )

    async def call(self, name: str, /, **arguments: Any) -> Any:
        """Call a simulated tool under a TOOL span; backend failures raise ToolFailure."""
        span = self._start(
            f"tool {name}",
            {
                "openinference.span.kind": "TOOL",
                "tool.name": name,
                "input.value": _json(arguments),
                "input.mime_type": "application/json",
                "ratchet.tool.side_effect": name in SIDE_EFFECT_TOOLS,
            },
        )
        try:
            result = self._backends.call(name, arguments)
        except ToolFailure as exc:
            self._advance(*FAILURE_LATENCY_MS)
            _fail(span, exc, self._now)
            span.end(end_time=self._now)
            raise
        self._advance(*TOOL_LATENCY_MS.get(name, (50, 300)))
        span.set_attribute("output.value", _json(result))
        span.set_attribute("output.mime_type", "application/json")
        span.set_status(Status(StatusCode.OK))
        span.end(end_time=self._now)
        return result

    @contextmanager
    def span(self, type: str, name: str) -> Iterator[StepHandle]:
        """A step span (``policy``, ``approval``…) around the block; tool calls inside nest."""
        attributes: dict[str, Any] = {"ratchet.span.type": type}
        if type in STEP_KINDS:
            attributes["openinference.span.kind"] = STEP_KINDS[type]
        span = self._start(name, attributes)
        handle = StepHandle(span)
        self._stack.append(span)
        self._advance(1, 12)
        try:
            yield handle
        except Exception as exc:
            handle.status = "error"
            _fail(span, exc, self._now)
            raise
        finally:
            self._stack.pop()
            self._advance(1, 8)
            span.set_attribute("ratchet.span.status", handle.status)
            if handle.status == "ok":
                span.set_status(Status(StatusCode.OK))
            elif handle.status == "error":
                span.set_status(Status(StatusCode.ERROR, f"{type} {name} failed"))
            span.end(end_time=self._now)

    def record_model_turn(self, turn: ModelTurn) -> None:
        """An OpenInference LLM span for one model call, timed by its output length."""
        attributes: dict[str, Any] = {
            "openinference.span.kind": "LLM",
            "llm.model_name": turn.model,
            "llm.invocation_parameters": _json(dict(turn.invocation)),
            "input.value": _json([{"role": m.role, "content": m.content} for m in turn.messages]),
            "input.mime_type": "application/json",
            "output.value": turn.output,
            "llm.output_messages.0.message.role": "assistant",
            "llm.output_messages.0.message.content": turn.output,
            "llm.token_count.prompt": turn.prompt_tokens,
            "llm.token_count.completion": turn.completion_tokens,
            "llm.token_count.total": turn.total_tokens,
            "llm.cost.total": round(
                turn.prompt_tokens * PRICE_PER_PROMPT_TOKEN
                + turn.completion_tokens * PRICE_PER_COMPLETION_TOKEN,
                8,
            ),
        }
        for index, message in enumerate(turn.messages):
            attributes[f"llm.input_messages.{index}.message.role"] = message.role
            attributes[f"llm.input_messages.{index}.message.content"] = message.content
        span = self._start(turn.step, attributes)
        # Time to first token, then a steady rate per generated token.
        self._advance(250, 600)
        self._now += turn.completion_tokens * self._rng.randint(12, 25) * 1_000_000
        span.set_status(Status(StatusCode.OK))
        span.end(end_time=self._now)

    def _start(self, name: str, attributes: Mapping[str, Any]) -> Span:
        parent = trace.set_span_in_context(self._stack[-1]) if self._stack else None
        return self._tracer.start_span(
            name, context=parent, start_time=self._now, attributes=dict(attributes)
        )

    def _advance(self, low_ms: int, high_ms: int) -> None:
        self._now += self._rng.randint(low_ms, high_ms) * 1_000_000


def _complete(result: Any) -> Any:
    """The value of an agent's result, finishing a coroutine that never suspends."""
    if not inspect.isawaitable(result):
        return result

    async def wait() -> Any:
        return await result

    coroutine = wait()
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    raise RuntimeError(
        "the agent awaited something other than the toolbox (a real network call or sleep?);"
        " production simulation only supports agents that await tools.call"
    )


def _unpack(result: Any) -> tuple[str, str | None, str | None]:
    if isinstance(result, str):
        return result, None, None
    if isinstance(result, Mapping):
        stop, final = result.get("stop_reason"), result.get("final_status")
        return (
            str(result.get("output", "")),
            None if stop is None else str(stop),
            None if final is None else str(final),
        )
    raise TypeError(f"an agent returns a string or a mapping with 'output', not {result!r}")


def _fail(span: Span, exc: BaseException, at_ns: int) -> None:
    # Recorded by hand, without a stack trace, so the exported data is the same every run.
    span.add_event(
        "exception",
        {"exception.type": type(exc).__name__, "exception.message": str(exc)},
        timestamp=at_ns,
    )
    span.set_status(Status(StatusCode.ERROR, str(exc)))


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _is_attribute(value: Any) -> bool:
    return isinstance(value, str | bool | int | float)
