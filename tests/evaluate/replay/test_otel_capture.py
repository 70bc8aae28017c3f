"""An agent instrumented with the OpenTelemetry SDK needs no change: its spans are captured."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Status, StatusCode

from ratchet.core.clock import ManualClock
from ratchet.core.ids import SequentialIds
from ratchet.core.spans import SpanStatus
from ratchet.evaluate.replay import replay
from ratchet.evaluate.replay.otel_capture import install
from tests.evaluate.replay.helpers import fixture, refs, run, span

MOCKS = {"read_order": {"returns": {"amount": 840}}}


async def instrumented(case: Any, tools: Any) -> dict[str, Any]:
    """An agent written for production: OpenInference and ``ratchet.*`` spans via the global API."""
    tracer = trace.get_tracer("refund-app")
    with tracer.start_as_current_span(
        "refund-agent",
        attributes={
            "openinference.span.kind": "AGENT",
            "ratchet.version.prompt.refund-system": "v13",
        },
    ):
        with tracer.start_as_current_span(
            "llm call",
            attributes={
                "openinference.span.kind": "LLM",
                "llm.model_name": "m-1",
                "llm.token_count.prompt": 12,
                "llm.token_count.completion": 3,
                "output.value": "check the order",
            },
        ):
            pass
        with tracer.start_as_current_span(
            "lookup",
            attributes={
                "openinference.span.kind": "TOOL",
                "tool.name": "crm_lookup",
                "input.value": json.dumps({"customer": case.input["customer"]}),
            },
        ):
            order = await tools.call("read_order", order_id="o1")  # nests under "lookup"
        with tools.span("policy", "refund_threshold"):
            with tracer.start_as_current_span(
                "required", attributes={"ratchet.span.type": "approval"}
            ) as approval:
                approval.set_attribute("ratchet.span.status", "waiting")
        with tracer.start_as_current_span("flaky") as flaky:
            flaky.set_status(Status(StatusCode.ERROR, "upstream 503"))
    return {"output": f"amount {order['amount']}", "stop_reason": "needs_human_approval"}


def test_otel_spans_are_captured_mapped_and_nested_with_toolbox_spans() -> None:
    outcome = run(fixture(input={"customer": "c1"}, tools=MOCKS), instrumented)

    assert outcome.error is None
    assert refs(outcome) == [
        "agent:refund-agent",
        "model:llm call",
        "tool:crm_lookup",
        "tool:read_order",
        "policy:refund_threshold",
        "approval:required",
        "other:flaky",
    ]
    root = outcome.trace.spans[0]
    agent = span(outcome, "agent:refund-agent")
    lookup = span(outcome, "tool:crm_lookup")
    policy = span(outcome, "policy:refund_threshold")
    assert agent.parent_span_id == root.span_id
    assert span(outcome, "model:llm call").parent_span_id == agent.span_id
    assert lookup.parent_span_id == agent.span_id
    assert span(outcome, "tool:read_order").parent_span_id == lookup.span_id
    assert policy.parent_span_id == agent.span_id
    assert span(outcome, "approval:required").parent_span_id == policy.span_id

    model = span(outcome, "model:llm call")
    assert model.model == "m-1"
    assert model.tokens is not None and model.tokens.total == 15
    assert lookup.tool is not None and lookup.tool.arguments == {"customer": "c1"}
    assert span(outcome, "approval:required").status is SpanStatus.WAITING
    flaky = span(outcome, "other:flaky")
    assert (flaky.status, flaky.status_message) == (SpanStatus.ERROR, "upstream 503")
    # The replay's trace id, ids and clock, not OTel's: the same replay gives the same trace.
    assert {s.trace_id for s in outcome.trace.spans} == {outcome.trace.trace_id}
    assert outcome.trace.versions.prompt == {"refund-system": "v13"}
    again = run(fixture(input={"customer": "c1"}, tools=MOCKS), instrumented)
    assert again.trace.model_dump() == outcome.trace.model_dump()


def test_spans_started_outside_a_replay_are_left_alone() -> None:
    install()
    tracer = trace.get_tracer("elsewhere")
    with tracer.start_as_current_span("not-a-replay"):
        pass

    async def agent(case: Any, tools: Any) -> str:
        return "quiet"

    assert refs(run(fixture(), agent)) == []


def test_two_concurrent_replays_do_not_see_each_others_spans() -> None:
    async def agent(case: Any, tools: Any) -> str:
        tracer = trace.get_tracer("app")
        for step in range(3):
            with tracer.start_as_current_span(f"{case.id}-step-{step}"):
                await asyncio.sleep(0)  # let the other replay run in between
                with tracer.start_as_current_span(f"{case.id}-inner-{step}"):
                    await asyncio.sleep(0)
        return case.id

    async def both() -> list[Any]:
        runs = (
            replay(fixture(id=name), agent, clock=ManualClock(), ids=SequentialIds())
            for name in ("left", "right")
        )
        return list(await asyncio.gather(*runs))

    left, right = asyncio.run(both())

    for outcome, name in ((left, "left"), (right, "right")):
        names = [s.name for s in outcome.trace.spans[1:]]
        assert names == [f"{name}-{kind}-{i}" for i in range(3) for kind in ("step", "inner")]
        by_name = {s.name: s for s in outcome.trace.spans}
        assert by_name[f"{name}-inner-1"].parent_span_id == by_name[f"{name}-step-1"].span_id


def test_a_sync_agent_on_its_worker_thread_is_captured_too() -> None:
    def agent(case: Any, tools: Any) -> str:
        with trace.get_tracer("app").start_as_current_span("sync-step"):
            tools.call("read_order")
        return "ok"

    outcome = run(fixture(tools=MOCKS), agent)
    assert refs(outcome) == ["other:sync-step", "tool:read_order"]
    assert (
        span(outcome, "tool:read_order").parent_span_id == span(outcome, "other:sync-step").span_id
    )


def test_an_application_provider_gets_the_capture_added() -> None:
    # An application that set up its own SDK provider keeps it; replay listens on it.
    provider = TracerProvider()
    assert install(provider)
    tracer = provider.get_tracer("own")

    async def agent(case: Any, tools: Any) -> str:
        with tracer.start_as_current_span("own-provider-span"):
            pass
        return "ok"

    assert refs(run(fixture(), agent)) == ["other:own-provider-span"]


def test_otel_spans_count_towards_the_span_cap() -> None:
    async def agent(case: Any, tools: Any) -> str:
        tracer = trace.get_tracer("app")
        for i in range(10):
            with tracer.start_as_current_span(f"s{i}"):
                pass
        return "ok"

    outcome = run(fixture(), agent, max_spans=4)
    assert outcome.error == "emitted more than 4 spans; the trace keeps the first 4"
    assert refs(outcome) == ["other:s0", "other:s1", "other:s2", "other:s3"]


def test_spans_left_open_when_the_agent_returns_stay_unfinished() -> None:
    async def agent(case: Any, tools: Any) -> str:
        trace.get_tracer("app").start_span("never-ended")
        return "ok"

    outcome = run(fixture(), agent)
    left = outcome.trace.spans[1]
    assert (left.name, left.end, left.status) == ("never-ended", None, SpanStatus.UNSET)
