"""Corrective follow-ups: "no, I meant…", "that's wrong", and what only sounds like one."""

from __future__ import annotations

import pytest

from ratchet.core.signals import SignalKind

from .build import found, trace_id, turn

BOOKED = "You're booked for a follow-up on Tuesday, April 21 at 09:00."


@pytest.mark.parametrize(
    ("follow_up", "strength"),
    [
        ("That's not right. I said two weeks from now, counting from today.", 0.9),
        ("That's not what I asked for.", 0.9),
        ("You booked the wrong day.", 0.9),
        ("wrong date, it should be May 5", 0.9),
        ("I never asked for a refund, I asked for an exchange", 0.9),
        ("No, I meant next Thursday.", 0.7),
        ("As I said, mornings only.", 0.7),
        ("Not quite, the later slot please", 0.7),
        ("No. Thursday.", 0.5),
    ],
)
def test_a_correction_of_the_previous_answer_fires_on_the_corrected_run(
    follow_up: str, strength: float
) -> None:
    traces = [
        turn(1, "Book me a follow-up two weeks from now.", BOOKED),
        turn(2, follow_up, "Sorry about that, moved it.", at_minutes=2),
    ]

    [signal] = found(traces, "corrective_follow_up")

    assert signal.kind is SignalKind.CORRECTIVE_FOLLOW_UP
    assert signal.trace_id == trace_id(1)
    assert signal.strength == strength
    assert signal.evidence["previous_answer"] == BOOKED
    assert signal.evidence["message"] == follow_up
    assert signal.evidence["follow_up_trace_id"] == trace_id(2)


@pytest.mark.parametrize(
    "follow_up",
    [
        "No problem, thanks!",
        "No worries, Thursday works too.",
        "No thanks, that's all.",
        "Great, can you also send me the invoice?",
        "Is that the right time zone?",
        "Nothing is wrong with the blender, I just don't want it.",
    ],
)
def test_what_only_sounds_like_a_correction_does_not_fire(follow_up: str) -> None:
    traces = [
        turn(1, "Book me a follow-up two weeks from now.", BOOKED),
        turn(2, follow_up, "Sure.", at_minutes=2),
    ]

    assert found(traces, "corrective_follow_up") == []


def test_a_first_message_corrects_only_when_there_was_an_earlier_answer() -> None:
    alone = [turn(1, "That's wrong, I wanted a refund.", "Let me help.")]
    thread = [
        {"role": "user", "text": "Exchange my shoes"},
        {"role": "assistant", "text": "I've started an exchange."},
    ]
    with_history = [turn(2, "That's wrong, I wanted a refund.", "Let me help.", thread=thread)]

    assert found(alone, "corrective_follow_up") == []
    [signal] = found(with_history, "corrective_follow_up")
    assert signal.trace_id == trace_id(2)
    assert signal.evidence["previous_answer"] == "I've started an exchange."


def test_no_in_answer_to_a_question_is_not_a_correction() -> None:
    traces = [
        turn(
            1,
            "Refund ord_1",
            "It's past the window. Do you want store credit instead?",
            final_status="declined",
        ),
        turn(2, "No, I want my money back.", "I understand.", at_minutes=1),
    ]

    assert found(traces, "corrective_follow_up") == []


def test_an_explicit_correction_after_a_question_still_fires() -> None:
    traces = [
        turn(1, "Book me Tuesday", "Booked Thursday at 10. Anything else?"),
        turn(2, "That's wrong, I said Tuesday.", "Fixed.", at_minutes=1),
    ]

    [signal] = found(traces, "corrective_follow_up")

    assert signal.strength == 0.9
