"""Watching production: detectors and online checks over settled traces, by arrival.

Detection follows when traces reached the store, not the application's own
end times: late runs are read, runs that gain spans are read again, runs
arriving at one instant are never skipped, and one bad rule or trace never
stops the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import pytest

from ratchet.capture.signals import DetectionResult
from ratchet.core.clock import ManualClock
from ratchet.core.errors import RatchetError
from ratchet.core.signals import SignalKind
from ratchet.core.traces import Trace
from ratchet.review import watch as watch_module
from ratchet.review.online import parse_rule
from ratchet.review.watch import SESSION_IDLE, SETTLE, watch
from ratchet.store.jobs import OnlineRule, save_rule
from ratchet.store.projects import ensure_project
from ratchet.store.signals_write import signals_for_trace
from ratchet.store.store import Store
from review.watch_helpers import T0, arrive, failing_run, root, tid, tool
from support.review_data import seed_traces

AN_HOUR = timedelta(hours=1)


def _kinds(store: Store, project_id: int, trace_id: str) -> list[str]:
    return sorted(s.kind.value for s in signals_for_trace(store, project_id, trace_id, None))


def _at(seconds: float) -> ManualClock:
    return ManualClock(T0 + timedelta(seconds=seconds))


def test_tool_errors_are_found_once_and_only_on_settled_traces(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    for i in range(12):  # a run a minute; every third one fails
        at = T0 + timedelta(minutes=i)
        arrive(store, project_id, failing_run(i, at=at) if i % 3 == 0 else [root(i, at=at)], at)
    first = watch(store, project_id, clock=_at(5 * 60 + 10))
    # Runs 0-4 arrived more than 30 s before; run 5 arrived 10 s before and waits.
    assert first.traces == 5
    assert SignalKind.TOOL_ERROR.value in _kinds(store, project_id, tid(3))
    assert _kinds(store, project_id, tid(6)) == []

    later = _at(12 * 60 + SESSION_IDLE.total_seconds())
    rest = watch(store, project_id, clock=later)
    assert rest.traces == 7
    for i in (0, 3, 6, 9):
        assert SignalKind.TOOL_ERROR.value in _kinds(store, project_id, tid(i)), i
    for i in (1, 2, 4):
        assert _kinds(store, project_id, tid(i)) == [], i
    again = watch(store, project_id, clock=later)
    assert (again.traces, again.signals) == (0, 0)


def test_a_run_arriving_late_is_read_however_old_its_own_times_are(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    arrive(store, project_id, [root(0, at=T0)], T0)
    assert watch(store, project_id, clock=ManualClock(T0 + AN_HOUR)).traces == 1
    # A collector retrying after an outage delivers a run that ended a day ago.
    arrive(store, project_id, failing_run(1, at=T0 - timedelta(days=1)), T0 + AN_HOUR)
    late = watch(store, project_id, clock=ManualClock(T0 + 2 * AN_HOUR))
    assert late.traces == 1
    assert _kinds(store, project_id, tid(1)) == [SignalKind.TOOL_ERROR.value]


def test_a_run_that_gains_spans_waits_to_settle_and_is_read_again(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    arrive(store, project_id, [root(0), tool(0, 2)], T0)
    assert watch(store, project_id, clock=_at(60)).traces == 1
    assert _kinds(store, project_id, tid(0)) == []
    # Its failed call comes in a later export.
    arrive(store, project_id, [tool(0, 3, failed=True)], T0 + timedelta(minutes=5))
    waiting = watch(store, project_id, clock=_at(5 * 60 + 10))
    assert waiting.traces == 0
    reread = watch(store, project_id, clock=_at(5 * 60 + SETTLE.total_seconds() + 1))
    assert reread.traces == 1
    assert _kinds(store, project_id, tid(0)) == [SignalKind.TOOL_ERROR.value]
    # Spans sent again change nothing: the run is not read a third time.
    arrive(store, project_id, [tool(0, 3, failed=True)], T0 + AN_HOUR)
    assert watch(store, project_id, clock=ManualClock(T0 + 2 * AN_HOUR)).traces == 0


@pytest.mark.parametrize(("runs", "limit"), [(7, 3), (6, 3), (5, 1), (9, 4)])
def test_runs_arriving_at_one_instant_are_all_read_whatever_the_batch_size(
    store: Store, runs: int, limit: int
) -> None:
    project_id = ensure_project(store, "acme").id
    # One export carrying many runs: every one is stamped with the same arrival time.
    arrive(store, project_id, [r for i in range(runs) for r in failing_run(i)], T0)
    arrive(store, project_id, failing_run(runs, at=T0), T0 + timedelta(seconds=1))
    report = watch(store, project_id, clock=ManualClock(T0 + AN_HOUR), limit=limit)
    assert report.traces == runs + 1
    assert report.signals == runs + 1
    for i in range(runs + 1):
        assert SignalKind.TOOL_ERROR.value in _kinds(store, project_id, tid(i)), i
    assert watch(store, project_id, clock=ManualClock(T0 + AN_HOUR), limit=limit).traces == 0


def test_a_session_is_judged_once_all_its_runs_have_been_quiet(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    arrive(store, project_id, [root(0, session="s1")], T0)
    later = T0 + timedelta(minutes=20)
    corrected = root(1, at=later, message="No, that's the wrong date.", session="s1")
    arrive(store, project_id, [corrected], later)
    # The first run has been quiet for 35 minutes, the second for 15: the session goes on.
    ongoing = watch(store, project_id, clock=ManualClock(T0 + timedelta(minutes=35)))
    assert (ongoing.traces, ongoing.sessions) == (2, 0)
    assert _kinds(store, project_id, tid(0)) == []
    over = watch(store, project_id, clock=ManualClock(later + SESSION_IDLE))
    assert over.sessions == 1
    assert _kinds(store, project_id, tid(0)) == [SignalKind.CORRECTIVE_FOLLOW_UP.value]
    assert watch(store, project_id, clock=ManualClock(later + 2 * SESSION_IDLE)).sessions == 0
    # A run arriving late in that conversation reopens it; it is judged again, once.
    arrive(store, project_id, [root(2, at=later, session="s1")], later + AN_HOUR)
    reopened = watch(store, project_id, clock=ManualClock(later + AN_HOUR + SESSION_IDLE))
    assert (reopened.sessions, reopened.signals) == (1, 0)


def test_two_loops_in_one_run_are_two_signals_kept_on_a_second_reading(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    calls = [tool(0, n, name="search_slots", arguments={"day": "mon"}) for n in (2, 3, 4)]
    calls += [tool(0, n, name="read_calendar", arguments={"week": 48}) for n in (5, 6, 7)]
    arrive(store, project_id, [root(0), *calls], T0)
    first = watch(store, project_id, clock=ManualClock(T0 + AN_HOUR))
    loops = [
        s
        for s in signals_for_trace(store, project_id, tid(0), None)
        if s.kind is SignalKind.TOOL_LOOP
    ]
    assert sorted(s.evidence["tool"] for s in loops) == ["read_calendar", "search_slots"]
    assert first.signals == 2
    # One more looping call arrives: the run is read again and nothing is stored twice.
    more = tool(0, 8, name="search_slots", arguments={"day": "mon"})
    arrive(store, project_id, [more], T0 + AN_HOUR)
    again = watch(store, project_id, clock=ManualClock(T0 + 2 * AN_HOUR))
    assert (again.traces, again.signals) == (1, 0)


def test_a_rule_that_no_longer_parses_is_reported_and_the_others_still_run(
    store: Store,
) -> None:
    project_id = ensure_project(store, "acme").id
    arrive(store, project_id, failing_run(0), T0)
    save_rule(store, project_id, OnlineRule(id="old", filter={"colour": "red"}, expect={}))
    save_rule(
        store, project_id, OnlineRule(id="no-errors", filter={}, expect={"no_error_spans": True})
    )
    report = watch(store, project_id, clock=ManualClock(T0 + AN_HOUR))
    assert report.traces == 1 and report.online_failures == 1
    assert any("online check rule 'old' skipped" in p for p in report.problems)
    assert watch(store, project_id, clock=ManualClock(T0 + 2 * AN_HOUR)).traces == 0


def test_a_run_whose_detection_breaks_is_skipped_and_the_cursor_moves_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id = ensure_project(store, "acme").id
    arrive(store, project_id, [r for i in range(3) for r in failing_run(i)], T0)
    real = watch_module.run_detectors

    def breaks_on_run_1(traces: Iterable[Trace], **kwargs: Any) -> DetectionResult:
        batch = list(traces)
        if any(t.trace_id == tid(1) for t in batch):
            raise ValueError("a span tree this code cannot walk")
        return real(batch, **kwargs)

    monkeypatch.setattr(watch_module, "run_detectors", breaks_on_run_1)
    report = watch(store, project_id, clock=ManualClock(T0 + AN_HOUR))
    assert report.traces == 3
    assert report.problems == (
        f"trace {tid(1)} skipped: detection failed: ValueError: a span tree this code cannot walk",
    )
    assert [bool(_kinds(store, project_id, tid(i))) for i in range(3)] == [True, False, True]
    monkeypatch.undo()
    assert watch(store, project_id, clock=ManualClock(T0 + 2 * AN_HOUR)).traces == 0


def test_a_capped_run_reports_a_backlog_and_the_next_one_goes_on(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    arrive(store, project_id, [r for i in range(7) for r in failing_run(i)], T0)
    clock = ManualClock(T0 + AN_HOUR)
    first = watch(store, project_id, clock=clock, limit=2, max_batches=2)
    assert (first.traces, first.backlog) == (4, True)
    rest = watch(store, project_id, clock=clock, limit=2, max_batches=2)
    assert (rest.traces, rest.backlog) == (3, False)


def test_settle_zero_reads_everything_stored_whatever_clock_stamped_it(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    arrive(store, project_id, failing_run(0), T0 + AN_HOUR)  # stamped after the reader's now
    report = watch(
        store, project_id, clock=ManualClock(T0), settle=timedelta(0), session_idle=timedelta(0)
    )
    assert report.traces == 1 and report.signals == 1


def test_an_online_check_turns_a_failed_expectation_into_a_signal(
    store: Store, clock: ManualClock
) -> None:
    project_id = ensure_project(store, "acme").id
    ids = seed_traces(store, project_id)
    save_rule(
        store,
        project_id,
        OnlineRule(
            id="refunds-no-errors",
            filter={"surface": "refunds"},
            expect={"no_error_spans": True, "final_status": "resolved"},
        ),
    )
    report = watch(store, project_id, clock=clock, settle=timedelta(0), session_idle=timedelta(0))
    # Refund traces are the odd ones; every third one fails (3 and 9).
    failing = {ids[3], ids[9]}
    for trace_id in ids:
        found = [
            s
            for s in signals_for_trace(store, project_id, trace_id, None)
            if s.kind is SignalKind.ONLINE_CHECK_FAILURE
        ]
        if trace_id in failing:
            checks = sorted(s.evidence["check"] for s in found)
            assert checks == ["final_status", "no_error_spans"], trace_id
            assert all(s.evidence["rule"] == "refunds-no-errors" for s in found)
            assert found[0].comment is not None and found[0].comment.startswith(
                "refunds-no-errors:"
            )
        else:
            assert found == [], trace_id
    assert report.online_failures == 4


def test_sampling_is_decided_by_the_trace_and_bad_rules_are_refused() -> None:
    rule = parse_rule("half", {"surface": "refunds"}, {"no_error_spans": True}, 0.5)
    picks = [rule.sampled(f"{i:032x}") for i in range(2000)]
    assert picks == [rule.sampled(f"{i:032x}") for i in range(2000)]
    assert 0.45 < sum(picks) / len(picks) < 0.55
    with pytest.raises(RatchetError, match=r"filter\.colour is not a filter"):
        parse_rule("x", {"colour": "red"}, {"no_error_spans": True})
    with pytest.raises(RatchetError, match="tools_caled"):
        parse_rule("x", {}, {"tools_caled": ["read_order"]})
    with pytest.raises(RatchetError, match="sample_rate 0 must be above 0"):
        parse_rule("x", {}, {"no_error_spans": True}, 0)
    with pytest.raises(RatchetError, match="`expect` is empty"):
        parse_rule("x", {}, {})
    with pytest.raises(RatchetError, match="give it an id"):
        parse_rule("no spaces allowed", {}, {"no_error_spans": True})
