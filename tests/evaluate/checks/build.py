"""Hand-built traces for the check tests: fixed times, readable span ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ratchet.core.spans import Span, SpanStatus, SpanType, TokenUsage, ToolCall
from ratchet.core.traces import Trace
from ratchet.evaluate.checks.registry import Run

T0 = datetime(2026, 4, 19, 12, 0, tzinfo=UTC)
TRACE_ID = "ab" * 16


def span(
    ref: str,
    at_ms: float,
    *,
    span_id: str | None = None,
    duration_ms: float = 10,
    status: str = "ok",
    args: Any = None,
    side_effect: bool = False,
    tokens: TokenUsage | None = None,
    cost: float | None = None,
    attributes: dict[str, Any] | None = None,
    status_message: str | None = None,
) -> Span:
    """A span named by its ref, starting ``at_ms`` after T0; its id defaults to its ref@time."""
    kind, name = ref.split(":", 1)
    attrs = dict(attributes or {})
    if side_effect:
        attrs["ratchet.side_effect"] = True
    start = T0 + timedelta(milliseconds=at_ms)
    return Span(
        trace_id=TRACE_ID,
        span_id=span_id or f"{ref}@{at_ms:g}",
        type=SpanType(kind),
        name=name,
        status=SpanStatus(status),
        status_message=status_message,
        start=start,
        end=start + timedelta(milliseconds=duration_ms),
        tool=ToolCall(name=name, arguments=args) if kind == "tool" else None,
        tokens=tokens,
        cost=cost,
        attributes=attrs,
    )


def trace(*spans: Span, **fields: Any) -> Trace:
    return Trace(trace_id=TRACE_ID, spans=list(spans), **fields)


def run(*spans: Span, output: str | None = None, **fields: Any) -> Run:
    return Run(trace(*spans, **fields), output)


def refund_run(output: str | None = "A colleague will review your refund.") -> Run:
    """A well-behaved refund run: read, policy, approval, then the refund intent and reply."""
    return run(
        span("workflow:refund", 0, span_id="root", duration_ms=500),
        span("tool:read_order", 10, args={"order_id": "ord_1"}),
        span("retrieval:refund_policy", 30),
        span("policy:refund_threshold", 50),
        span("approval:required", 70, status="waiting"),
        span("tool:issue_refund", 90, args={"order_id": "ord_1", "amount": 840}, side_effect=True),
        span("message:customer_reply", 110),
        output=output,
        root_span_id="root",
        stop_reason="needs_human_approval",
        final_status="needs_human",
    )
