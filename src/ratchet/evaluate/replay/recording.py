"""The spans of one replay: ids, times, nesting and the span cap.

The toolbox and the OpenTelemetry capture both record into a
:class:`Recording`. Spans are built without validation (see
:mod:`~ratchet.evaluate.replay.construct`): every value comes from the
fixture or from this package, so validating it again would only cost time in
the hot path.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ratchet.core.clock import Clock
from ratchet.core.ids import IdSource
from ratchet.core.spans import Span, SpanStatus, SpanType, TokenUsage, ToolCall
from ratchet.evaluate.replay.construct import builder

#: Spans one replay keeps besides its root; an agent emitting more is a runaway, and
#: keeping them all would cost memory and time for nothing a check can use.
DEFAULT_MAX_SPANS = 10_000

#: The innermost open step of the replay running in this context, as (recording, span
#: id). Context-scoped, so concurrent replays in one event loop each see their own, and
#: so does a sync agent's worker thread (it runs in a copy of the caller's context).
CURRENT: ContextVar[tuple[Recording, str] | None] = ContextVar("ratchet_replay_step", default=None)


@dataclass(slots=True)
class OtelOpen:
    """A captured OpenTelemetry span that has started and not ended yet."""

    recording: Recording
    span_id: str  # Ratchet's id for it (OTel's random ids would make traces differ)
    frame_id: str  # the innermost toolbox step when it started
    parent_id: str
    start: datetime
    placeholder: Span  # holds its place in ``recording.spans`` until it ends


class Recording:
    """Everything one replay records; closed when the replay ends.

    After ``closed`` is set nothing more is kept: a sync agent abandoned by a
    timeout may still be running in its thread.
    """

    __slots__ = (
        "clock",
        "closed",
        "emitted",
        "final_status",
        "ids",
        "max_spans",
        "otel_open",
        "root_id",
        "spans",
        "stop_reason",
        "trace_id",
        "versions",
    )

    def __init__(self, *, clock: Clock, ids: IdSource, max_spans: int = DEFAULT_MAX_SPANS):
        self.clock = clock
        self.ids = ids
        self.max_spans = max_spans
        self.trace_id = ids.hex(16)
        self.root_id = ids.hex(8)
        self.spans: list[Span] = []
        self.emitted = 0
        self.closed = False
        self.otel_open: dict[int, OtelOpen] = {}
        # What captured OTel spans said about the run (an instrumented agent's own word).
        self.versions: dict[str, dict[str, str]] = {}
        self.stop_reason: str | None = None
        self.final_status: str | None = None

    @property
    def overflowed(self) -> bool:
        return self.emitted > self.max_spans

    def admit(self) -> bool:
        """Count one more span; False when it is not to be kept (over the cap, or closed)."""
        if self.closed:
            return False
        self.emitted += 1
        return self.emitted <= self.max_spans

    def parent_id(self) -> str:
        """The span a span starting now in this context belongs under."""
        frame = CURRENT.get()
        parent = frame[1] if frame is not None and frame[0] is self else self.root_id
        if self.otel_open:
            # Only agents instrumented with OTel pay for the lookup.
            from ratchet.evaluate.replay.otel_capture import innermost

            parent = innermost(self, parent)
        return parent


_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_build_span = builder(
    Span,
    {
        "trace_id": "0" * 32,
        "span_id": "0" * 16,
        "parent_span_id": None,
        "type": SpanType.TOOL,
        "name": "sample",
        "status": SpanStatus.OK,
        "status_message": None,
        "start": _EPOCH,
        "end": _EPOCH,
        "input": None,
        "output": None,
        "attributes": {},
        "events": [],
        "model": None,
        "tokens": None,
        "cost": None,
        "tool": None,
    },
)
_build_tool_call = builder(ToolCall, {"name": "sample", "arguments": {}, "result": None})


def tool_call(name: str, arguments: Any, result: Any) -> ToolCall:
    return _build_tool_call({"name": name, "arguments": arguments, "result": result})


def make_span(
    rec: Recording,
    span_id: str,
    parent_id: str | None,
    span_type: SpanType,
    name: str,
    status: SpanStatus,
    start: datetime,
    end: datetime | None,
    *,
    status_message: str | None = None,
    input: Any = None,
    output: Any = None,
    attributes: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    model: str | None = None,
    tokens: TokenUsage | None = None,
    cost: float | None = None,
    tool: ToolCall | None = None,
) -> Span:
    """A Span of this replay, unvalidated."""
    return _build_span(
        {
            "trace_id": rec.trace_id,
            "span_id": span_id,
            "parent_span_id": parent_id,
            "type": span_type,
            "name": name,
            "status": status,
            "status_message": status_message,
            "start": start,
            "end": end,
            "input": input,
            "output": output,
            "attributes": {} if attributes is None else attributes,
            "events": [] if events is None else events,
            "model": model,
            "tokens": tokens,
            "cost": cost,
            "tool": tool,
        }
    )
