"""Each mock form, as the agent sees it and as the trace records it."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from ratchet.core.clock import ManualClock
from ratchet.core.spans import SpanStatus
from ratchet.demo.agents.fake_model import Message, ModelTurn
from ratchet.evaluate import ToolError
from ratchet.evaluate import replay as replay_package
from ratchet.evaluate.results import FindingKind
from tests.evaluate.replay.helpers import fixture, refs, run, span


def test_tool_error_is_one_class_wherever_it_is_imported_from() -> None:
    assert replay_package.ToolError is ToolError
    assert issubclass(ToolError, Exception)


def test_returns_is_given_exactly_as_written_and_the_agent_gets_its_own_copy() -> None:
    order = {"order_id": "o1", "lines": [{"sku": "a", "qty": 2}], "paid": None}
    fx = fixture(input={"q": ["x"]}, tools={"read_order": {"returns": order}})
    seen: list[Any] = []

    async def agent(case: Any, tools: Any) -> str:
        got = await tools.call("read_order", order_id="o1")
        seen.append(got == order)
        got["lines"][0]["qty"] = 99  # the agent may change what it got...
        case.input["q"].append("y")
        again = await tools.call("read_order", order_id="o1")
        seen.append(again == order)
        return "ok"

    outcome = run(fx, agent)

    assert seen == [True, True]
    assert fx.tools["read_order"].rules[0].returns == order  # ...but not the fixture
    assert fx.input == {"q": ["x"]}
    assert span(outcome, "agent:fx").input == {"q": ["x"]}
    calls = [s for s in outcome.trace.spans if s.ref == "tool:read_order"]
    assert [c.tool.result for c in calls] == [order, order]
    assert calls[0].tool.arguments == {"order_id": "o1"}
    assert calls[0].status is SpanStatus.OK
    assert calls[0].attributes == {}


def test_returns_null_and_scalars_come_back_as_written() -> None:
    fx = fixture(tools={"a": {"returns": None}, "b": {"returns": 3}, "c": {"returns": "text"}})

    async def agent(case: Any, tools: Any) -> dict[str, Any]:
        return {"output": [await tools.call("a"), await tools.call("b"), await tools.call("c")]}

    assert run(fx, agent).output == '[null,3,"text"]'


def test_a_side_effect_runs_nothing_and_is_recorded_as_an_intent() -> None:
    fx = fixture(
        tools={
            "issue_refund": {"side_effect": True},
            "create_event": {"side_effect": True, "returns": {"event_id": "ev_1"}},
        }
    )

    async def agent(case: Any, tools: Any) -> dict[str, Any]:
        refund = await tools.call("issue_refund", order_id="o1", amount=840)
        event = await tools.call("create_event", title="x")
        return {"output": f"{refund['status']} {event['event_id']}"}

    outcome = run(fx, agent)

    assert outcome.output == "recorded ev_1"
    for ref in ("tool:issue_refund", "tool:create_event"):
        assert span(outcome, ref).attributes == {
            "ratchet.side_effect": True,
            "ratchet.intent": True,
        }
    assert span(outcome, "tool:create_event").tool.result == {"event_id": "ev_1"}


def test_an_error_mock_raises_tool_error_in_the_agent_and_marks_the_span() -> None:
    fx = fixture(tools={"read_order": {"error": "upstream timeout after 5s"}})

    async def agent(case: Any, tools: Any) -> str:
        try:
            await tools.call("read_order", order_id="o1")
        except ToolError as exc:
            return f"recovered from: {exc} ({exc.tool})"
        return "no error?"

    outcome = run(fx, agent)

    assert outcome.error is None
    assert outcome.output == "recovered from: upstream timeout after 5s (read_order)"
    failed = span(outcome, "tool:read_order")
    assert failed.status is SpanStatus.ERROR
    assert failed.status_message == "upstream timeout after 5s"
    assert outcome.findings == []
    assert outcome.trace.error_count == 1


def test_when_rules_are_tried_in_order_and_a_rule_without_when_matches_the_rest() -> None:
    fx = fixture(
        tools={
            "read_order": [
                {"when": {"order_id": "o1"}, "returns": {"amount": 10}},
                {"when": {"order_id": "o2", "region": "eu"}, "error": "not found"},
                {"when": {"order_id": "o2"}, "returns": {"amount": 20}},
                {"returns": {"amount": 0}},
            ]
        }
    )
    answers: list[Any] = []

    async def agent(case: Any, tools: Any) -> str:
        answers.append(await tools.call("read_order", order_id="o1", verbose=True))
        try:
            await tools.call("read_order", order_id="o2", region="eu")
        except ToolError as exc:
            answers.append(str(exc))
        answers.append(await tools.call("read_order", order_id="o2", region="us"))
        answers.append(await tools.call("read_order", order_id="o3"))
        return "ok"

    outcome = run(fx, agent)

    assert answers == [{"amount": 10}, "not found", {"amount": 20}, {"amount": 0}]
    assert outcome.findings == []


def test_a_call_no_when_rule_matches_is_a_tool_error_and_a_finding() -> None:
    fx = fixture(tools={"read_order": [{"when": {"order_id": "o1"}, "returns": {"amount": 10}}]})

    async def agent(case: Any, tools: Any) -> str:
        try:
            await tools.call("read_order", order_id="o9")
        except ToolError as exc:
            return str(exc)
        return "answered?"

    outcome = run(fx, agent)

    assert outcome.error is None
    assert (
        outcome.output
        == "no mock rule of tool 'read_order' matches the arguments {'order_id': 'o9'}"
    )
    assert [f.kind for f in outcome.findings] == [FindingKind.MOCK_NEVER_MATCHED]
    assert "read_order" in outcome.findings[0].message
    assert span(outcome, "tool:read_order").status is SpanStatus.ERROR


async def _calls_unmocked(case: Any, tools: Any) -> str:
    for _ in range(2):
        with contextlib.suppress(ToolError):
            await tools.call("lookup_customer", email="x")
    return "carried on"


def test_an_unmocked_call_is_only_a_finding_without_strict_mocks() -> None:
    outcome = run(fixture(id="no-mocks"), _calls_unmocked)

    assert outcome.error is None
    assert outcome.output == "carried on"
    assert len(outcome.findings) == 1  # once per tool, however often it is called
    finding = outcome.findings[0]
    assert finding.kind is FindingKind.UNMOCKED_TOOL
    assert "'lookup_customer'" in finding.message and "'no-mocks'" in finding.message
    assert refs(outcome) == ["tool:lookup_customer", "tool:lookup_customer"]


def test_strict_mocks_make_an_unmocked_call_an_error() -> None:
    outcome = run(fixture(), _calls_unmocked, strict_mocks=True)

    assert outcome.error == "called 'lookup_customer' with no mock to answer (strict mocks)"
    assert outcome.output == "carried on"
    assert [f.kind for f in outcome.findings] == [FindingKind.UNMOCKED_TOOL]
    assert outcome.trace.spans[0].status is SpanStatus.ERROR


def test_an_unmocked_call_the_agent_does_not_catch_fails_the_run() -> None:
    async def agent(case: Any, tools: Any) -> str:
        await tools.call("send_sms", to="+1")
        return "sent"

    outcome = run(fixture(id="f1"), agent)

    assert outcome.error == "agent raised ToolError: no mock for tool 'send_sms' in fixture 'f1'"


def test_steps_nest_and_note_how_they_ended() -> None:
    fx = fixture(tools={"read_order": {"returns": {"amount": 1}}})

    async def agent(case: Any, tools: Any) -> str:
        with tools.span("workflow", "triage") as outer:
            with tools.span("policy", "refund_threshold") as step:
                step.note(status="denied", output={"decision": "deny"}, attributes={"rule": "r1"})
            await tools.call("read_order", order_id="o1")
            outer.note(output="done")
        with tools.span("approval", "required") as step:
            step.note(status="waiting")
        try:
            with tools.span("retrieval", "kb"):
                raise LookupError("index offline")
        except LookupError:
            pass
        return "ok"

    outcome = run(fx, agent)

    root = outcome.trace.spans[0]
    triage = span(outcome, "workflow:triage")
    policy = span(outcome, "policy:refund_threshold")
    assert triage.parent_span_id == root.span_id
    assert policy.parent_span_id == triage.span_id
    assert span(outcome, "tool:read_order").parent_span_id == triage.span_id
    assert span(outcome, "approval:required").parent_span_id == root.span_id
    assert (policy.status, policy.output, policy.attributes) == (
        SpanStatus.DENIED,
        {"decision": "deny"},
        {"rule": "r1"},
    )
    assert (triage.status, triage.output) == (SpanStatus.OK, "done")
    assert span(outcome, "approval:required").status is SpanStatus.WAITING
    kb = span(outcome, "retrieval:kb")
    assert (kb.status, kb.status_message) == (SpanStatus.ERROR, "LookupError: index offline")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (lambda tools: tools.span("guardrail", "x"), "unknown span type 'guardrail'"),
        (lambda tools: tools.span("policy", "x").note(status="maybe"), "unknown span status"),
    ],
)
def test_unknown_span_types_and_statuses_are_refused(body: Any, error: str) -> None:
    async def agent(case: Any, tools: Any) -> str:
        body(tools)
        return "ok"

    outcome = run(fixture(), agent)
    assert outcome.error is not None
    assert outcome.error.startswith("agent raised ValueError: " + error)


def test_times_come_from_the_clock_and_ids_from_the_id_source() -> None:
    clock = ManualClock()
    fx = fixture(tools={"read_order": {"returns": 1}})

    async def agent(case: Any, tools: Any) -> str:
        clock.advance(1)
        with tools.span("policy", "p"):
            clock.advance(2)
            await tools.call("read_order")
        clock.advance(3)
        return "ok"

    outcome = run(fx, agent, clock=clock)

    trace = outcome.trace
    assert trace.trace_id == "00000000000000000000000000000001"
    assert [s.span_id for s in trace.spans] == [
        "0000000000000002",
        "0000000000000003",
        "0000000000000004",
    ]
    root, policy, tool = trace.spans
    assert root.duration_ms == 6000
    assert policy.duration_ms == 2000
    assert (tool.start - root.start).total_seconds() == 3
    assert (trace.start, trace.end) == (root.start, root.end)


def test_model_turns_are_recorded_as_model_spans() -> None:
    turn = ModelTurn(
        step="plan",
        model="m-1",
        messages=(Message("system", "be brief"), Message("user", "hi")),
        output="hello",
    )

    async def agent(case: Any, tools: Any) -> str:
        tools.record_model_turn(turn)
        return turn.output

    model = span(run(fixture(), agent), "model:plan")
    assert model.model == "m-1"
    assert model.output == "hello"
    assert model.input == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hi"},
    ]
    assert model.tokens is not None
    assert (model.tokens.input, model.tokens.output, model.tokens.total) == (
        turn.prompt_tokens,
        turn.completion_tokens,
        turn.total_tokens,
    )
