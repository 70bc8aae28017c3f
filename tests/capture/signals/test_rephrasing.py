"""Rephrasing: a user who says nearly the same thing again, and the look-alikes that are not."""

from __future__ import annotations

from ratchet.core.signals import SignalKind

from .build import found, trace_id, turn

ASK = "Could you book my next session two weeks from now? Mornings are best."


def test_a_near_repeat_after_a_failed_answer_fires_on_the_earlier_run() -> None:
    traces = [
        turn(1, ASK, "Sorry, I couldn't open the calendar.", final_status="failed"),
        turn(
            2,
            "Could you book my next session two weeks from now please? Mornings are best.",
            "You're booked for May 4 at 9:00.",
            at_minutes=3,
        ),
    ]

    [signal] = found(traces, "rephrasing")

    assert signal.kind is SignalKind.REPHRASING
    assert signal.trace_id == trace_id(1)
    assert signal.session_id == "sess_1"
    assert signal.evidence["follow_up_trace_id"] == trace_id(2)
    assert signal.evidence["earlier_message"] == ASK
    assert signal.evidence["similarity"] > 0.9
    assert "session" in signal.evidence["shared_words"]
    assert signal.strength > 0.9


def test_an_exact_repeat_has_full_strength() -> None:
    traces = [
        turn(1, "Where is my parcel?", "It is on its way."),
        turn(2, "Where is my parcel?", "It is on its way.", at_minutes=1),
    ]

    [signal] = found(traces, "rephrasing")

    assert signal.strength == 1.0


def test_an_announced_retry_on_the_same_topic_fires_with_few_shared_words() -> None:
    traces = [
        turn(1, ASK, "Sorry, I couldn't book your follow-up.", final_status="failed"),
        turn(
            2,
            "Trying again: I'd like a follow-up two weeks from now, please.",
            "Booked.",
            at_minutes=5,
        ),
    ]

    [signal] = found(traces, "rephrasing")

    assert signal.evidence["cue"] == "trying again"
    assert signal.evidence["similarity"] < 0.5
    assert signal.strength == 0.6


def test_a_rephrasing_inside_one_trace_history_fires_on_that_trace() -> None:
    thread = [
        {"role": "user", "text": "How do I export my data to CSV?"},
        {"role": "assistant", "text": "You can import data from the settings page."},
    ]
    traces = [turn(1, "How do I export my data as a CSV file?", "Use Export.", thread=thread)]

    [signal] = found(traces, "rephrasing")

    assert signal.trace_id == trace_id(1)
    assert signal.evidence["follow_up_trace_id"] == trace_id(1)


def test_thanks_and_a_new_request_is_not_rephrasing() -> None:
    traces = [
        turn(1, "Can you book a session two weeks from now?", "Booked for May 4."),
        turn(
            2,
            "Thanks, and can you also book a session two weeks from now for my partner?",
            "Booked for your partner too.",
            at_minutes=2,
        ),
    ]

    assert found(traces, "rephrasing") == []


def test_a_plain_thank_you_is_not_rephrasing() -> None:
    traces = [
        turn(1, "Where is my parcel?", "It arrives Friday."),
        turn(2, "Thanks!", "You're welcome.", at_minutes=1),
    ]

    assert found(traces, "rephrasing") == []


def test_answering_a_clarifying_question_is_not_rephrasing() -> None:
    traces = [
        turn(
            1,
            "I need a refund for the headphones I bought.",
            "I can help with that refund. What is the order number?",
            final_status="needs_user",
        ),
        turn(2, "Sorry, it's ord_10412.", "Your refund is on its way.", at_minutes=2),
    ]

    assert found(traces, "rephrasing") == []


def test_the_same_request_about_another_item_is_not_rephrasing() -> None:
    traces = [
        turn(1, "I want a refund for ord_1", "Refunded."),
        turn(2, "I want a refund for ord_2", "Refunded too.", at_minutes=1),
    ]

    assert found(traces, "rephrasing") == []


def test_a_different_question_is_not_rephrasing() -> None:
    traces = [
        turn(1, "How do I export my data to CSV?", "Settings, then Export."),
        turn(2, "How do I import data from CSV?", "Settings, then Import.", at_minutes=4),
    ]

    assert found(traces, "rephrasing") == []


def test_different_sessions_are_never_compared() -> None:
    traces = [
        turn(1, "Where is my parcel?", "On its way.", session="sess_a"),
        turn(2, "Where is my parcel?", "On its way.", session="sess_b", at_minutes=1),
    ]

    assert found(traces, "rephrasing") == []


def test_session_order_comes_from_start_times_not_from_the_order_given() -> None:
    traces = [
        turn(2, "Where is my parcel??", "It arrives Friday.", at_minutes=5),
        turn(1, "Where is my parcel?", "Let me check.", final_status=None),
    ]

    [signal] = found(traces, "rephrasing")

    assert signal.trace_id == trace_id(1)
    assert signal.evidence["follow_up_trace_id"] == trace_id(2)


def test_restating_the_request_with_the_detail_asked_for_is_an_answer() -> None:
    traces = [
        turn(
            1,
            "Can you book a coaching session for me?",
            "Sure! Which day works for you?",
            final_status="needs_user",
        ),
        turn(2, "Can you book a coaching session for me next Tuesday?", "Booked.", at_minutes=1),
    ]

    assert found(traces, "rephrasing") == []


def test_a_verbatim_repeat_after_a_question_still_fires() -> None:
    traces = [
        turn(
            1,
            "Can you book a coaching session for me?",
            "Which day works for you?",
            final_status="needs_user",
        ),
        turn(
            2, "Can you book a coaching session for me?", "Which day works for you?", at_minutes=1
        ),
    ]

    [signal] = found(traces, "rephrasing")

    assert signal.trace_id == trace_id(1)
