"""The demo's review step: detect signals, draw a session, read it (simulated), count.

Shows loops one and three of the method on the simulated week: the signals
the detectors found, a signal-first session with a random share, the
failure modes a reviewer names and counts, and whether review has
saturated.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from rich.console import Console

from ratchet.core.clock import Clock
from ratchet.core.ids import IdSource
from ratchet.demo.reviewer import REVIEWER, review_session
from ratchet.review.sessions import start_session
from ratchet.review.status import review_status
from ratchet.review.watch import watch
from ratchet.store.signals_write import signals_for_trace
from ratchet.store.store import Store

SESSION_SIZE = 60


def run_review_demo(
    store: Store,
    project_id: int,
    failures: dict[str, str],
    *,
    clock: Clock,
    ids: IdSource,
    console: Console,
    seed: int,
) -> dict[str, Any]:
    """Detect, sample, review (simulated) and count; returns the figures printed."""
    # The simulated week is over: every trace and session has settled.
    found = watch(store, project_id, clock=clock, settle=timedelta(0), session_idle=timedelta(0))
    console.print(
        f"\nsignal detection read {found.traces} traces and {found.sessions} sessions:"
        f" {found.signals} implicit signals"
    )
    session = start_session(
        store,
        project_id,
        by=REVIEWER,
        clock=clock,
        ids=ids,
        size=SESSION_SIZE,
        random_share=0.25,
        name="demo week",
        seed=seed,
    )
    console.print(
        f"review session {session.id}: {session.items} traces, signal-first with a random share"
    )
    console.print(
        "[bold yellow]SIMULATED REVIEWER[/]: a script reads the session, notes and codes the"
        " failures the simulation staged, and passes the rest (a person does this in the UI)"
    )
    outcome = review_session(store, project_id, session.id, failures, clock=clock, ids=ids)
    console.print(
        f"  read {outcome.read}: {outcome.noted} failures noted and coded, {outcome.passed}"
        f" passed; new failure modes: {', '.join(outcome.modes_created) or 'none'};"
        f" suggestions accepted: {outcome.suggestions_taken}"
    )
    status = review_status(store, project_id)
    console.print(f"\nfailure modes among {status.counts.reviewed} reviewed traces (95% Wilson):")
    for line in status.counts.lines():
        console.print(f"  {line}", markup=False)
    console.print(status.saturation.line, markup=False)
    kinds: Counter[str] = Counter()
    for trace_id in failures:
        for signal in signals_for_trace(store, project_id, trace_id, None):
            kinds[signal.kind.value] += 1
    return {
        "signals": found.signals,
        "session": session.id,
        "reviewed": status.counts.reviewed,
        "modes": {m.name: m.overall.count for m in status.counts.modes},
        "saturated": status.saturation.saturated,
        "saturation": status.saturation.line,
        "signal_kinds_on_failures": dict(kinds),
    }
