"""Abandonment: the session ends right after a turn that did not resolve the request."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ratchet.core.signals import SignalKind

from .build import T0, found, trace_id, turn

ASK = "Please refund ord_10412, the blender doesn't fit."


@pytest.mark.parametrize(
    ("final_status", "answer", "reason", "strength"),
    [
        ("failed", "Sorry, I couldn't finish your refund.", "failed", 0.8),
        ("partial", "I refunded part of it.", "partial", 0.7),
        ("needs_user", "Which order is it?", "question_unanswered", 0.6),
        ("declined", "Sorry, order ord_10412 can't be refunded: final sale.", "declined", 0.3),
        (None, "Sorry, I wasn't able to find that order.", "failure_answer", 0.6),
        (None, "Do you want store credit instead?", "question_unanswered", 0.6),
    ],
)
def test_a_session_ending_unresolved_fires_on_its_last_run(
    final_status: str | None, answer: str, reason: str, strength: float
) -> None:
    traces = [turn(1, ASK, answer, final_status=final_status)]

    [signal] = found(traces, "abandonment")

    assert signal.kind is SignalKind.ABANDONMENT
    assert signal.trace_id == trace_id(1)
    assert signal.session_id == "sess_1"
    assert signal.evidence["reason"] == reason
    assert signal.evidence["last_answer"] == answer
    assert signal.strength == strength


def test_a_failed_root_span_counts_as_failed_without_a_final_status() -> None:
    traces = [turn(1, ASK, None, final_status=None, root_status="error")]

    [signal] = found(traces, "abandonment")

    assert signal.evidence["reason"] == "failed"


def test_a_user_who_tried_more_than_once_weighs_more() -> None:
    traces = [
        turn(1, ASK, "Sorry, I couldn't finish your refund.", final_status="failed"),
        turn(
            2,
            "Hello?? I still need my refund for ord_10412.",
            "Sorry, I couldn't finish your refund.",
            final_status="failed",
            at_minutes=10,
        ),
    ]

    [signal] = found(traces, "abandonment")

    assert signal.trace_id == trace_id(2)
    assert signal.evidence["turns"] == 2
    assert signal.strength == 0.9


@pytest.mark.parametrize(
    ("final_status", "answer"),
    [
        ("resolved", "Your refund of $42.00 is on its way."),
        ("needs_human", "A support lead will review your refund within a day."),
        (None, "Your refund of $42.00 is on its way."),
        ("completed", "Done. Anything else?"),
    ],
)
def test_a_session_ending_resolved_or_handed_over_does_not_fire(
    final_status: str | None, answer: str
) -> None:
    assert found([turn(1, ASK, answer, final_status=final_status)], "abandonment") == []


def test_failing_early_then_resolving_is_not_abandonment() -> None:
    traces = [
        turn(1, ASK, "Sorry, I couldn't finish your refund.", final_status="failed"),
        turn(2, "Trying again: refund ord_10412.", "Refunded.", at_minutes=5),
    ]

    assert found(traces, "abandonment") == []


def test_a_session_ending_with_the_users_thanks_is_not_abandonment() -> None:
    traces = [
        turn(1, ASK, "Refunded."),
        turn(
            2,
            "Thank you so much, that's all!",
            "Glad to help. Anything else?",
            final_status=None,
            at_minutes=1,
        ),
    ]

    assert found(traces, "abandonment") == []


def test_a_trace_without_a_session_is_never_abandoned() -> None:
    traces = [turn(1, ASK, "Sorry, I couldn't.", final_status="failed", session=None)]

    assert found(traces, "abandonment") == []


def test_a_session_still_active_is_not_abandoned_yet() -> None:
    traces = [turn(1, ASK, "Which order is it?", final_status="needs_user")]
    end = traces[0].end
    assert end is not None

    soon = found(traces, "abandonment", now=end + timedelta(minutes=5))
    later = found(traces, "abandonment", now=end + timedelta(minutes=31))
    custom = found(
        traces, "abandonment", now=end + timedelta(minutes=6), session_idle=timedelta(minutes=5)
    )

    assert soon == []
    assert len(later) == 1
    assert len(custom) == 1
    assert end > T0
