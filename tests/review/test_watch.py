"""Watching production: detectors and online checks over settled traces, once each."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ratchet.core.clock import ManualClock
from ratchet.core.errors import RatchetError
from ratchet.core.signals import SignalKind
from ratchet.review.online import parse_rule
from ratchet.review.watch import SESSION_IDLE, watch
from ratchet.store.jobs import OnlineRule, save_rule
from ratchet.store.projects import ensure_project
from ratchet.store.signals_write import signals_for_trace
from ratchet.store.store import Store
from support.review_data import BASE, seed_traces

#: review_data's 12 traces start a minute apart from BASE and last 0.9 s.
AFTER_ALL = BASE + timedelta(minutes=12)


def _kinds(store: Store, project_id: int, trace_id: str) -> list[str]:
    return sorted(s.kind.value for s in signals_for_trace(store, project_id, trace_id, None))


def test_tool_errors_are_found_once_and_only_on_settled_traces(
    store: Store, clock: ManualClock
) -> None:
    project_id = ensure_project(store, "acme").id
    ids = seed_traces(store, project_id)
    early = ManualClock(BASE + timedelta(minutes=5, seconds=10))
    first = watch(store, project_id, clock=early)
    # Traces 0-4 ended more than 30 s before; trace 5 ended 9 s before and waits.
    assert first.traces == 5
    assert SignalKind.TOOL_ERROR.value in _kinds(store, project_id, ids[3])
    assert _kinds(store, project_id, ids[6]) == []

    later = ManualClock(AFTER_ALL + SESSION_IDLE)
    rest = watch(store, project_id, clock=later)
    assert rest.traces == 7
    for i in (0, 3, 6, 9):
        assert SignalKind.TOOL_ERROR.value in _kinds(store, project_id, ids[i]), i
    for i in (1, 2, 4):
        assert SignalKind.TOOL_ERROR.value not in _kinds(store, project_id, ids[i]), i
    again = watch(store, project_id, clock=later)
    assert (again.traces, again.signals) == (0, 0)


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
    report = watch(store, project_id, clock=ManualClock(AFTER_ALL + SESSION_IDLE))
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
