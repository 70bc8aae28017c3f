"""Watching production: implicit-signal detectors and online checks over newly settled traces.

Two passes, each with its own cursor in the store (so a restart or another
replica picks up where the last left off):

- traces that ended at least ``settle`` ago get the per-trace detectors
  (tool loops, errors, retries, denials, outliers…) and the online checks;
- sessions quiet for ``session_idle`` get the per-session detectors
  (rephrasing, abandonment, corrective follow-ups, frustration), with every
  trace of the session, once the session is over.

Findings are stored under ids derived from what they are, so running a pass
twice stores nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from ratchet.capture.signals import Baselines, Detected, Sample, Scope, run_detectors
from ratchet.capture.signals.detect import select_detectors
from ratchet.core.clock import Clock, to_unix_nanos
from ratchet.core.signals import Signal
from ratchet.core.traces import Trace
from ratchet.review.online import Rule, check_trace, parse_rule
from ratchet.store.jobs import get_cursor, list_rules, set_cursor
from ratchet.store.signals_write import add_new_signals
from ratchet.store.store import Store
from ratchet.store.trace_batches import (
    read_traces,
    recent_costs,
    session_traces,
    settled_after,
)

SETTLE = timedelta(seconds=30)
SESSION_IDLE = timedelta(minutes=30)
BATCH = 1000
#: Recent traces the cost and latency baselines are built from.
BASELINE_TRACES = 5000
TRACE_CURSOR = "signals.traces"
SESSION_CURSOR = "signals.sessions"


@dataclass
class WatchReport:
    traces: int = 0
    sessions: int = 0
    signals: int = 0
    online_failures: int = 0
    problems: tuple[str, ...] = ()

    def add(self, other: WatchReport) -> None:
        self.traces += other.traces
        self.sessions += other.sessions
        self.signals += other.signals
        self.online_failures += other.online_failures
        self.problems += other.problems


def signal_id(found: Detected) -> str:
    key = "\x1f".join(str(part) for part in found.key)
    return "sg" + hashlib.sha256(key.encode()).hexdigest()[:22]


def _names(scope: Scope) -> list[str]:
    return [d.name for d in select_detectors() if d.scope is scope]


def _advance(batch: Sequence[tuple[str, int, str | None]], limit: int, cursor: int) -> int:
    """The cursor after ``batch``; a full batch stops short of its last end time.

    Traces ending at the same nanosecond may straddle the batch's edge; the
    next batch reads that instant again (its findings are stored once).
    """
    if not batch:
        return cursor
    last = batch[-1][1]
    if len(batch) < limit or batch[0][1] == last:
        return last
    return last - 1


def _rules(store: Store, project_id: int) -> list[Rule]:
    rules = []
    for row in list_rules(store, project_id):
        if row.enabled:
            rules.append(parse_rule(row.id, row.filter, row.expect, row.sample_rate))
    return rules


def trace_pass(
    store: Store,
    project_id: int,
    *,
    clock: Clock,
    settle: timedelta = SETTLE,
    limit: int = BATCH,
    baselines: Baselines | None = None,
) -> WatchReport:
    """Per-trace detectors and online checks over one batch of newly settled traces."""
    now = clock.now()
    cursor = get_cursor(store, project_id, TRACE_CURSOR)
    batch = settled_after(store, project_id, cursor, to_unix_nanos(now - settle), limit)
    if not batch:
        return WatchReport()
    traces = read_traces(store, project_id, [t for t, _, _ in batch])
    result = run_detectors(traces, baselines=baselines, only=_names(Scope.TRACE), now=now)
    found: list[Signal] = [d.to_signal(signal_id(d), now) for d in result.detected]
    rules = _rules(store, project_id)
    online = [s for rule in rules for t in traces for s in check_trace(rule, t, now=now)]
    stored = add_new_signals(store, project_id, found + online)
    set_cursor(store, project_id, TRACE_CURSOR, _advance(batch, limit, cursor))
    return WatchReport(
        traces=len(traces),
        signals=stored,
        online_failures=len(online),
        problems=tuple(result.problems),
    )


def session_pass(
    store: Store,
    project_id: int,
    *,
    clock: Clock,
    session_idle: timedelta = SESSION_IDLE,
    limit: int = BATCH,
) -> WatchReport:
    """Per-session detectors over the sessions whose last trace ended ``session_idle`` ago."""
    now = clock.now()
    bound = to_unix_nanos(now - session_idle)
    cursor = get_cursor(store, project_id, SESSION_CURSOR)
    batch = settled_after(store, project_id, cursor, bound, limit)
    if not batch:
        return WatchReport()
    sessions = sorted({s for _, _, s in batch if s})
    members = session_traces(store, project_id, sessions)
    # A session with a trace still running, or ended after the bound, is judged later,
    # when its own last trace passes the cursor.
    over = [
        s
        for s in sessions
        if all(end is not None and end <= bound for _, end in members.get(s, []))
    ]
    ids = [t for s in over for t, _ in members[s]]
    traces: list[Trace] = read_traces(store, project_id, ids) if ids else []
    result = run_detectors(traces, only=_names(Scope.SESSION), now=None)
    found = [d.to_signal(signal_id(d), now) for d in result.detected]
    stored = add_new_signals(store, project_id, found)
    set_cursor(store, project_id, SESSION_CURSOR, _advance(batch, limit, cursor))
    return WatchReport(sessions=len(over), signals=stored, problems=tuple(result.problems))


def baselines(store: Store, project_id: int, *, clock: Clock, settle: timedelta) -> Baselines:
    """Cost and latency statistics per service and surface over the latest settled traces."""
    rows = recent_costs(store, project_id, to_unix_nanos(clock.now() - settle), BASELINE_TRACES)
    return Baselines.build(
        Sample(service, surface, cost, ms) for service, surface, cost, ms in rows
    )


def watch(
    store: Store,
    project_id: int,
    *,
    clock: Clock,
    settle: timedelta = SETTLE,
    session_idle: timedelta = SESSION_IDLE,
    limit: int = BATCH,
) -> WatchReport:
    """Both passes until both have caught up with what has settled."""
    total = WatchReport()
    stats = baselines(store, project_id, clock=clock, settle=settle)
    while True:
        step = trace_pass(
            store, project_id, clock=clock, settle=settle, limit=limit, baselines=stats
        )
        step.add(
            session_pass(store, project_id, clock=clock, session_idle=session_idle, limit=limit)
        )
        total.add(step)
        if step.traces < limit and step.sessions == 0:
            return total
