"""Watching production: implicit-signal detectors and online checks over newly settled traces.

Two passes, each with its own keyset cursor in the store (so a restart or
another replica picks up where the last left off), both following when
traces *arrived* (``seen_ns``, the store's clock at the last write of the
trace's row) rather than the application's own end times: a trace sent late
(a collector retrying after an outage, a skewed clock, a backfill) is read
like any other.

- traces that have had no new span for ``settle`` get the per-trace
  detectors (tool loops, errors, retries, denials, outliers…) and the
  online checks;
- sessions whose traces have all been quiet for ``session_idle`` get the
  per-session detectors (rephrasing, abandonment, corrective follow-ups,
  frustration), with every trace of the session, once the session is over.

A trace that gains spans later arrives again and is read again. Findings
are stored under ids derived from what they are, so reading a trace twice
stores nothing twice. A trace or session whose reading fails outside the
detectors' own sandbox is skipped with a problem, so one bad row never
holds the cursor back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

import orjson
from sqlalchemy.exc import SQLAlchemyError

from ratchet.capture.signals import Baselines, Detected, Sample, Scope, run_detectors
from ratchet.capture.signals.detect import select_detectors
from ratchet.core.clock import Clock, to_unix_nanos
from ratchet.core.errors import StoreBusy
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

_T = TypeVar("_T")


@dataclass
class WatchReport:
    """What a pass (or a whole :func:`watch`) read, stored and ran into.

    Attributes:
        traces: traces read by the per-trace pass.
        sessions: finished sessions judged by the per-session pass.
        signals: signals stored that were not stored before.
        online_failures: failed online checks found (new or stored before).
        problems: detectors, rules, traces and sessions that failed, one line each.
        backlog: it stopped with settled traces still unread (a full batch,
            or the batch cap of :func:`watch` reached); the next run goes on.
    """

    traces: int = 0
    sessions: int = 0
    signals: int = 0
    online_failures: int = 0
    problems: tuple[str, ...] = ()
    backlog: bool = False

    def add(self, other: WatchReport) -> None:
        self.traces += other.traces
        self.sessions += other.sessions
        self.signals += other.signals
        self.online_failures += other.online_failures
        self.problems += other.problems


def signal_id(found: Detected) -> str:
    key = "\x1f".join(str(part) for part in found.key)
    return "sg" + hashlib.sha256(key.encode()).hexdigest()[:22]


def _signals(detected: Sequence[Detected], now: datetime) -> list[Signal]:
    """The findings as Signals, each under its own id.

    A detector (a plugin, say) that fires twice on one run without a
    discriminator would give both findings one key; the later ones take a
    digest of their evidence as well, so neither is lost.
    """
    out: list[Signal] = []
    taken: set[str] = set()
    for found in detected:
        sid = signal_id(found)
        if sid in taken:
            evidence = orjson.dumps(found.evidence, option=orjson.OPT_SORT_KEYS, default=str)
            sid = signal_id(
                Detected(
                    found.kind,
                    found.strength,
                    found.trace_id,
                    found.session_id,
                    found.detector,
                    discriminator=f"{found.discriminator}#{hashlib.sha256(evidence).hexdigest()}",
                )
            )
        taken.add(sid)
        out.append(found.to_signal(sid, now))
    return out


def _names(scope: Scope) -> list[str]:
    return [d.name for d in select_detectors() if d.scope is scope]


def _bound(now: datetime, wait: timedelta) -> int | None:
    """The latest arrival that counts as settled; None (everything) when there is no wait.

    ``--settle 0`` is for traffic that has stopped (an import, the demo):
    everything stored is read, whichever clock stamped it.
    """
    if wait <= timedelta(0):
        return None
    return to_unix_nanos(now - wait)


def _fatal(exc: Exception) -> bool:
    """A store failure: the round stops and the cursor stays, so nothing is skipped for it."""
    return isinstance(exc, SQLAlchemyError | StoreBusy)


def _isolated(
    groups: Sequence[_T],
    run: Callable[[Sequence[_T]], list[Detected]],
    name: Callable[[_T], str],
    problems: list[str],
) -> list[Detected]:
    """``run`` over all groups at once; if that raises, over each alone, skipping the bad ones.

    Detectors are sandboxed by ``run_detectors``; what can still raise is
    the work around them (building a trace's views from odd stored data).
    The batch is tried whole first, so the common case costs one call.
    """
    try:
        return run(groups)
    except Exception as exc:
        if _fatal(exc):
            raise
    found: list[Detected] = []
    for group in groups:
        try:
            found.extend(run([group]))
        except Exception as exc:
            if _fatal(exc):
                raise
            problems.append(f"{name(group)} skipped: detection failed: {_why(exc)}")
    return found


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _read(store: Store, project_id: int, ids: Sequence[str], problems: list[str]) -> list[Trace]:
    """The traces, skipping (with a problem) any whose stored rows do not make a Trace."""
    try:
        return read_traces(store, project_id, ids)
    except Exception as exc:
        if _fatal(exc):
            raise
    out: list[Trace] = []
    for trace_id in ids:
        try:
            out.extend(read_traces(store, project_id, [trace_id]))
        except Exception as exc:
            if _fatal(exc):
                raise
            problems.append(f"trace {trace_id} skipped: cannot be read: {_why(exc)}")
    return out


def _rules(store: Store, project_id: int, problems: list[str]) -> list[Rule]:
    """The enabled online-check rules; one that no longer parses is skipped with a problem."""
    rules = []
    for row in list_rules(store, project_id):
        if not row.enabled:
            continue
        try:
            rules.append(parse_rule(row.id, row.filter, row.expect, row.sample_rate))
        except Exception as exc:
            problems.append(f"online check rule {row.id!r} skipped: {_why(exc)}")
    return rules


def _online(
    rules: Sequence[Rule], traces: Sequence[Trace], now: datetime, problems: list[str]
) -> list[Signal]:
    out: list[Signal] = []
    for rule in rules:
        for trace in traces:
            try:
                out.extend(check_trace(rule, trace, now=now))
            except Exception as exc:
                problems.append(
                    f"online check rule {rule.id!r} failed on trace {trace.trace_id}: {_why(exc)}"
                )
    return out


def trace_pass(
    store: Store,
    project_id: int,
    *,
    clock: Clock,
    settle: timedelta = SETTLE,
    limit: int = BATCH,
    baselines: Baselines | None = None,
) -> WatchReport:
    """Per-trace detectors and online checks over one batch of newly settled traces.

    Settled: no new span for ``settle`` (the store's arrival times). The
    cursor moves past the whole batch, skipped traces included.
    """
    now = clock.now()
    cursor = get_cursor(store, project_id, TRACE_CURSOR)
    batch = settled_after(store, project_id, cursor, _bound(now, settle), limit)
    if not batch:
        return WatchReport()
    if baselines is None:
        baselines = watch_baselines(store, project_id, clock=clock, settle=settle)
    stats = baselines
    problems: list[str] = []
    traces = _read(store, project_id, [t for t, _, _ in batch], problems)
    only = _names(Scope.TRACE)

    def run(group: Sequence[Trace]) -> list[Detected]:
        result = run_detectors(group, baselines=stats, only=only, now=now)
        problems.extend(result.problems)
        return result.detected

    detected = _isolated(traces, run, lambda t: f"trace {t.trace_id}", problems)
    online = _online(_rules(store, project_id, problems), traces, now, problems)
    stored = add_new_signals(store, project_id, _signals(detected, now) + online)
    last_id, last_seen, _ = batch[-1]
    set_cursor(store, project_id, TRACE_CURSOR, last_seen, last_id)
    return WatchReport(
        traces=len(traces),
        signals=stored,
        online_failures=len(online),
        problems=tuple(dict.fromkeys(problems)),
        backlog=len(batch) >= limit,
    )


def session_pass(
    store: Store,
    project_id: int,
    *,
    clock: Clock,
    session_idle: timedelta = SESSION_IDLE,
    limit: int = BATCH,
) -> WatchReport:
    """Per-session detectors over the sessions none of whose traces arrived in ``session_idle``.

    The pass walks traces in arrival order; a session is judged in the batch
    holding its newest trace, once that trace has been quiet long enough.
    A session that gains a trace later is judged again (its findings are
    stored once).
    """
    now = clock.now()
    bound = _bound(now, session_idle)
    cursor = get_cursor(store, project_id, SESSION_CURSOR)
    batch = settled_after(store, project_id, cursor, bound, limit)
    if not batch:
        return WatchReport()
    in_batch = {t for t, _, _ in batch}
    sessions = sorted({s for _, _, s in batch if s})
    members = session_traces(store, project_id, sessions)
    over: list[str] = []
    for session in sessions:
        found = members.get(session)
        if not found:
            continue
        newest_id, newest_seen = max(found, key=lambda m: (m[1], m[0]))
        # Still active: judged when its newest trace settles and passes the cursor. Newest
        # further on: judged in the batch that holds it, not once per batch on the way.
        if (bound is not None and newest_seen > bound) or newest_id not in in_batch:
            continue
        over.append(session)
    problems: list[str] = []
    ids = [t for s in over for t, _ in members[s]]
    traces = _read(store, project_id, ids, problems) if ids else []
    by_session: dict[str, list[Trace]] = {}
    for trace in traces:
        by_session.setdefault(trace.session_id or "", []).append(trace)
    only = _names(Scope.SESSION)

    def run(groups: Sequence[list[Trace]]) -> list[Detected]:
        result = run_detectors([t for g in groups for t in g], only=only, now=None)
        problems.extend(result.problems)
        return result.detected

    groups = [by_session[s] for s in over if s in by_session]
    detected = _isolated(groups, run, lambda g: f"session {g[0].session_id!r}", problems)
    stored = add_new_signals(store, project_id, _signals(detected, now))
    last_id, last_seen, _ = batch[-1]
    set_cursor(store, project_id, SESSION_CURSOR, last_seen, last_id)
    return WatchReport(
        sessions=len(groups),
        signals=stored,
        problems=tuple(dict.fromkeys(problems)),
        backlog=len(batch) >= limit,
    )


def watch_baselines(store: Store, project_id: int, *, clock: Clock, settle: timedelta) -> Baselines:
    """Cost and latency statistics per service and surface over the traces settled last."""
    rows = recent_costs(store, project_id, _bound(clock.now(), settle), BASELINE_TRACES)
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
    max_batches: int | None = None,
) -> WatchReport:
    """Both passes until both have caught up with what has settled, or ``max_batches`` ran.

    Args:
        store: where traces, cursors and signals live.
        project_id: the project to watch.
        clock: the store's clock (arrival times are stamped by it).
        settle: how long a trace must have had no new span before it is read;
            0 reads everything stored.
        session_idle: how long every trace of a session must have been quiet
            for the session to count as over; 0 judges every session now.
        limit: traces per batch.
        max_batches: batches (of each pass) at most, so a server round over
            a long backlog ends in bounded time; the report's ``backlog``
            says more is waiting. None runs until caught up.
    """
    total = WatchReport()
    stats = watch_baselines(store, project_id, clock=clock, settle=settle)
    traces_left = sessions_left = True
    batches = 0
    while traces_left or sessions_left:
        if max_batches is not None and batches >= max_batches:
            total.backlog = True
            break
        batches += 1
        if traces_left:
            step = trace_pass(
                store, project_id, clock=clock, settle=settle, limit=limit, baselines=stats
            )
            total.add(step)
            traces_left = step.backlog
        if sessions_left:
            step = session_pass(
                store, project_id, clock=clock, session_idle=session_idle, limit=limit
            )
            total.add(step)
            sessions_left = step.backlog
    return total
