"""Hand-built conversations for the detector tests: fixed times, readable ids.

A turn is one run the way an instrumented agent records it: an agent root
span carrying the user's message and the final answer, a model call with
the chat messages, then the steps (tool calls, policy checks…) in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ratchet.capture.signals import Detected, detect
from ratchet.core.spans import Span, SpanStatus, SpanType, ToolCall
from ratchet.core.traces import Trace

T0 = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)


def trace_id(number: int) -> str:
    return f"{number:032x}"


@dataclass(frozen=True)
class Step:
    """One span after the model call: ``ref`` is ``type:name``."""

    ref: str
    args: Any = None
    status: str = "ok"
    side_effect: bool = False
    output: Any = None
    duration_ms: float = 100
    attributes: dict[str, Any] = field(default_factory=dict)
    status_message: str | None = None


def tool(name: str, status: str = "ok", side_effect: bool = False, **args: Any) -> Step:
    message = "backend timed out" if status == "error" else None
    return Step(f"tool:{name}", args, status, side_effect, status_message=message)


def turn(
    number: int,
    user: str | None,
    answer: str | None,
    *,
    session: str | None = "sess_1",
    at_minutes: float = 0.0,
    final_status: str | None = "resolved",
    stop_reason: str | None = None,
    steps: Sequence[Step] = (),
    thread: list[dict[str, str]] | None = None,
    service: str = "support-bot",
    surface: str = "web",
    cost: float | None = None,
    duration_ms: float | None = None,
    root_status: str = "ok",
    root_input: Any = None,
) -> Trace:
    """One run of a conversation, ``at_minutes`` after T0."""
    tid = trace_id(number)
    start = T0 + timedelta(minutes=at_minutes)
    root_id = f"{number:08x}00000000"
    given: Any = root_input
    if given is None and user is not None:
        given = {"user_message": user}
        if thread is not None:
            given["thread"] = thread
    messages = [{"role": "system", "content": "You are a helpful support assistant."}]
    if user is not None:
        messages.append({"role": "user", "content": user})
    spans = [
        Span(
            trace_id=tid,
            span_id=f"{number:08x}00000001",
            parent_span_id=root_id,
            type=SpanType.MODEL,
            name="plan",
            status=SpanStatus.OK,
            start=start + timedelta(milliseconds=10),
            end=start + timedelta(milliseconds=400),
            input=messages,
            output=[{"role": "assistant", "content": "Let me look into that."}],
            cost=cost,
        )
    ]
    at = 400.0
    for index, step in enumerate(steps, start=2):
        kind, name = step.ref.split(":", 1)
        attributes = dict(step.attributes)
        if step.side_effect:
            attributes["ratchet.tool.side_effect"] = True
        begin = start + timedelta(milliseconds=at)
        spans.append(
            Span(
                trace_id=tid,
                span_id=f"{number:08x}{index:08x}",
                parent_span_id=root_id,
                type=SpanType(kind),
                name=name,
                status=SpanStatus(step.status),
                status_message=step.status_message,
                start=begin,
                end=begin + timedelta(milliseconds=step.duration_ms),
                output=step.output,
                tool=ToolCall(name=name, arguments=step.args) if kind == "tool" else None,
                attributes=attributes,
            )
        )
        at += step.duration_ms + 10
    end = start + timedelta(milliseconds=duration_ms if duration_ms is not None else at + 20)
    root = Span(
        trace_id=tid,
        span_id=root_id,
        type=SpanType.AGENT,
        name="support_agent",
        status=SpanStatus(root_status),
        start=start,
        end=end,
        input=given,
        output=answer,
    )
    return Trace(
        trace_id=tid,
        root_span_id=root_id,
        session_id=session,
        service=service,
        surface=surface,
        stop_reason=stop_reason,
        final_status=final_status,
        start=start,
        end=end,
        spans=[root, *spans],
    )


def found(traces: Sequence[Trace], detector: str, **options: Any) -> list[Detected]:
    """What one detector finds in these traces."""
    return detect(traces, only=[detector], **options)
