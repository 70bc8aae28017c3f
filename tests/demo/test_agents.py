"""The example agents' trajectories, run through the bare replay contract (call / span)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest

from ratchet.demo.agents import Case, refunds, scheduling
from ratchet.demo.agents.dates import find_date_request

SIDE_EFFECTS = {"issue_refund", "send_customer_email", "create_event", "send_confirmation"}
Agent = Callable[[Any, Any], Any]


class MockTools:
    """A replay-style toolbox: mocked tool results, side effects recorded as intents."""

    def __init__(self, mocks: Mapping[str, Any]) -> None:
        self.mocks = dict(mocks)
        self.refs: list[str] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def call(self, name: str, /, **arguments: Any) -> Any:
        self.refs.append(f"tool:{name}")
        self.calls.append((name, arguments))
        mock = self.mocks.get(name)
        if isinstance(mock, Exception):
            raise mock
        if callable(mock):
            return mock(**arguments)
        if mock is None:
            if name in SIDE_EFFECTS:
                return {"status": "recorded"}
            raise LookupError(f"unmocked tool {name}")
        return mock

    @contextmanager
    def span(self, type: str, name: str) -> Iterator[None]:
        self.refs.append(f"{type}:{name}")
        yield None

    def args_of(self, tool: str) -> list[dict[str, Any]]:
        return [arguments for name, arguments in self.calls if name == tool]


def run(agent: Agent, case: Case, tools: MockTools) -> dict[str, Any]:
    result: dict[str, Any] = asyncio.run(agent(case, tools))
    return result


def refund_case(
    route: str, amount: float, *, delivered: str = "2026-04-10"
) -> tuple[Case, MockTools]:
    case = Case(
        {
            "user_message": "Refund this order and tell the customer it is done.",
            "order_id": "ord_1",
        },
        {
            "route": route,
            "policy_version": "refund-policy-2026-04",
            "customer_status": "standard",
            "customer_email": "dana.whitfield@example.com",
            "today": "2026-04-14",
        },
    )
    order = {"order_id": "ord_1", "amount": amount, "currency": "USD", "delivered_at": delivered}
    return case, MockTools({"read_order": order, "draft_refund_request": {"request_id": "rrq_9"}})


def test_buggy_refund_agent_issues_an_over_threshold_refund_without_approval() -> None:
    case, tools = refund_case("refund_assist", 840)

    result = run(refunds.run_buggy, case, tools)

    assert "tool:issue_refund" in tools.refs
    assert "approval:required" not in tools.refs
    assert "policy:refund_threshold" in tools.refs
    assert tools.refs.index("policy:refund_threshold") < tools.refs.index("tool:issue_refund")
    assert "message:customer_promise_sent" in tools.refs
    assert "your refund of $840.00 for order ord_1 has been approved" in result["output"]
    assert result["stop_reason"] == "completed"


def test_buggy_refund_agent_still_asks_for_approval_on_the_desk_route() -> None:
    case, tools = refund_case("refund_desk", 840)

    result = run(refunds.run_buggy, case, tools)

    assert "approval:required" in tools.refs
    assert "tool:issue_refund" not in tools.refs
    assert result["stop_reason"] == "needs_human_approval"


@pytest.mark.parametrize("route", ["refund_assist", "refund_desk"])
def test_fixed_refund_agent_stops_for_approval_before_any_side_effect(route: str) -> None:
    case, tools = refund_case(route, 840)

    result = run(refunds.run_fixed, case, tools)

    required = ["tool:read_order", "retrieval:refund_policy", "policy:refund_threshold"]
    assert all(ref in tools.refs for ref in [*required, "approval:required"])
    approval = tools.refs.index("approval:required")
    side_effects = [i for i, ref in enumerate(tools.refs) if ref[len("tool:") :] in SIDE_EFFECTS]
    assert side_effects and all(i > approval for i in side_effects)
    assert "tool:issue_refund" not in tools.refs
    assert "message:customer_promise_sent" not in tools.refs
    assert tools.refs.index("message:customer_reply") > approval
    assert tools.args_of("draft_refund_request") == [
        {"order_id": "ord_1", "amount": 840.0, "reason": "customer request"}
    ]
    assert result["stop_reason"] == "needs_human_approval"
    assert result["final_status"] == "needs_human"
    lowered = result["output"].lower()
    assert not any(word in lowered for word in ("approved", "processed", "completed"))


def test_fixed_refund_agent_still_stops_when_the_draft_tool_fails() -> None:
    case, tools = refund_case("refund_assist", 840)
    tools.mocks["draft_refund_request"] = RuntimeError("unmocked tool")

    result = run(refunds.run_fixed, case, tools)

    assert "approval:required" in tools.refs
    assert "tool:issue_refund" not in tools.refs
    assert result["stop_reason"] == "needs_human_approval"


@pytest.mark.parametrize("agent", [refunds.run_buggy, refunds.run_fixed])
def test_refunds_under_the_threshold_are_issued_by_both_versions(agent: Agent) -> None:
    case, tools = refund_case("refund_assist", 120)

    result = run(agent, case, tools)

    assert tools.args_of("issue_refund") == [
        {"order_id": "ord_1", "amount": 120.0, "reason": "customer request"}
    ]
    assert "approval:required" not in tools.refs
    assert result["final_status"] == "resolved"


def test_an_order_past_the_refund_window_is_denied_without_a_refund() -> None:
    case, tools = refund_case("refund_assist", 840, delivered="2026-02-01")

    result = run(refunds.run_buggy, case, tools)

    assert "policy:refund_eligibility" in tools.refs
    assert "tool:issue_refund" not in tools.refs
    assert result["stop_reason"] == "policy_denied"
    assert result["final_status"] == "declined"
    assert "past the 30-day window" in result["output"]


def test_a_failing_read_order_is_retried_once_then_reported() -> None:
    case, tools = refund_case("refund_desk", 840)
    tools.mocks["read_order"] = TimeoutError("order service timed out")

    result = run(refunds.run_fixed, case, tools)

    assert tools.refs.count("tool:read_order") == 2
    assert result["stop_reason"] == "tool_error"
    assert result["final_status"] == "failed"
    assert "order service timed out" in result["output"]


def scheduling_case(message: str, *, last_message: str | None) -> tuple[Case, MockTools]:
    thread = (
        []
        if last_message is None
        else [{"role": "user", "sent_at": last_message, "text": "Thanks for today's session!"}]
    )
    case = Case(
        {"user_message": message, "thread": thread},
        {
            "today": "2026-04-14",
            "user_name": "Dana",
            "user_email": "dana.whitfield@example.com",
            "calendar_id": "cal_coach_amara",
        },
    )
    tools = MockTools(
        {
            "read_calendar": {"busy": ["09:00"]},
            "create_event": {"event_id": "evt_1", "status": "confirmed"},
            "send_confirmation": {"status": "sent"},
        }
    )
    return case, tools


def test_buggy_scheduler_books_two_weeks_from_the_last_message_not_from_today() -> None:
    case, tools = scheduling_case(
        "Can we check in again two weeks from now?", last_message="2026-04-02"
    )

    result = run(scheduling.run_buggy, case, tools)

    [event] = tools.args_of("create_event")
    assert event["date"] == "2026-04-16"  # 2026-04-02 + 14 days: anchored on the thread
    assert event["start"] == "09:30"
    assert "Thursday, April 16" in result["output"]
    assert tools.refs == [
        "tool:read_calendar",
        "tool:create_event",
        "tool:send_confirmation",
    ]


def test_fixed_scheduler_books_two_weeks_from_today() -> None:
    case, tools = scheduling_case(
        "Can we check in again two weeks from now?", last_message="2026-04-02"
    )

    result = run(scheduling.run_fixed, case, tools)

    assert [e["date"] for e in tools.args_of("create_event")] == ["2026-04-28"]
    assert tools.args_of("read_calendar") == [
        {"calendar_id": "cal_coach_amara", "date": "2026-04-28"}
    ]
    assert "Tuesday, April 28" in result["output"]
    assert result["final_status"] == "resolved"


def test_buggy_scheduler_is_right_when_the_thread_has_no_earlier_message() -> None:
    case, tools = scheduling_case("Let's do a follow-up end of next week.", last_message=None)

    run(scheduling.run_buggy, case, tools)

    assert [e["date"] for e in tools.args_of("create_event")] == ["2026-04-24"]


def test_scheduler_asks_when_no_date_is_given() -> None:
    case, tools = scheduling_case("Can we talk again soon?", last_message=None)

    result = run(scheduling.run_fixed, case, tools)

    assert tools.refs == []
    assert result["stop_reason"] == "needs_clarification"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("two weeks from now", date(2026, 4, 28)),
        ("end of next week", date(2026, 4, 24)),
        ("next Tuesday", date(2026, 4, 21)),
        ("in 10 days", date(2026, 4, 24)),
        ("tomorrow", date(2026, 4, 15)),
        ("on April 2", date(2027, 4, 2)),
    ],
)
def test_relative_dates_resolve_against_the_anchor(text: str, expected: date) -> None:
    request = find_date_request(f"Could we meet {text}?")

    assert request is not None
    assert request.resolve(date(2026, 4, 14)) == expected  # a Tuesday
