"""Tool loops, tool errors and retries, told apart on realistic runs."""

from __future__ import annotations

from ratchet.core.signals import SignalKind

from .build import Step, found, tool, trace_id, turn

ASK = "Can we book the next session on Tuesday?"


def test_the_same_call_three_times_is_a_loop() -> None:
    steps = [tool("read_calendar", date="2026-04-21")] * 3 + [tool("create_event", date="x")]

    [signal] = found([turn(1, ASK, "Booked.", steps=steps)], "tool_loop")

    assert signal.kind is SignalKind.TOOL_LOOP
    assert signal.trace_id == trace_id(1)
    assert signal.evidence["tool"] == "read_calendar"
    assert signal.evidence["arguments"] == {"date": "2026-04-21"}
    assert signal.evidence["calls"] == 3
    assert len(signal.evidence["span_ids"]) == 3
    assert signal.strength == 0.6


def test_a_longer_loop_is_stronger_and_argument_order_does_not_matter() -> None:
    steps = [
        Step("tool:search", args={"q": "refund policy", "k": 5}),
        Step("tool:search", args={"k": 5, "q": "refund policy"}),
    ] * 3

    [signal] = found([turn(1, ASK, "Here is the policy.", steps=steps)], "tool_loop")

    assert signal.evidence["calls"] == 6
    assert signal.strength == 1.0


def test_two_identical_calls_are_not_a_loop() -> None:
    steps = [tool("read_calendar", date="2026-04-21")] * 2

    assert found([turn(1, ASK, "Booked.", steps=steps)], "tool_loop") == []


def test_the_same_tool_with_different_arguments_is_not_a_loop() -> None:
    steps = [tool("read_calendar", date=f"2026-04-2{day}") for day in range(1, 5)]

    assert found([turn(1, ASK, "Booked.", steps=steps)], "tool_loop") == []


def test_calls_that_each_follow_a_failure_are_retries_not_a_loop() -> None:
    steps = [tool("read_order", "error", order_id="ord_1")] * 3 + [
        tool("read_order", order_id="ord_1")
    ]

    traces = [turn(1, "Refund ord_1", "Refunded.", steps=steps)]

    assert found(traces, "tool_loop") == []
    [retry] = found(traces, "retry")
    assert retry.evidence["retried"][0]["attempts"] == 4


def test_one_failed_call_is_a_tool_error_and_not_a_loop() -> None:
    steps = [tool("read_calendar", "error", date="2026-04-21")]
    traces = [
        turn(1, ASK, "Sorry, I couldn't open the calendar.", final_status="failed", steps=steps)
    ]

    assert found(traces, "tool_loop") == []
    [signal] = found(traces, "tool_error")
    assert signal.kind is SignalKind.TOOL_ERROR
    assert signal.strength == 1.0
    assert signal.evidence["run_failed"] is True
    [error] = signal.evidence["errors"]
    assert error["ref"] == "tool:read_calendar"
    assert error["status_message"] == "backend timed out"
    assert error["recovered"] is False


def test_a_recovered_tool_error_is_weak() -> None:
    steps = [tool("read_calendar", "error", date="d"), tool("read_calendar", date="d")]

    [signal] = found([turn(1, ASK, "Booked.", steps=steps)], "tool_error")

    assert signal.strength == 0.3
    assert signal.evidence["unrecovered"] == 0


def test_an_unrecovered_error_in_a_run_that_went_on_is_in_between() -> None:
    steps = [tool("send_confirmation", "error", to="a@b.c"), tool("create_event", date="d")]

    [signal] = found([turn(1, ASK, "Booked, but no e-mail.", steps=steps)], "tool_error")

    assert signal.strength == 0.7


def test_a_run_without_failed_tools_has_no_tool_error_and_no_retry() -> None:
    steps = [tool("read_calendar", date="d"), tool("create_event", date="d")]
    traces = [turn(1, ASK, "Booked.", steps=steps)]

    assert found(traces, "tool_error") == []
    assert found(traces, "retry") == []


def test_a_tool_called_again_after_failing_is_a_retry() -> None:
    steps = [tool("read_calendar", "error", date="d"), tool("read_calendar", date="d")]

    [signal] = found([turn(1, ASK, "Booked.", steps=steps)], "retry")

    assert signal.kind is SignalKind.RETRY
    assert signal.evidence["retried"] == [
        {
            "ref": "tool:read_calendar",
            "attempts": 2,
            "succeeded": True,
            "span_ids": signal.evidence["retried"][0]["span_ids"],
        }
    ]
    assert signal.evidence["all_succeeded"] is True
    assert signal.strength == 0.3


def test_a_retry_that_never_succeeded_is_stronger() -> None:
    steps = [tool("read_calendar", "error", date="d")] * 2

    [signal] = found([turn(1, ASK, "Sorry.", final_status="failed", steps=steps)], "retry")

    assert signal.evidence["all_succeeded"] is False
    assert signal.strength == 0.6


def test_a_model_call_retried_after_an_error_is_a_retry() -> None:
    steps = [Step("model:compose_reply", status="error"), Step("model:compose_reply")]

    [signal] = found([turn(1, ASK, "Booked.", steps=steps)], "retry")

    assert signal.evidence["retried"][0]["ref"] == "model:compose_reply"


def test_a_retry_marked_by_the_http_client_is_a_retry() -> None:
    steps = [Step("tool:geocode", args={"q": "x"}, attributes={"http.request.resend_count": 2})]

    [signal] = found([turn(1, ASK, "Booked.", steps=steps)], "retry")

    assert signal.evidence["retried"][0]["attempts"] == 3


def test_a_different_tool_after_a_failure_is_not_a_retry() -> None:
    steps = [tool("read_calendar", "error", date="d"), tool("create_event", date="d")]

    assert found([turn(1, ASK, "Booked.", steps=steps)], "retry") == []
