"""What the agent returns, raises or fails to do, and how the replay reports it."""

from __future__ import annotations

import asyncio
import functools
import threading
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

from ratchet.core.spans import SpanStatus
from ratchet.evaluate.replay import DEFAULT_MAX_SPANS
from tests.evaluate.replay.helpers import fixture, refs, run, span

MOCKS = {"read_order": {"returns": {"amount": 10}}}


@pytest.mark.parametrize(
    ("returned", "output", "stop_reason", "final_status"),
    [
        ("plain text", "plain text", None, None),
        ({"output": "done"}, "done", None, None),
        (
            {
                "output": "wait",
                "stop_reason": "needs_human_approval",
                "final_status": "needs_human",
            },
            "wait",
            "needs_human_approval",
            "needs_human",
        ),
        ({"output": {"answer": 42}}, '{"answer":42}', None, None),
    ],
)
def test_a_string_or_a_mapping_with_output_is_accepted(
    returned: Any, output: str, stop_reason: str | None, final_status: str | None
) -> None:
    async def agent(case: Any, tools: Any) -> Any:
        return returned

    outcome = run(fixture(), agent)

    assert outcome.error is None
    assert (outcome.output, outcome.stop_reason, outcome.final_status) == (
        output,
        stop_reason,
        final_status,
    )
    root = outcome.trace.spans[0]
    assert root.status is SpanStatus.OK
    assert root.output == output


@pytest.mark.parametrize(
    ("returned", "error"),
    [
        (42, "agent returned int; expected a string or a mapping with `output`"),
        (None, "agent returned None; expected a string or a mapping with `output`"),
        (["a"], "agent returned list; expected a string or a mapping with `output`"),
        ({"answer": "x"}, "agent returned a mapping without `output` (keys: answer)"),
        ({"output": None}, "agent returned `output: None`; expected the final output"),
    ],
)
def test_anything_else_is_an_error(returned: Any, error: str) -> None:
    async def agent(case: Any, tools: Any) -> Any:
        return returned

    outcome = run(fixture(), agent)

    assert outcome.error == error
    assert outcome.output is None
    assert outcome.trace.spans[0].status is SpanStatus.ERROR
    assert outcome.trace.spans[0].status_message == error


def test_an_exception_in_the_agent_is_an_error_in_one_line_and_keeps_the_spans() -> None:
    async def agent(case: Any, tools: Any) -> str:
        await tools.call("read_order")
        raise RuntimeError("customer_tier\n  missing from context")

    outcome = run(fixture(tools=MOCKS), agent)

    assert outcome.error == "agent raised RuntimeError: customer_tier missing from context"
    assert refs(outcome) == ["tool:read_order"]


def test_an_agent_that_waits_forever_times_out() -> None:
    async def agent(case: Any, tools: Any) -> str:
        await asyncio.Event().wait()
        return "never"

    started = time.monotonic()
    outcome = run(fixture(), agent, timeout_s=0.2)

    assert outcome.error == "timed out after 0.2 s"
    assert time.monotonic() - started < 5


def test_the_fixture_timeout_wins_over_the_default() -> None:
    async def agent(case: Any, tools: Any) -> str:
        with tools.span("workflow", "stuck"):
            await asyncio.sleep(30)
        return "never"

    outcome = run(fixture(timeout_s=0.1), agent, timeout_s=30)

    assert outcome.error == "timed out after 0.1 s"
    stuck = span(outcome, "workflow:stuck")
    assert stuck.status is SpanStatus.ERROR  # cut short by the timeout


def test_an_agent_calling_tools_in_an_endless_loop_times_out() -> None:
    # Mocked calls never suspend; the toolbox yields now and then so the timer can fire.
    async def agent(case: Any, tools: Any) -> str:
        while True:
            await tools.call("read_order")

    outcome = run(fixture(tools=MOCKS), agent, timeout_s=0.2)

    assert outcome.error == "timed out after 0.2 s"
    assert 1 < len(outcome.trace.spans) <= DEFAULT_MAX_SPANS + 1


def test_a_timeout_error_the_agent_raises_itself_is_not_a_replay_timeout() -> None:
    async def agent(case: Any, tools: Any) -> str:
        raise TimeoutError("CRM did not answer")

    assert run(fixture(), agent).error == "agent raised TimeoutError: CRM did not answer"


