"""Partial completions: the run stopped before finishing what was asked; conservative."""

from __future__ import annotations

import pytest

from ratchet.core.signals import SignalKind

from .build import Step, found, tool, trace_id, turn


def _reasons(signal: object) -> list[str]:
    return [r["reason"] for r in signal.evidence["reasons"]]  # type: ignore[attr-defined]


def test_a_partial_final_status_fires() -> None:
    [signal] = found(
        [turn(1, "Summarise all five reports", "Here are three.", final_status="partial")],
        "partial_completion",
    )

    assert signal.kind is SignalKind.PARTIAL_COMPLETION
    assert signal.trace_id == trace_id(1)
    assert signal.strength == 0.9
    assert _reasons(signal) == ["final_status"]


@pytest.mark.parametrize(
    "stop_reason", ["max_tokens", "length", "max_steps", "timeout", "Max-Iterations"]
)
def test_a_limit_stop_reason_fires(stop_reason: str) -> None:
    traces = [
        turn(1, "Plan my week", "Monday: gym, Tuesday:", final_status=None, stop_reason=stop_reason)
    ]

    [signal] = found(traces, "partial_completion")

    assert signal.strength == 0.8
    assert signal.evidence["stop_reason"] == stop_reason


def test_a_limit_stop_reason_does_not_fire_when_the_run_says_it_resolved() -> None:
    traces = [
        turn(
            1,
            "Plan my week",
            "Your week is planned.",
            final_status="resolved",
            stop_reason="max_steps",
        )
    ]

    assert found(traces, "partial_completion") == []


def test_a_last_model_call_cut_off_at_its_token_limit_fires() -> None:
    trace = turn(1, "Write the release notes", None, final_status=None)
    model = trace.spans[1]
    model.output = [
        {"role": "assistant", "content": "## Release 2.1\n- Faster", "finish_reason": "length"}
    ]

    [signal] = found([trace], "partial_completion")

    assert _reasons(signal) == ["model_output_cut_off"]
    assert signal.strength == 0.6


def test_items_the_user_named_but_no_side_effect_touched_fire() -> None:
    steps = [
        tool("read_order", order_id="ord_101"),
        tool("read_order", order_id="ord_102"),
        tool("cancel_order", side_effect=True, order_id="ord_101"),
    ]
    traces = [
        turn(
            1, "Please cancel ord_101 and ord_102, I ordered them twice.", "Cancelled.", steps=steps
        )
    ]

    [signal] = found(traces, "partial_completion")

    [reason] = signal.evidence["reasons"]
    assert reason["reason"] == "items_not_acted_on"
    assert reason["requested"] == ["ord_101", "ord_102"]
    assert reason["missing"] == ["ord_102"]
    assert signal.strength == 0.5


def test_acting_on_every_item_named_does_not_fire() -> None:
    steps = [
        tool("cancel_order", side_effect=True, order_id="ord_101"),
        tool("cancel_order", side_effect=True, order_id="ord_102"),
    ]
    traces = [turn(1, "Please cancel ord_101 and ord_102.", "Both cancelled.", steps=steps)]

    assert found(traces, "partial_completion") == []


def test_ids_of_another_kind_in_the_message_are_not_counted_as_requests() -> None:
    steps = [tool("issue_refund", side_effect=True, order_id="ord_101")]
    traces = [turn(1, "Refund ord_101, my customer id is cus_77.", "Refunded.", steps=steps)]

    assert found(traces, "partial_completion") == []


@pytest.mark.parametrize("final_status", ["needs_user", "needs_human", "declined"])
def test_stopping_to_ask_hand_over_or_refuse_is_not_partial(final_status: str) -> None:
    steps = [
        Step("approval:required", status="waiting"),
        tool("cancel_order", side_effect=True, order_id="ord_101"),
    ]
    traces = [
        turn(
            1,
            "Cancel ord_101 and ord_102",
            "A lead will approve.",
            final_status=final_status,
            stop_reason="max_steps",
            steps=steps,
        )
    ]

    assert found(traces, "partial_completion") == []


def test_an_ordinary_resolved_run_does_not_fire() -> None:
    traces = [
        turn(
            1,
            "Book Tuesday",
            "Booked.",
            stop_reason="completed",
            steps=[tool("create_event", side_effect=True, date="2026-04-21")],
        )
    ]

    assert found(traces, "partial_completion") == []
