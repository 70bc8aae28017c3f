"""How long the deterministic checks take per fixture on a small trace.

Builds one 12-span refund run (workflow, model calls, tools, policy,
approval, a side-effect intent, the reply) and expectations that ask for ten
typical checks, then times ``run_checks`` on a fresh ``Run`` each time (so
the per-run index is built inside the timing, as it is in a suite run) and
prints the best pass in microseconds per fixture. Run:
``python benchmarks/bench_checks.py``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from ratchet.core.spans import Span, SpanStatus, SpanType, TokenUsage, ToolCall
from ratchet.core.traces import Trace
from ratchet.evaluate.checks.apply import run_checks
from ratchet.evaluate.checks.registry import Run
from ratchet.fixtures.model import Expectations

RUNS_PER_PASS = 2_000
PASSES = 7
T0 = datetime(2026, 4, 19, 12, 0, tzinfo=UTC)
TRACE_ID = "0" * 31 + "1"

_STEPS: list[tuple[SpanType, str, dict[str, object] | None]] = [
    (SpanType.WORKFLOW, "refund_request", None),
    (SpanType.MODEL, "plan", None),
    (SpanType.TOOL, "read_order", {"order_id": "ord_1"}),
    (SpanType.RETRIEVAL, "refund_policy", None),
    (SpanType.POLICY, "refund_threshold", None),
    (SpanType.MODEL, "decide", None),
    (SpanType.APPROVAL, "required", None),
    (SpanType.TOOL, "lookup_customer", {"customer_id": "cus_1"}),
    (SpanType.TOOL, "read_order", {"order_id": "ord_1", "fields": ["amount"]}),
    (SpanType.TOOL, "issue_refund", {"order_id": "ord_1", "amount": 840}),
    (SpanType.MODEL, "reply", None),
    (SpanType.MESSAGE, "customer_reply", None),
]


def build_trace() -> Trace:
    spans = []
    for i, (kind, name, arguments) in enumerate(_STEPS):
        start = T0 + timedelta(milliseconds=100 * i)
        spans.append(
            Span(
                trace_id=TRACE_ID,
                span_id=f"{i + 1:016x}",
                parent_span_id=None if i == 0 else f"{1:016x}",
                type=kind,
                name=name,
                status=SpanStatus.OK,
                start=start,
                end=start + timedelta(milliseconds=80),
                tokens=TokenUsage(input=400, output=60) if kind is SpanType.MODEL else None,
                cost=0.002 if kind is SpanType.MODEL else None,
                tool=ToolCall(name=name, arguments=arguments) if arguments is not None else None,
                attributes={"ratchet.side_effect": True} if name == "issue_refund" else {},
            )
        )
    return Trace(
        trace_id=TRACE_ID,
        root_span_id=spans[0].span_id,
        stop_reason="needs_human_approval",
        final_status="needs_human",
        spans=spans,
    )


EXPECT = Expectations.model_validate(
    {
        "required_spans": ["tool:read_order", "policy:refund_threshold", "approval:required"],
        "forbidden_spans": ["message:customer_promise_sent"],
        "order": [["approval:required", "@side_effect"], ["model:plan", "tool:*"]],
        "tools_called": ["read_order"],
        "tool_args": {"read_order": {"order_id": "ord_1"}},
        "stop_reason": "needs_human_approval",
        "final_status": "needs_human",
        "output_must_not_contain": ["approved", "processed", "completed"],
        "budgets": {"max_tool_calls": 6, "max_retries": 1, "max_tokens": 8000},
        "no_error_spans": True,
    }
)
OUTPUT = "Your refund of $840 needs a manager's approval; a colleague will follow up."


def main() -> None:
    trace = build_trace()
    results = run_checks(EXPECT, Run(trace, OUTPUT))  # warm caches, check the set-up
    assert len(results) == 10, [r.check for r in results]
    assert all(r.passed for r in results), [r for r in results if not r.passed]
    best = float("inf")
    for _ in range(PASSES):
        started = time.perf_counter()
        for _ in range(RUNS_PER_PASS):
            run_checks(EXPECT, Run(trace, OUTPUT))
        best = min(best, (time.perf_counter() - started) / RUNS_PER_PASS)
    print(f"checks: {len(results)} checks on a {len(trace.spans)}-span trace")
    print(f"checks: best {best * 1e6:.1f} µs/fixture (target < 100)")


if __name__ == "__main__":
    main()
