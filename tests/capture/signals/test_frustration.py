"""Frustration: annoyance with the exchange, without a profanity list."""

from __future__ import annotations

import pytest

from ratchet.core.signals import SignalKind

from .build import found, trace_id, turn


@pytest.mark.parametrize(
    ("message", "cue"),
    [
        ("This is useless. Just refund ord_10412.", "calls it useless"),
        ("Can I speak to a human please", "asks for a human"),
        ("Let me talk to a real person", "asks for a human"),
        (
            "That's ridiculous, I've been a customer for years. Just refund ord_10412.",
            "calls it useless",
        ),
        ("Hello?? I still need my refund for ord_10412.", "calls out"),
        ("How many times do I have to tell you? Tuesday.", "has said it before"),
        ("I'm getting really frustrated with this", "says they are frustrated"),
        ("Never mind, forget it.", "gives up"),
        ("WHY IS MY REFUND NOT DONE YET", "capitals"),
    ],
)
def test_a_frustrated_message_fires_naming_its_cues(message: str, cue: str) -> None:
    [signal] = found([turn(1, message, "Sorry about that.")], "frustration")

    assert signal.kind is SignalKind.FRUSTRATION
    assert signal.trace_id == trace_id(1)
    assert signal.evidence["message"] == message
    assert cue in [c["cue"] for c in signal.evidence["cues"]]
    assert 0.5 <= signal.strength <= 1.0


def test_several_cues_add_up() -> None:
    [mild] = found([turn(1, "This is useless.", "Sorry.")], "frustration")
    [angry] = found(
        [turn(2, "This is USELESS!! Let me speak to a human.", "Sorry.")], "frustration"
    )

    assert mild.strength == 0.6
    assert angry.strength == 1.0
    assert len(angry.evidence["cues"]) >= 3


@pytest.mark.parametrize(
    "message",
    [
        "I want my money back for ord_10412. The blender stopped working after two days!!",
        "Can you book my next session two weeks from now? Thanks!",
        "Is the USB cable included?",
        "Thank you so much, that was really helpful!!",
        "Still on for Tuesday? Just checking.",
        "The human resources team asked me to book this.",
    ],
)
def test_ordinary_messages_do_not_fire(message: str) -> None:
    assert found([turn(1, message, "Sure.")], "frustration") == []


def test_a_trace_without_a_user_message_does_not_fire() -> None:
    assert found([turn(1, None, "Scheduled report is ready.")], "frustration") == []
