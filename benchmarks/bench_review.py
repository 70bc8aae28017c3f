"""Review side: the trace view, the review queue and the sessions list at 1 M stored traces.

Fills an SQLite store (a temporary ``RATCHET_HOME``) with ``--traces``
production traces of three or four spans each (realistic names, surfaces,
services, versions, one in twenty-five failing a tool) and signals on about
5% of them, written in bulk through the store's own ``write_spans``. Then
starts a real ``ratchet serve`` on it (``--watch-every 0``: background
detection would compete with the requests), sends one 500-span trace over
OTLP, signs in over HTTP as a browser does, starts a review session of 100
traces for each filter a session takes (surface, service, time window,
stratification, all together) and reads some of the first one's traces.

What it times, one request at a time over loopback (so "server time" here
is the request's latency as the client sees it, TCP and HTTP included): the
trace view of the 500-span trace and of a queue trace, each session's queue
page (``/review/sessions/{id}``, HTML) and the same queue over REST
(``GET /api/v1/review-sessions/{id}``), the sessions list (``/review``), and
starting a session (``POST /api/v1/review-sessions``, which is where the
session's filters meet the million traces). Seeded and deterministic. Run::

    python benchmarks/bench_review.py [--traces N | --quick] [--save FILE.json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from ingest_load import Server, percentile, running_server, send_bodies
from spans import big_trace_bodies

from ratchet.core.clock import from_unix_nanos
from ratchet.core.signals import Signal, SignalKind
from ratchet.store.ingest import write_spans
from ratchet.store.projects import ensure_project
from ratchet.store.records import SpanRecord
from ratchet.store.signals_write import add_new_signals
from ratchet.store.store import open_store

SEED = 20260421
PROJECT = "bench"
END = datetime(2026, 4, 20, 12, 0, tzinfo=UTC)
END_NS = int(END.timestamp()) * 1_000_000_000
DAYS = 28
BATCH = 5_000  # traces per transaction
TARGETS = {"view": 150.0, "queue": 200.0}

SURFACES = ("web", "web", "web", "email", "mobile", "voice")
SERVICES = ("support-agent", "scheduling-agent", "refunds-agent")
VERSIONS = ("1.4.1", "1.4.2", "1.4.2", "1.5.0")
PROMPTS = ("support-2026-03-30", "support-2026-04-14")
MODELS = ("gpt-4o-mini-2024-07-18", "claude-3-5-haiku-20241022")
TOOLS = ("read_order", "issue_refund", "search_calendar", "lookup_customer", "track_parcel")
ASKS = (
    "Please refund order {o}, the {i} arrived damaged.",
    "Where is my parcel {o}? It was due {w}.",
    "Could you book my next session {w}? Mornings are best.",
    "Can you change the delivery address for {o} to my office?",
    "I was charged twice for {o}, can you fix it?",
)
ITEMS = ("blender", "desk lamp", "headphones", "rain jacket", "kettle")
WHEN = ("two weeks from now", "next Tuesday", "tomorrow", "in 10 days", "end of next week")
ANSWERS = (
    "I've issued a refund of {a} dollars for {o}; it will arrive within five business days.",
    "Your parcel {o} is with the carrier and should arrive {w}.",
    "You're booked for {w} at 09:00. I've sent a confirmation e-mail.",
    "Sorry, I couldn't finish that. Please try again in a few minutes.",
)
#: (kind, strength, weight) of the signals put on about 5% of traces.
SIGNALS = (
    (SignalKind.TOOL_ERROR, 0.7, 0),  # every failing trace gets one; weight 0 elsewhere
    (SignalKind.THUMBS_DOWN, 1.0, 3),
    (SignalKind.REPHRASING, 0.6, 3),
    (SignalKind.FRUSTRATION, 0.8, 2),
    (SignalKind.CORRECTIVE_FOLLOW_UP, 0.7, 2),
    (SignalKind.LATENCY_OUTLIER, 0.5, 2),
    (SignalKind.TOOL_LOOP, 0.9, 1),
    (SignalKind.ABANDONMENT, 0.5, 2),
    (SignalKind.THUMBS_UP, 0.0, 3),
)


def log(message: str) -> None:
    print(message, flush=True)


def _fill(rng: random.Random, template: str) -> str:
    order = f"ord_{rng.randint(10_000, 99_999)}"
    return template.format(o=order, i=rng.choice(ITEMS), w=rng.choice(WHEN), a=rng.randint(5, 900))


def trace_records(rng: random.Random, texts: list[tuple[str, str]]) -> list[SpanRecord]:
    """One production run: an agent root, a model call, one or two tool calls."""
    trace_id = f"{rng.getrandbits(128):032x}"
    start = END_NS - rng.randrange(DAYS * 86_400 * 10**9)
    failing = rng.randrange(25) == 0
    ask, answer = rng.choice(texts)
    service, version, model = rng.choice(SERVICES), rng.choice(VERSIONS), rng.choice(MODELS)
    root_id = f"{rng.getrandbits(64):016x}"
    hints: dict[str, Any] = {
        "session_id": f"sess_{rng.getrandbits(40):010x}",
        "user_id": f"u_{rng.getrandbits(32):08x}",
        "service": service,
        "surface": rng.choice(SURFACES),
        "service_version": version,
        "versions": {"prompt": {"support": rng.choice(PROMPTS)}, "model": {"main": model}},
    }
    clock = start + rng.randrange(5, 30) * 10**6
    spans = []
    model_ms = rng.randrange(300, 2500)
    spans.append(
        SpanRecord(
            trace_id=trace_id,
            span_id=f"{rng.getrandbits(64):016x}",
            parent_span_id=root_id,
            name="ChatCompletion",
            type="model",
            status="ok",
            start_ns=clock,
            end_ns=clock + model_ms * 10**6,
            input=[{"role": "user", "content": ask}],
            output=[{"role": "assistant", "content": "Let me check that order first."}],
            model=model,
            input_tokens=(tokens := rng.randrange(300, 3000)),
            output_tokens=40,
            total_tokens=tokens + 40,
            cost=round(tokens * 1.5e-7, 6),
        )
    )
    clock += model_ms * 10**6
    for n in range(rng.choice((1, 1, 2))):
        tool, error = rng.choice(TOOLS), failing and n == 0
        tool_ms = rng.randrange(4000, 9000) if error else rng.randrange(40, 400)
        spans.append(
            SpanRecord(
                trace_id=trace_id,
                span_id=f"{rng.getrandbits(64):016x}",
                parent_span_id=root_id,
                name=tool,
                type="tool",
                status="error" if error else "ok",
                status_message="upstream timed out" if error else None,
                start_ns=clock,
                end_ns=clock + tool_ms * 10**6,
                tool_arguments={"order_id": f"ord_{rng.randint(10_000, 99_999)}"},
                tool_result=None if error else {"status": "ok", "amount": rng.randrange(5, 900)},
            )
        )
        clock += tool_ms * 10**6
    spans.insert(
        0,
        SpanRecord(
            trace_id=trace_id,
            span_id=root_id,
            name=f"{service.split('-')[0]}_agent.run",
            type="agent",
            status="error" if failing else "ok",
            start_ns=start,
            end_ns=clock + 5 * 10**6,
            input={"user_message": ask},
            output=ANSWERS[-1] if failing else answer,
            stop_reason="error" if failing else "completed",
            final_status="failed" if failing else "resolved",
            **hints,
        ),
    )
    return spans


def _signal(rng: random.Random, trace: SpanRecord, weights: list[int]) -> Signal:
    failing = trace.final_status == "failed"
    kind, strength, _ = SIGNALS[0] if failing else rng.choices(SIGNALS, weights)[0]
    return Signal(
        id=f"sg{rng.getrandbits(64):016x}",
        kind=kind,
        trace_id=trace.trace_id,
        session_id=trace.session_id,
        strength=strength,
        comment="the agent promised a refund it could not approve" if strength == 1 else None,
        evidence={"span_id": trace.span_id},
        created_at=from_unix_nanos(trace.start_ns + 60 * 10**9),
    )


def fill_store(home: Path, traces: int) -> dict[str, Any]:
    """Write ``traces`` runs and their signals in transactions of BATCH traces."""
    rng = random.Random(SEED)
    texts = [
        (_fill(rng, rng.choice(ASKS)), _fill(rng, rng.choice(ANSWERS[:-1]))) for _ in range(500)
    ]
    weights = [w for _, _, w in SIGNALS]
    store = open_store(home=str(home))
    spans = signals = 0
    started = time.perf_counter()
    try:
        project_id = ensure_project(store, PROJECT).id
        for first in range(0, traces, BATCH):
            records, found = [], []
            for _ in range(min(BATCH, traces - first)):
                run = trace_records(rng, texts)
                records += run
                if run[0].final_status == "failed" or rng.random() < 0.01:
                    found.append(_signal(rng, run[0], weights))
            with store.write() as conn:
                spans += write_spans(conn, project_id, records).stored
            signals += add_new_signals(store, project_id, found)
            done = first + BATCH
            if done % (BATCH * 20) == 0:
                log(f"  {done:>9,} traces written, {time.perf_counter() - started:6.0f} s")
    finally:
        store.close()
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in home.glob("ratchet.db*"))
    return dict(traces=traces, spans=spans, signals=signals, load_s=seconds, db_bytes=size)


def sign_in(client: httpx.Client, key: str) -> None:
    """Sign in as a browser does: the form token, then name and key; ``client`` keeps the cookie."""
    form = client.get("/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    if token is None:
        raise RuntimeError("no login_token on /login")
    resp = client.post(
        "/login", data={"key": key, "name": "bench-reviewer", "login_token": token.group(1)}
    )
    if resp.status_code != 303:
        raise RuntimeError(f"sign-in answered {resp.status_code}: {resp.text[:300]}")


def queue_filters() -> dict[str, dict[str, Any]]:
    """The filters a review session is drawn with, one at a time and all together."""
    week = (END - timedelta(days=7)).isoformat()
    return {
        "none": {},
        "surface=web": {"surface": "web"},
        f"service={SERVICES[2]}": {"service": SERVICES[2]},
        "last 7 days": {"since": week},
        "stratified by surface": {"stratify": "surface"},
        f"all four: web, {SERVICES[2]}, 7 days, by version": {
            "surface": "web",
            "service": SERVICES[2],
            "since": week,
            "stratify": "version",
        },
    }


def timed(get: Callable[[], httpx.Response], requests: int, warm: int = 3) -> dict[str, float]:
    """p50/p95/max in ms of ``requests`` sequential requests, after ``warm`` untimed ones."""
    ms = []
    for n in range(warm + requests):
        started = time.perf_counter()
        resp = get()
        elapsed = (time.perf_counter() - started) * 1000
        if resp.status_code != 200:
            raise RuntimeError(f"{resp.request.url} answered {resp.status_code}: {resp.text[:300]}")
        if n >= warm:
            ms.append(elapsed)
    p50, p95, size = percentile(ms, 50), percentile(ms, 95), len(resp.content)
    return {"p50_ms": p50, "p95_ms": p95, "max_ms": max(ms), "requests": requests, "bytes": size}


def mark(value: float, target: float) -> str:
    return f"(target ≤ {target:.0f}) {'✓' if value <= target else '✗'}"


def start_sessions(api: httpx.Client, starts: int) -> tuple[dict[str, str], dict[str, Any]]:
    """Start ``starts`` sessions per filter; the first of each is the one whose queue is read."""
    ids: dict[str, str] = {}
    timings: dict[str, Any] = {}
    for name, params in queue_filters().items():
        ms: list[float] = []
        items = 0
        for n in range(starts):
            body = {"size": 100, "seed": SEED + n, "name": f"bench {name} #{n + 1}", **params}
            began = time.perf_counter()
            resp = api.post("/api/v1/review-sessions", json=body)
            ms.append((time.perf_counter() - began) * 1000)
            if resp.status_code != 201:
                raise RuntimeError(f"start {name}: {resp.status_code} {resp.text[:300]}")
            detail = resp.json()
            items = len(detail["queue"])
            ids.setdefault(name, detail["session"]["id"])
        timings[name] = {"p50_ms": percentile(ms, 50), "max_ms": max(ms), "items": items}
        log(
            f"start session, filter {name}: {items} traces, p50 {percentile(ms, 50):.0f} ms,"
            f" max {max(ms):.0f} ms"
        )
    return ids, timings


def read_some(api: httpx.Client, session_id: str) -> list[str]:
    """A reviewer part-way through: verdicts on the first 30 traces, notes on ten of them."""
    queue = api.get(f"/api/v1/review-sessions/{session_id}").json()["queue"]
    ids = [q["item"]["trace_id"] for q in queue]
    for n, trace_id in enumerate(ids[:30]):
        verdict = "fail" if n % 3 == 0 else "pass"
        url = f"/api/v1/review-sessions/{session_id}/items/{trace_id}"
        api.put(url, json={"verdict": verdict}).raise_for_status()
        if verdict == "fail":
            note = {
                "trace_id": trace_id,
                "session_id": session_id,
                "text": "Promised a refund before the approval step ran.",
            }
            api.post("/api/v1/notes", json=note).raise_for_status()
    return ids


def measure(server: Server, big_id: str, args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with (
        httpx.Client(base_url=server.url, headers=server.headers(), timeout=120) as api,
        httpx.Client(base_url=server.url, timeout=120) as browser,
    ):
        api.post(
            "/api/v1/feedback", json={"trace_id": big_id, "kind": "thumbs_down"}
        ).raise_for_status()
        sign_in(browser, server.key)
        sessions, out["start"] = start_sessions(api, args.starts)
        ids = read_some(api, sessions["none"])
        view = timed(lambda: browser.get(f"/traces/{big_id}"), args.view_requests)
        out["view_500"] = view
        log(
            f"trace view, 500 spans: p50 {view['p50_ms']:.1f} ms"
            f" {mark(view['p50_ms'], TARGETS['view'])}, p95 {view['p95_ms']:.1f} ms"
            f" {mark(view['p95_ms'], TARGETS['view'])} ({view['bytes'] / 1024:.0f} KB of HTML)"
        )
        url = f"/traces/{ids[40]}?session={sessions['none']}"
        small = timed(lambda: browser.get(url), args.view_requests)
        out["view_queue_trace"] = small
        log(
            f"trace view, a queue trace in its session: p50 {small['p50_ms']:.1f} ms,"
            f" p95 {small['p95_ms']:.1f} ms"
        )
        out["queue"], out["queue_api"] = {}, {}
        for name, session_id in sessions.items():
            page = timed(partial(browser.get, f"/review/sessions/{session_id}"), args.requests)
            rest = timed(partial(api.get, f"/api/v1/review-sessions/{session_id}"), args.requests)
            out["queue"][name], out["queue_api"][name] = page, rest
            log(
                f"queue page, filter {name}: p50 {page['p50_ms']:.1f} ms, p95"
                f" {page['p95_ms']:.1f} ms {mark(page['p95_ms'], TARGETS['queue'])};"
                f" REST p95 {rest['p95_ms']:.1f} ms"
            )
        listing = timed(lambda: browser.get("/review"), args.requests)
        out["sessions_list"] = listing
        log(
            f"sessions list /review: p50 {listing['p50_ms']:.1f} ms, p95 {listing['p95_ms']:.1f} ms"
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--traces", type=int, default=1_000_000, help="production traces stored")
    parser.add_argument("--quick", action="store_true", help="100k traces")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per queue page")
    parser.add_argument("--view-requests", type=int, default=100, help="per trace view")
    parser.add_argument("--starts", type=int, default=5, help="sessions started per filter")
    parser.add_argument("--save", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    # Stopped with SIGTERM, still stop the server and delete the store.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    traces = 100_000 if args.quick and args.traces == 1_000_000 else args.traces
    home = Path(tempfile.mkdtemp(prefix="ratchet-bench-review-"))
    try:
        log(f"review: writing {traces:,} production traces to a new SQLite store")
        out = fill_store(home, traces)
        log(
            f"review: {out['spans']:,} spans and {out['signals']:,} signals written in"
            f" {out['load_s']:.0f} s ({traces / out['load_s']:,.0f} traces/s),"
            f" store {out['db_bytes'] / 2**20:,.0f} MB"
        )
        with running_server(home, None) as server:
            big_id, bodies = big_trace_bodies(500, END_NS)
            send_bodies(server, bodies)
            out.update(measure(server, big_id, args))
            out["server_rss_mb"] = server.memory_mb()[0]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    out["targets_ms"] = TARGETS
    if args.save is not None:
        args.save.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
