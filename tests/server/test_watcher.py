"""The server's detection rounds: every project gets its turn, and a round ends in bounded time."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from ratchet.capture.pipeline import IngestPipeline
from ratchet.core.clock import ManualClock
from ratchet.core.signals import SignalKind
from ratchet.review import watch as watch_module
from ratchet.review.watch import WatchReport
from ratchet.server import watcher
from ratchet.server.state import ServerState
from ratchet.store.projects import ensure_project
from ratchet.store.signals_write import signals_for_trace
from ratchet.store.store import Store
from ratchet.store.writer import BatchWriter
from review.watch_helpers import T0, arrive, failing_run, tid


def _state(store: Store, clock: ManualClock) -> ServerState:
    return ServerState(
        store=store,
        pipeline=IngestPipeline(store, clock=clock),
        writer=BatchWriter(store),
        clock=clock,
    )


def test_a_project_whose_round_fails_does_not_stop_the_others(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    broken = ensure_project(store, "broken").id
    fine = ensure_project(store, "fine").id
    for project_id in (broken, fine):
        arrive(store, project_id, failing_run(0), T0)
    real = watch_module.watch

    def fails_for_broken(st: Store, project_id: int, **kwargs: Any) -> WatchReport:
        if project_id == broken:
            raise RuntimeError("this project's rows are unreadable")
        return real(st, project_id, **kwargs)

    monkeypatch.setattr(watcher, "watch", fails_for_broken)
    with caplog.at_level(logging.ERROR, logger="ratchet.server.watcher"):
        stored = watcher.watch_all(_state(store, ManualClock(T0 + timedelta(hours=1))))
    assert stored == 1
    kinds = [s.kind for s in signals_for_trace(store, fine, tid(0), None)]
    assert kinds == [SignalKind.TOOL_ERROR]
    assert "project broken: signal detection failed this round" in caplog.text


def test_a_round_reads_a_bounded_number_of_batches_and_the_next_goes_on(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    arrive(store, project_id, [r for i in range(5) for r in failing_run(i)], T0)
    state = _state(store, ManualClock(T0 + timedelta(hours=1)))
    assert watcher.watch_all(state, max_batches=1, limit=2) == 2
    assert watcher.watch_all(state, max_batches=1, limit=2) == 2
    assert watcher.watch_all(state, max_batches=1, limit=2) == 1
    assert watcher.watch_all(state, max_batches=1, limit=2) == 0
