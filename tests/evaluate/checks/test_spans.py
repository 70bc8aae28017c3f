"""required_spans, forbidden_spans and order, as a fixture author writes them."""

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


def test_required_spans_pass_when_every_ref_is_there() -> None:
    result = only(refund_run(), required_spans=["tool:read_order", "approval:required"])
    assert result.passed
    assert result.check == "required_spans"
    assert result.message == "all 2 required spans present"


def test_required_spans_name_the_missing_refs() -> None:
    result = only(
        refund_run(),
        required_spans=["tool:read_order", "policy:fraud_check", "tool:Read_Order"],
    )
    assert not result.passed
    assert result.message == "missing: policy:fraud_check, tool:Read_Order"
    assert result.evidence == []


def test_required_spans_match_refs_exactly_not_as_globs() -> None:
    assert not only(refund_run(), required_spans=["tool:*"]).passed


def test_forbidden_spans_point_at_every_offending_span() -> None:
    r = run(
        span("tool:issue_refund", 0, span_id="a"),
        span("model:plan", 5, span_id="b"),
        span("tool:issue_refund", 10, span_id="c"),
    )
    result = only(r, forbidden_spans=["tool:issue_refund", "message:promise"])
    assert not result.passed
    assert result.message == "forbidden: tool:issue_refund"
    assert result.evidence == ["a", "c"]
    assert result.refs == ["tool:issue_refund", "tool:issue_refund"]


def test_forbidden_spans_count_replayed_side_effect_intents() -> None:
    result = only(refund_run(), forbidden_spans=["tool:issue_refund"])
    assert not result.passed
    assert result.evidence == ["tool:issue_refund@90"]


def test_forbidden_spans_pass_when_absent() -> None:
    result = only(refund_run(), forbidden_spans=["message:customer_promise_sent"])
    assert result.passed
    assert result.evidence == []


def test_order_holds_when_a_comes_first() -> None:
    result = only(refund_run(), order=[["approval:required", "message:customer_reply"]])
    assert result.passed
    assert result.message == "all 1 order constraints hold"


def test_order_fails_on_the_first_b_without_a_before_it() -> None:
    r = run(
        span("message:customer_reply", 0, span_id="early"),
        span("approval:required", 10),
        span("message:customer_reply", 20, span_id="late"),
    )
    result = only(r, order=[["approval:required", "message:customer_reply"]])
    assert not result.passed
    assert result.message == "message:customer_reply has no approval:required before it"
    assert result.evidence == ["early"]


def test_order_fails_when_a_never_happens() -> None:
    r = run(span("message:customer_reply", 0, span_id="reply"))
    result = only(r, order=[["approval:required", "message:customer_reply"]])
    assert not result.passed
    assert result.evidence == ["reply"]


def test_order_passes_when_b_never_happens() -> None:
    r = run(span("model:plan", 0))
    assert only(r, order=[["approval:required", "message:customer_reply"]]).passed


def test_order_uses_start_time_not_list_position() -> None:
    # Spans arrive in any order; the reply is listed first but started later.
    r = run(span("message:customer_reply", 20), span("approval:required", 10))
    assert only(r, order=[["approval:required", "message:customer_reply"]]).passed


def test_order_breaks_ties_by_position_in_the_trace() -> None:
    a_first = run(span("approval:required", 10), span("message:reply", 10))
    b_first = run(span("message:reply", 10, span_id="b"), span("approval:required", 10))
    pair = [["approval:required", "message:reply"]]
    assert only(a_first, order=pair).passed
    result = only(b_first, order=pair)
    assert not result.passed
    assert result.evidence == ["b"]


def test_order_accepts_globs() -> None:
    r = run(
        span("model:plan", 0),
        span("tool:read_order", 10, span_id="read"),
        span("approval:required", 20),
        span("tool:issue_refund", 30),
    )
    result = only(r, order=[["approval:*", "tool:*"]])
    assert not result.passed
    assert result.message == "tool:read_order (matching tool:*) has no approval:* before it"
    assert result.evidence == ["read"]
    assert only(r, order=[["model:*", "tool:*"]]).passed


def test_order_side_effect_matches_marked_spans_only() -> None:
    r = run(
        span("tool:read_order", 0),
        span("approval:required", 10),
        span("tool:issue_refund", 20, side_effect=True),
    )
    assert only(r, order=[["approval:required", "@side_effect"]]).passed

    early = run(
        span("tool:read_order", 0),
        span("tool:issue_refund", 5, span_id="intent", side_effect=True),
        span("approval:required", 10),
    )
    result = only(early, order=[["approval:required", "@side_effect"]])
    assert not result.passed
    assert result.message == (
        "tool:issue_refund (matching @side_effect) has no approval:required before it"
    )
    assert result.evidence == ["intent"]


def test_order_side_effect_reads_the_instrumented_tool_attribute_too() -> None:
    r = run(
        span("tool:send_email", 0, span_id="mail", attributes={"ratchet.tool.side_effect": True}),
        span("tool:read_order", 1, attributes={"ratchet.tool.side_effect": False}),
    )
    result = only(r, order=[["approval:required", "@side_effect"]])
    assert result.evidence == ["mail"]


def test_order_with_no_side_effect_passes() -> None:
    r = run(span("tool:read_order", 0))
    assert only(r, order=[["approval:required", "@side_effect"]]).passed


def test_order_reports_every_broken_pair() -> None:
    r = run(span("tool:a", 0, span_id="a"), span("tool:b", 10, span_id="b"))
    result = only(r, order=[["tool:b", "tool:a"], ["tool:a", "tool:b"], ["tool:c", "tool:b"]])
    assert result.message == "tool:a has no tool:b before it; tool:b has no tool:c before it"
    assert result.evidence == ["a", "b"]


def test_span_type_is_part_of_the_ref() -> None:
    r = run(span("model:read_order", 0))
    assert not only(r, required_spans=["tool:read_order"]).passed
    assert only(r, forbidden_spans=["tool:read_order"]).passed
