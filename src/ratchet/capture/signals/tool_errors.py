"""Tool errors: tool calls that failed, and whether the run got over it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ratchet.capture.signals.model import Detected
from ratchet.capture.signals.registry import trace_detector
from ratchet.capture.signals.views import TraceView
from ratchet.core.signals import SignalKind
from ratchet.core.spans import SpanStatus


@trace_detector("tool_error")
def tool_error(view: TraceView) -> Iterator[Detected]:
    """Tool calls that ended in error; one signal per run listing them all.

    A failed call is recovered when a later call of the same tool succeeded.

    Strength: 1.0 when the run itself failed; 0.7 when a failed call was
    never recovered (the agent went on without what it asked for); 0.3 when
    every failure was recovered (a blip the user may not have seen).
    """
    tools = view.tool_spans
    failed_positions = [i for i, s in enumerate(tools) if s.status is SpanStatus.ERROR]
    if not failed_positions:
        return
    errors: list[dict[str, Any]] = []
    unrecovered = 0
    for position in failed_positions:
        span = tools[position]
        recovered = any(
            later.name == span.name and later.status is SpanStatus.OK
            for later in tools[position + 1 :]
        )
        unrecovered += not recovered
        errors.append({**view.span_evidence(span), "tool": span.name, "recovered": recovered})
    run_failed = view.failed
    strength = 1.0 if run_failed else 0.7 if unrecovered else 0.3
    yield Detected(
        SignalKind.TOOL_ERROR,
        strength,
        view.trace_id,
        view.session_id,
        "tool_error",
        {
            "errors": errors,
            "tools": sorted({e["tool"] for e in errors}),
            "count": len(errors),
            "unrecovered": unrecovered,
            "run_failed": run_failed,
        },
    )
