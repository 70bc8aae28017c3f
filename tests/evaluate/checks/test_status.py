"""stop_reason, final_status, no_error_spans and no_tool_after_denial."""

from __future__ import annotations

from typing import Any

from ratchet.evaluate.checks.apply import run_checks
from ratchet.evaluate.checks.registry import Run
from ratchet.evaluate.results import CheckResult
from ratchet.fixtures.model import Expectations
from tests.evaluate.checks.build import refund_run, run, span


def only(run_: Run, **expect: Any) -> CheckResult:
    (result,) = run_checks(Expectations.model_validate(expect), run_)
    return result


def test_stop_reason_and_final_status_equal() -> None:
    r = refund_run()
    assert only(r, stop_reason="needs_human_approval").passed
    assert only(r, final_status="needs_human").message == "final_status is 'needs_human'"


def test_stop_reason_mismatch_points_at_the_root() -> None:
    result = only(refund_run(), stop_reason="completed")
    assert not result.passed
    assert result.message == "stop_reason is 'needs_human_approval', expected 'completed'"
    assert result.evidence == ["root"]
    assert result.refs == ["workflow:refund"]


def test_final_status_not_set() -> None:
    result = only(run(span("model:plan", 0)), final_status="needs_human")
    assert not result.passed
    assert result.message == "final_status is not set, expected 'needs_human'"
    assert result.evidence == []


def test_no_error_spans() -> None:
    assert only(refund_run(), no_error_spans=True).passed
    r = run(
        span(
            "tool:read_order", 0, span_id="e1", status="error", status_message="timeout\nafter 30 s"
        ),
        span("model:plan", 5),
        span("tool:lookup", 10, span_id="e2", status="error"),
    )
    result = only(r, no_error_spans=True)
    assert not result.passed
    assert (
        result.message == "2 error spans: tool:read_order, tool:lookup (first: timeout after 30 s)"
    )
    assert result.evidence == ["e1", "e2"]


def test_false_flags_ask_for_nothing() -> None:
    r = run(span("tool:x", 0, status="error"))
    assert run_checks(Expectations(no_error_spans=False, no_tool_after_denial=False), r) == []


def test_no_tool_after_denial() -> None:
    r = run(
        span("tool:read_order", 0),
        span("policy:refund_threshold", 10, span_id="deny", status="denied"),
        span("message:reply", 20),
        span("tool:issue_refund", 30, span_id="after", side_effect=True),
    )
    result = only(r, no_tool_after_denial=True)
    assert not result.passed
    assert result.message == "tool:issue_refund called after policy:refund_threshold was denied"
    assert result.evidence == ["after"]


def test_no_tool_after_denial_passes_without_denial_or_later_tools() -> None:
    assert only(refund_run(), no_tool_after_denial=True).message == "no denial in the run"
    r = run(
        span("tool:read_order", 0),
        span("policy:refund_threshold", 10, status="denied"),
        span("message:reply", 20),
    )
    result = only(r, no_tool_after_denial=True)
    assert result.passed
    assert result.message == "no tool called after policy:refund_threshold"


def test_a_denied_tool_is_not_after_itself() -> None:
    r = run(span("tool:issue_refund", 0, status="denied"), span("message:reply", 5))
    assert only(r, no_tool_after_denial=True).passed
