"""budgets: each bound measured and compared, message with value and bound."""

from __future__ import annotations

from typing import Any

from ratchet.core.spans import TokenUsage
from ratchet.evaluate.checks.apply import run_checks
from ratchet.evaluate.checks.registry import Run
from ratchet.evaluate.results import CheckResult
from ratchet.fixtures.model import Expectations
from tests.evaluate.checks.build import run, span


def budget(run_: Run, **bounds: Any) -> CheckResult:
    (result,) = run_checks(Expectations.model_validate({"budgets": bounds}), run_)
    return result


def busy_run() -> Run:
    return run(
        span("model:plan", 0, duration_ms=200, tokens=TokenUsage(total=1000), cost=0.01),
        span("tool:search", 210, span_id="s1"),
        span("tool:search", 230, span_id="s2"),
        span("tool:search", 250, span_id="s3"),
        span("tool:read", 270, span_id="r1"),
        span(
            "model:reply",
            300,
            duration_ms=700,
            tokens=TokenUsage(input=300, output=200),
            cost=0.005,
        ),
    )


def test_within_every_bound_says_each_value() -> None:
    result = budget(
        busy_run(),
        max_tool_calls=4,
        max_retries=2,
        max_tokens=1500,
        max_latency_ms=1000,
        max_cost=0.015,
    )
    assert result.passed
    assert result.message == (
        "within budget: tool calls 4 ≤ 4; retries 2 ≤ 2; tokens 1,500 ≤ 1,500; "
        "latency ms 1,000 ≤ 1,000; cost 0.015 ≤ 0.015"
    )


def test_over_budget_names_only_what_is_over() -> None:
    result = budget(busy_run(), max_tool_calls=3, max_tokens=2000, max_latency_ms=999.5)
    assert not result.passed
    assert result.message == "over budget: tool calls 4 > 3; latency ms 1,000 > 999.5"
    assert result.evidence == ["r1"]  # the call past the bound


def test_retries_are_calls_of_one_tool_beyond_the_first() -> None:
    result = budget(busy_run(), max_retries=1)
    assert not result.passed
    assert result.message == "over budget: retries 2 > 1"
    assert result.evidence == ["s2", "s3"]


def test_tokens_use_total_else_input_plus_output() -> None:
    result = budget(busy_run(), max_tokens=1499)
    assert result.message == "over budget: tokens 1,500 > 1,499"


def test_cost_sums_span_costs() -> None:
    result = budget(busy_run(), max_cost=0.01)
    assert not result.passed
    assert result.message == "over budget: cost 0.015 > 0.01"


def test_latency_runs_from_earliest_start_to_latest_end() -> None:
    r = run(
        span("workflow:root", 0, duration_ms=50),
        span("tool:slow", 10, duration_ms=2000),
        span("model:late", 100, duration_ms=10),
    )
    assert budget(r, max_latency_ms=2010).passed
    assert budget(r, max_latency_ms=2009).message == "over budget: latency ms 2,010 > 2,009"


def test_empty_run_spends_nothing() -> None:
    assert budget(run(), max_tool_calls=0, max_tokens=0, max_latency_ms=0, max_cost=0).passed


def test_a_budget_without_bounds_is_not_a_check() -> None:
    assert run_checks(Expectations.model_validate({"budgets": {}}), busy_run()) == []
