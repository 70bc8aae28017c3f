"""Detection over the demo's simulated production: the users who rephrase, correct and leave.

The demo's traffic goes through the real path (OTel SDK, OTLP exporter, a
Ratchet server on a temporary SQLite store); the traces are read back from
the store as the detection job will read them. The simulation knows what
went wrong in each run, so the signals can be checked against it both
ways: the failures it staged are found, and signals do not land on runs
that went well.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ratchet.capture.signals import Detected, run_detectors
from ratchet.core.signals import SignalKind
from ratchet.core.traces import Trace
from ratchet.demo.traffic import TrafficReport, simulate_production
from ratchet.store.projects import get_project
from ratchet.store.store import open_store
from ratchet.store.traces_read import TraceFilter, get_trace, list_traces
from support.live_server import LiveServer

START = datetime(2026, 4, 21, 9, 0, tzinfo=UTC)
RUNS = 200


@dataclass
class Detection:
    report: TrafficReport
    traces: dict[str, Trace]
    detected: list[Detected]
    problems: list[str]

    def of(self, kind: SignalKind) -> list[Detected]:
        return [d for d in self.detected if d.kind is kind]

    def sessions(self) -> dict[str, list[Trace]]:
        grouped: dict[str, list[Trace]] = defaultdict(list)
        for trace in self.traces.values():
            assert trace.session_id is not None
            grouped[trace.session_id].append(trace)
        for members in grouped.values():
            members.sort(key=lambda t: (t.start, t.trace_id))
        return grouped


def _stored_traces(home: Path, report_project: str) -> dict[str, Trace]:
    store = open_store(url=f"sqlite:///{home / 'ratchet.db'}", home=str(home))
    try:
        project = get_project(store, report_project)
        ids: list[str] = []
        cursor = None
        while True:
            page = list_traces(store, project.id, TraceFilter(), limit=500, cursor=cursor)
            ids.extend(t.trace_id for t in page.traces)
            cursor = page.next_cursor
            if cursor is None:
                break
        return {i: get_trace(store, project.id, i) for i in ids}
    finally:
        store.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Detection]:
    home = tmp_path_factory.mktemp("signals-demo")
    store = open_store(url=f"sqlite:///{home / 'ratchet.db'}", home=str(home))
    try:
        with LiveServer.start(store, project="demo") as server:
            report = simulate_production(
                server.url, server.key, traces=RUNS, seed=7, start=START, feedback=False
            )
    finally:
        store.close()
    traces = _stored_traces(home, "demo")
    result = run_detectors(traces.values())
    yield Detection(report, traces, result.detected, result.problems)


def test_every_run_was_read_back_with_its_spans(demo: Detection) -> None:
    assert len(demo.traces) == RUNS
    assert all(t.spans for t in demo.traces.values())
    assert demo.problems == []


def test_the_behaviours_the_simulation_staged_are_all_found(demo: Detection) -> None:
    kinds = {d.kind for d in demo.detected}

    assert {
        SignalKind.REPHRASING,
        SignalKind.ABANDONMENT,
        SignalKind.CORRECTIVE_FOLLOW_UP,
        SignalKind.FRUSTRATION,
        SignalKind.TOOL_ERROR,
        SignalKind.RETRY,
        SignalKind.POLICY_DENIAL,
    } <= kinds


def test_every_run_that_failed_on_a_tool_has_a_tool_error(demo: Detection) -> None:
    failed = {t for t, mode in demo.report.failure_modes.items() if mode == "tool-error"}
    flagged = {d.trace_id for d in demo.of(SignalKind.TOOL_ERROR)}

    assert failed
    assert failed <= flagged
    assert all(d.strength == 1.0 for d in demo.of(SignalKind.TOOL_ERROR) if d.trace_id in failed)


def test_corrections_land_on_the_runs_that_booked_the_wrong_day(demo: Detection) -> None:
    corrections = demo.of(SignalKind.CORRECTIVE_FOLLOW_UP)

    assert corrections
    for signal in corrections:
        assert demo.report.failure_modes.get(signal.trace_id or "") == "wrong-date-anchor"
        assert signal.evidence["follow_up_trace_id"] != signal.trace_id


def test_rephrasings_land_on_runs_that_went_wrong(demo: Detection) -> None:
    rephrasings = demo.of(SignalKind.REPHRASING)

    assert rephrasings
    for signal in rephrasings:
        assert signal.trace_id in demo.report.failure_modes


def test_refusals_are_policy_denials_and_nothing_else_is(demo: Detection) -> None:
    declined = {t.trace_id for t in demo.traces.values() if t.final_status == "declined"}
    denials = {d.trace_id for d in demo.of(SignalKind.POLICY_DENIAL)}

    assert len(declined) == demo.report.policy_denials > 0
    assert denials == declined


def test_abandonment_follows_how_each_session_ended(demo: Detection) -> None:
    abandoned = {d.session_id: d for d in demo.of(SignalKind.ABANDONMENT)}

    for session_id, members in demo.sessions().items():
        last = members[-1]
        if last.final_status in {"failed", "declined"}:
            assert abandoned[session_id].trace_id == last.trace_id
        else:
            assert last.final_status in {"resolved", "needs_human", "needs_user"}
            if last.final_status != "needs_user":
                assert session_id not in abandoned