def test_an_agent_emitting_100000_spans_is_cut_short_in_time_and_memory() -> None:
    async def agent(case: Any, tools: Any) -> str:
        for i in range(50_000):
            with tools.span("other", f"step-{i}"):
                pass
            await tools.call("read_order", i=i)
        return "done"

    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome = run(fixture(tools=MOCKS), agent)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert outcome.error == "emitted more than 10000 spans; the trace keeps the first 10000"
    assert outcome.output == "done"
    assert len(outcome.trace.spans) == DEFAULT_MAX_SPANS + 1
    assert refs(outcome)[:2] == ["other:step-0", "tool:read_order"]
    assert elapsed < 20, f"{elapsed:.1f}s"
    # About 1 kB a kept span; keeping all 100,000 would take ten times the bound.
    assert peak < 40_000_000, f"{peak / 1e6:.0f} MB"
    print(f"100,000 spans: {elapsed:.2f}s, peak {peak / 1e6:.1f} MB")


def test_the_span_cap_can_be_set() -> None:
    async def agent(case: Any, tools: Any) -> str:
        for i in range(4):
            with tools.span("other", f"s{i}"):
                pass
        return "done"

    assert run(fixture(), agent, max_spans=4).error is None
    outcome = run(fixture(), agent, max_spans=3)
    assert outcome.error == "emitted more than 3 spans; the trace keeps the first 3"
    assert refs(outcome) == ["other:s0", "other:s1", "other:s2"]


def test_a_sync_agent_runs_on_a_worker_thread_with_the_same_tools() -> None:
    threads: list[str] = []

    def agent(case: Any, tools: Any) -> dict[str, Any]:
        threads.append(threading.current_thread().name)
        with tools.span("policy", "limit") as step:
            order = tools.call("read_order", order_id=case.input["order_id"])
            step.note(status="denied")
        return {"output": f"amount {order['amount']}", "stop_reason": "policy_denied"}

    outcome = run(fixture(input={"order_id": "o1"}, tools=MOCKS), agent)

    assert outcome.error is None
    assert outcome.output == "amount 10"
    assert outcome.stop_reason == "policy_denied"
    assert threads and threads[0] != threading.main_thread().name
    assert span(outcome, "tool:read_order").parent_span_id == span(outcome, "policy:limit").span_id
    assert span(outcome, "policy:limit").status is SpanStatus.DENIED


def test_a_sync_agent_that_raises_or_hangs_is_an_error() -> None:
    release = threading.Event()

    def raises(case: Any, tools: Any) -> str:
        raise RuntimeError("boom")

    def hangs(case: Any, tools: Any) -> str:
        release.wait(30)
        tools.call("read_order")  # after the replay ended: refused, and not recorded
        return "late"

    assert run(fixture(), raises).error == "agent raised RuntimeError: boom"
    outcome = run(fixture(tools=MOCKS), hangs, timeout_s=0.2)
    release.set()
    assert outcome.error == "timed out after 0.2 s"
    assert refs(outcome) == []


def _decorated(fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any) -> Any:
        return fn(*args)

    return wrapper


class CallableAgent:
    async def __call__(self, case: Any, tools: Any) -> str:
        return str(await tools.call("read_order"))


@_decorated
async def decorated_agent(case: Any, tools: Any) -> str:
    return str(await tools.call("read_order"))


@pytest.mark.parametrize(
    "agent",
    [CallableAgent(), decorated_agent, functools.partial(CallableAgent().__call__)],
    ids=["callable-object", "decorated", "partial"],
)
def test_async_agents_are_recognised_through_wrappers(agent: Any) -> None:
    outcome = run(fixture(tools=MOCKS), agent)
    assert outcome.error is None
    assert outcome.output == "{'amount': 10}"


def test_concurrent_replays_keep_their_spans_apart() -> None:
    from ratchet.core.clock import ManualClock
    from ratchet.core.ids import SequentialIds
    from ratchet.evaluate.replay import replay

    async def agent(case: Any, tools: Any) -> str:
        name = case.id
        with tools.span("workflow", name):
            for _ in range(3):
                await asyncio.sleep(0)
                await tools.call("read_order", who=name)
        return name

    async def both() -> list[Any]:
        return list(
            await asyncio.gather(
                *(
                    replay(
                        fixture(id=f"fx{i}", tools=MOCKS),
                        agent,
                        clock=ManualClock(),
                        ids=SequentialIds(),
                    )
                    for i in range(2)
                )
            )
        )

    for i, outcome in enumerate(asyncio.run(both())):
        assert refs(outcome) == [f"workflow:fx{i}"] + ["tool:read_order"] * 3
        assert {s.tool.arguments["who"] for s in outcome.trace.spans if s.tool} == {f"fx{i}"}


@pytest.fixture(autouse=True)
def _no_leaked_frames() -> Iterator[None]:
    from ratchet.evaluate.replay.recording import CURRENT

    yield
    assert CURRENT.get() is None
