"""Production-like traces for review tests: scheduling and refund runs, some failing.

Each trace is a root ``agent`` span with the user's message and the answer,
a model call, tool calls (one in error on every third trace) and, for
refunds, a policy check. Ids are derived from the index, so tests can name
traces and spans directly.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ratchet.core.clock import to_unix_nanos
from ratchet.store.ingest import write_spans
from ratchet.store.records import SpanRecord
from ratchet.store.store import Store

BASE = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
SURFACES = ("scheduling", "refunds")


def trace_id(i: int) -> str:
    return f"{i + 1:032x}"


def span_id(i: int, n: int) -> str:
    return f"{i + 1:08x}{n:08x}"


def _records(i: int) -> list[SpanRecord]:
    tid = trace_id(i)
    surface = SURFACES[i % 2]
    start = to_unix_nanos(BASE) + i * 60 * 10**9
    failing = i % 3 == 0
    message = (
        "Can we book my next session two weeks from now?"
        if surface == "scheduling"
        else f"Please refund order ord_{i:04d}, it arrived broken."
    )
    answer = "Booked you for the 30th." if surface == "scheduling" else "Your refund is on its way."
    root = SpanRecord(
        trace_id=tid,
        span_id=span_id(i, 1),
        name=f"{surface}-assistant",
        type="agent",
        status="ok",
        start_ns=start,
        end_ns=start + 900_000_000,
        input={"user_message": message},
        output=answer,
        session_id=f"sess-{i // 2}",
        surface=surface,
        service=surface,
        service_version="1.4.0" if i % 4 < 2 else "1.5.0",
        versions={"prompt": {f"{surface}-system": "v3" if i < 6 else "v4"}},
        final_status="resolved" if not failing else "needs_human",
        stop_reason="completed",
    )
    model = SpanRecord(
        trace_id=tid,
        span_id=span_id(i, 2),
        parent_span_id=root.span_id,
        name="chat",
        type="model",
        status="ok",
        start_ns=start + 1_000_000,
        end_ns=start + 400_000_000,
        model="gpt-4o-mini",
        input=[{"role": "user", "content": message}],
        output=[{"role": "assistant", "content": answer}],
        input_tokens=220,
        output_tokens=40,
        cost=0.0004,
    )
    tool_name = "create_booking" if surface == "scheduling" else "issue_refund"
    tool = SpanRecord(
        trace_id=tid,
        span_id=span_id(i, 3),
        parent_span_id=root.span_id,
        name=tool_name,
        type="tool",
        status="error" if failing else "ok",
        status_message="calendar unavailable" if failing else None,
        start_ns=start + 410_000_000,
        end_ns=start + 800_000_000,
        tool_arguments={"when": "2026-11-30"} if surface == "scheduling" else {"order": i},
        tool_result=None if failing else {"ok": True},
    )
    return [root, model, tool]


def seed_traces(store: Store, project_id: int, n: int = 12) -> list[str]:
    """``n`` traces a minute apart, surfaces alternating; every third has a tool error."""
    records = [r for i in range(n) for r in _records(i)]
    with store.write() as conn:
        write_spans(conn, project_id, records)
    return [trace_id(i) for i in range(n)]
