"""How many traces per second the implicit-signal detectors get through, on one core.

Generates realistic agent runs (seeded): support conversations of one to
three turns, each run an agent root with the user's message (and the
thread so far), three to six model calls carrying chat messages, and tool,
retrieval, policy, approval and message steps, 10 to 30 spans in all; a
share of them fail a tool, retry, loop, get denied, stop at a limit, or
come back rephrased, corrected or annoyed, so every detector has work.
Then times ``detect`` over all of them with every built-in detector and
prints the best pass in traces per second beside the target, plus the cost
of building the per-surface baselines from the same traces. Trace building
is outside the timing: ingest hands detection traces already built. Run:
``python benchmarks/bench_signals.py [--traces N] [--passes P] [--save FILE]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ratchet.capture.signals import Baselines, detect
from ratchet.core.spans import Span, SpanStatus, SpanType, TokenUsage, ToolCall
from ratchet.core.traces import Trace

SEED = 20260420
TARGET = 5_000
T0 = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)

OPENERS = (
    "Could you book my next session {when}? Mornings are best.",
    "Please refund {order}, the {item} arrived damaged.",
    "Where is my parcel {order}? It was due {when}.",
    "Can you change the delivery address for {order} to my office?",
    "I'd like to cancel {order} and {order2}, I ordered them twice.",
)
FOLLOW_UPS = (
    "That's not right. I said {when}, counting from today.",
    "Trying again: {opener}",
    "Hello?? I still need help with {order}.",
    "Thanks, that's all!",
    "{opener}",
    "Great, can you also send me the invoice for {order}?",
    "This is useless, let me speak to a human.",
)
WHEN = ("two weeks from now", "next Tuesday", "tomorrow", "in 10 days", "end of next week")
ITEMS = ("blender", "desk lamp", "headphones", "rain jacket", "kettle")
TOOLS = ("read_order", "read_calendar", "search_kb", "lookup_customer", "track_parcel")
SIDE_EFFECTS = ("issue_refund", "create_event", "send_customer_email", "cancel_order")
FINALS = ("resolved",) * 6 + ("failed", "needs_user", "needs_human", "declined", "partial")


class _Builder:
    """Spans of one run, laid out on a simulated timeline."""

    def __init__(self, trace_id: str, start: datetime) -> None:
        self.trace_id = trace_id
        self.now = start
        self.spans: list[Span] = []

    def add(self, kind: SpanType, name: str, ms: float, **fields: Any) -> Span:
        span = Span(
            trace_id=self.trace_id,
            span_id=f"{len(self.spans) + 1:016x}",
            parent_span_id=None if not self.spans else self.spans[0].span_id,
            type=kind,
            name=name,
            start=self.now,
            end=self.now + timedelta(milliseconds=ms),
            **fields,
        )
        self.spans.append(span)
        self.now += timedelta(milliseconds=ms + 3)
        return span


def _message(rng: random.Random, template: str, opener: str = "") -> str:
    order = f"ord_{rng.randint(10_000, 99_999)}"
    return template.format(
        when=rng.choice(WHEN),
        order=order,
        order2=f"ord_{rng.randint(10_000, 99_999)}",
        item=rng.choice(ITEMS),
        opener=opener,
    )


def build_run(
    rng: random.Random,
    number: int,
    session: str,
    start: datetime,
    user: str,
    thread: list[dict[str, str]],
) -> Trace:
    trace_id = f"{number:032x}"
    b = _Builder(trace_id, start)
    final = rng.choice(FINALS)
    answer = (
        "You're booked for Tuesday, May 5 at 09:00."
        if final == "resolved"
        else "Sorry, I couldn't finish that. Please try again in a few minutes."
    )
    root = b.add(
        SpanType.AGENT,
        "support_agent",
        0,
        status=SpanStatus.ERROR if final == "failed" else SpanStatus.OK,
        input={"user_message": user, "thread": thread},
        output=answer,
    )
    messages = [{"role": "system", "content": "You are the support assistant."}]
    messages += [{"role": m["role"], "content": m["text"]} for m in thread]
    messages.append({"role": "user", "content": user})
    target = rng.randint(10, 30)
    loop = rng.random() < 0.03
    # One run in a hundred is an expensive, slow one: a runaway prompt, a stuck backend.
    heavy = 25.0 if rng.random() < 0.01 else 1.0
    while len(b.spans) < target - 1:
        roll = rng.random()
        if roll < 0.25:
            b.add(
                SpanType.MODEL,
                rng.choice(("plan", "decide", "compose_reply")),
                rng.uniform(300, 1500) * heavy,
                status=SpanStatus.OK,
                input=messages,
                output=[{"role": "assistant", "content": "Let me check the order first."}],
                model="northwind-chat-m",
                tokens=TokenUsage(input=600, output=40, total=640),
                cost=round(rng.uniform(0.0005, 0.002) * heavy, 6),
            )
        elif roll < 0.7:
            name = TOOLS[0] if loop else rng.choice(TOOLS)
            failed = rng.random() < 0.06
            arguments = (
                {"order_id": "ord_1"} if loop else {"id": rng.randint(1, 999), "q": user[:20]}
            )
            b.add(
                SpanType.TOOL,
                name,
                rng.uniform(40, 4000 if failed else 250),
                status=SpanStatus.ERROR if failed else SpanStatus.OK,
                status_message="upstream timed out" if failed else None,
                tool=ToolCall(name=name, arguments=arguments, result={"ok": not failed}),
            )
        elif roll < 0.8:
            name = rng.choice(SIDE_EFFECTS)
            b.add(
                SpanType.TOOL,
                name,
                rng.uniform(80, 600),
                status=SpanStatus.OK,
                tool=ToolCall(name=name, arguments={"order_id": user[-9:]}),
                attributes={"ratchet.tool.side_effect": True},
            )
        elif roll < 0.9:
            denied = final == "declined" and rng.random() < 0.5
            b.add(
                SpanType.POLICY,
                "refund_eligibility",
                5,
                status=SpanStatus.DENIED if denied else SpanStatus.OK,
                output={"eligible": not denied},
            )
        elif roll < 0.95:
            b.add(SpanType.RETRIEVAL, "refund_policy", 30, status=SpanStatus.OK)
        else:
            b.add(SpanType.MESSAGE, "customer_reply", 20, status=SpanStatus.OK)
    root.end = b.now
    stop = "max_steps" if final == "partial" else "completed"
    return Trace(
        trace_id=trace_id,
        root_span_id=root.span_id,
        session_id=session,
        service=rng.choice(("refund-assistant", "scheduling-assistant")),
        surface=rng.choice(("web", "email")),
        stop_reason=stop,
        final_status=final,
        start=start,
        end=b.now,
        span_count=len(b.spans),
        spans=b.spans,
    )


def build_traces(count: int, seed: int = SEED) -> list[Trace]:
    """``count`` runs in sessions of one to three turns, deterministic for a seed."""
    rng = random.Random(seed)
    traces: list[Trace] = []
    moment = T0
    while len(traces) < count:
        session = f"sess_{rng.getrandbits(48):012x}"
        opener = _message(rng, rng.choice(OPENERS))
        user, thread = opener, []
        for _ in range(min(rng.choice((1, 1, 2, 3)), count - len(traces))):
            trace = build_run(rng, len(traces) + 1, session, moment, user, thread)
            traces.append(trace)
            moment = (trace.end or moment) + timedelta(seconds=rng.uniform(20, 300))
            thread = [*thread, {"role": "user", "text": user}]
            thread.append({"role": "assistant", "text": str(trace.spans[0].output)})
            user = _message(rng, rng.choice(FOLLOW_UPS), opener)
    return traces


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--traces", type=int, default=5_000, help="runs to generate")
    parser.add_argument("--passes", type=int, default=5, help="timed passes (best counts)")
    parser.add_argument("--save", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)

    traces = build_traces(args.traces)
    spans = sum(len(t.spans) for t in traces)
    baselines = Baselines.from_traces(traces)
    found = detect(traces, baselines=baselines)  # warm up, and show what is in the data
    kinds = Counter(d.kind.value for d in found)
    best = best_baselines = float("inf")
    gc.collect()
    for _ in range(args.passes):
        started = time.perf_counter()
        detect(traces, baselines=baselines)
        best = min(best, time.perf_counter() - started)
        started = time.perf_counter()
        Baselines.from_traces(traces)
        best_baselines = min(best_baselines, time.perf_counter() - started)
    rate = len(traces) / best
    mark = "✓" if rate >= TARGET else "✗"
    print(f"signals: {len(traces):,} traces, {spans:,} spans ({spans / len(traces):.1f}/trace)")
    print(
        f"signals: found {sum(kinds.values()):,}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    )
    print(
        f"signals: detect, every built-in detector: {rate:,.0f} traces/s "
        f"(target ≥ {TARGET:,}) {mark}"
    )
    print(f"signals: baselines from the same traces: {len(traces) / best_baselines:,.0f} traces/s")
    if args.save is not None:
        figures = {
            "traces": len(traces),
            "spans": spans,
            "detect_traces_per_s": rate,
            "detect_us_per_trace": best / len(traces) * 1e6,
            "baselines_traces_per_s": len(traces) / best_baselines,
            "found": dict(sorted(kinds.items())),
            "target_traces_per_s": TARGET,
        }
        args.save.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
