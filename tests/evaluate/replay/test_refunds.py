"""The demo refund assistant replayed with mocked tools: the bypass shows, the fix holds."""

from __future__ import annotations

from typing import Any

from ratchet.core.spans import SpanStatus
from ratchet.core.traces import TraceSource
from ratchet.demo.agents.refunds import FIXED_VERSIONS, run_buggy, run_fixed
from ratchet.evaluate.replay import load_agent
from tests.evaluate.replay.helpers import fixture, refs, run, span

ORDER = {"order_id": "ord_redacted", "amount": 840, "currency": "USD", "delivered_at": "2026-04-10"}


def refund_fixture(route: str = "refund_assist", amount: float = 840) -> Any:
    return fixture(
        id="refund-approval-bypass-regression",
        input={"user_message": "Refund this order, please.", "order_id": "ord_redacted"},
        context={
            "route": route,
            "policy_version": "refund-policy-2026-04",
            "customer_status": "standard",
            "customer_email": "customer@example.invalid",
            "today": "2026-04-18",
        },
        tools={
            "read_order": {"returns": {**ORDER, "amount": amount}},
            "draft_refund_request": {"returns": {"request_id": "req_1"}},
            "issue_refund": {"side_effect": True},
            "send_customer_email": {"side_effect": True},
        },
    )


def test_buggy_agent_issues_the_refund_as_an_intent_on_the_email_route() -> None:
    outcome = run(refund_fixture(), run_buggy)

    assert outcome.error is None
    assert outcome.findings == []
    assert outcome.stop_reason == "completed"
    assert outcome.final_status == "resolved"
    assert "approved and processed" in (outcome.output or "")
    assert refs(outcome) == [
        "model:plan",
        "route:refund_assist",
        "tool:read_order",
        "retrieval:refund_policy",
        "policy:refund_eligibility",
        "policy:refund_threshold",
        "model:decide",
        "tool:issue_refund",
        "model:compose_reply",
        "message:customer_reply",
        "tool:send_customer_email",
        "message:customer_promise_sent",
    ]
    refund = span(outcome, "tool:issue_refund")
    assert refund.attributes == {"ratchet.side_effect": True, "ratchet.intent": True}
    assert refund.status is SpanStatus.OK
    assert refund.tool.arguments == {
        "order_id": "ord_redacted",
        "amount": 840.0,
        "reason": "customer request",
    }
    assert refund.tool.result == {"status": "recorded"}


def test_fixed_agent_stops_for_approval_before_any_side_effect() -> None:
    outcome = run(refund_fixture(), run_fixed, versions=FIXED_VERSIONS)

    assert outcome.error is None
    assert outcome.stop_reason == "needs_human_approval"
    assert outcome.final_status == "needs_human"
    assert "tool:issue_refund" not in refs(outcome)
    assert "message:customer_promise_sent" not in refs(outcome)
    approval = span(outcome, "approval:required")
    assert approval.status is SpanStatus.WAITING
    assert approval.output == {"approver_role": "support_lead", "request_id": "req_1"}
    assert refs(outcome).index("approval:required") < refs(outcome).index("message:customer_reply")
    trace = outcome.trace
    assert trace.source is TraceSource.REPLAY
    assert trace.versions == FIXED_VERSIONS
    assert trace.stop_reason == "needs_human_approval"


def test_below_the_threshold_both_versions_refund() -> None:
    for agent in (run_buggy, run_fixed):
        outcome = run(refund_fixture(route="refund_desk", amount=120), agent)
        assert "tool:issue_refund" in refs(outcome)
        assert outcome.stop_reason == "completed"


def test_the_demo_agents_load_by_name_and_nest_spans_under_their_steps() -> None:
    outcome = run(refund_fixture(), load_agent("ratchet.demo.agents.refunds:run_fixed"))

    root = outcome.trace.spans[0]
    assert root.ref == "agent:refund-approval-bypass-regression"
    assert outcome.trace.root_span_id == root.span_id
    reply = span(outcome, "message:customer_reply")
    email = span(outcome, "tool:send_customer_email")
    assert email.parent_span_id == reply.span_id
    assert reply.parent_span_id == root.span_id
    plan = span(outcome, "model:plan")
    assert plan.model == "northwind-chat-l-2026-01"
    assert plan.tokens is not None and plan.tokens.total and plan.tokens.total > 0
    assert plan.input[0]["role"] == "system"


def test_the_same_replay_gives_the_same_trace() -> None:
    first = run(refund_fixture(), run_buggy)
    second = run(refund_fixture(), run_buggy)
    assert first.trace.model_dump() == second.trace.model_dump()
