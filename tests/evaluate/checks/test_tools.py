"""tools_called, tools_not_called and tool_args."""

from __future__ import annotations

from typing import Any

from ratchet.evaluate.checks import schemas
from ratchet.evaluate.checks.apply import run_checks
from ratchet.evaluate.checks.registry import Run
from ratchet.evaluate.results import CheckResult
from ratchet.fixtures.model import Expectations
from tests.evaluate.checks.build import refund_run, run, span


def only(run_: Run, **expect: Any) -> CheckResult:
    (result,) = run_checks(Expectations.model_validate(expect), run_)
    return result


def test_tools_called_by_tool_name() -> None:
    result = only(refund_run(), tools_called=["read_order", "issue_refund"])
    assert result.passed
    assert result.message == "all 2 tools called"


def test_tools_called_names_the_tools_never_called() -> None:
    r = run(span("tool:read_order", 0), span("model:lookup_customer", 5))
    result = only(r, tools_called=["read_order", "lookup_customer", "escalate"])
    assert not result.passed
    assert result.message == "never called: lookup_customer, escalate"


def test_tools_not_called_points_at_the_calls() -> None:
    r = run(
        span("tool:issue_refund", 0, span_id="first"),
        span("tool:read_order", 5),
        span("tool:issue_refund", 10, span_id="again", side_effect=True),
    )
    result = only(r, tools_not_called=["issue_refund", "delete_account"])
    assert not result.passed
    assert result.message == "called: issue_refund"
    assert result.evidence == ["first", "again"]
    assert only(r, tools_not_called=["delete_account"]).passed


def test_tool_args_subset_of_one_call() -> None:
    r = run(
        span("tool:read_order", 0, args={"order_id": "ord_9", "fields": ["amount"]}),
        span("tool:read_order", 5, args={"order_id": "ord_1", "fields": ["amount", "status"]}),
    )
    assert only(r, tool_args={"read_order": {"order_id": "ord_1"}}).passed
    assert only(r, tool_args={"read_order": {"fields": ["amount", "status"]}}).passed


def test_tool_args_lists_must_be_equal() -> None:
    r = run(span("tool:read_order", 0, args={"fields": ["amount", "status"]}))
    result = only(r, tool_args={"read_order": {"fields": ["amount"]}})
    assert not result.passed


def test_tool_args_nested_mappings_are_subsets() -> None:
    r = run(
        span(
            "tool:issue_refund",
            0,
            span_id="refund",
            args={"order": {"id": "ord_1", "amount": 840, "currency": "EUR"}, "notify": True},
        )
    )
    assert only(r, tool_args={"issue_refund": {"order": {"amount": 840}}}).passed
    result = only(r, tool_args={"issue_refund": {"order": {"amount": 84}}})
    assert not result.passed
    assert result.message == "no call of issue_refund had order={'amount': 84} (1 call)"
    assert result.evidence == ["refund"]


def test_tool_args_true_is_not_one() -> None:
    r = run(span("tool:notify", 0, args={"urgent": 1}))
    assert not only(r, tool_args={"notify": {"urgent": True}}).passed
    assert only(r, tool_args={"notify": {"urgent": 1}}).passed


def test_tool_args_fail_when_the_tool_was_never_called() -> None:
    r = run(span("tool:read_order", 0, args={}))
    result = only(r, tool_args={"issue_refund": {"amount": 840}})
    assert not result.passed
    assert result.message == "issue_refund never called"
    schema = {"schema": {"type": "object"}}
    assert only(r, tool_args={"issue_refund": schema}).message == "issue_refund never called"


def test_tool_args_schema_checks_every_call() -> None:
    schema = {
        "type": "object",
        "required": ["order_id", "amount"],
        "properties": {"amount": {"type": "number", "maximum": 500}},
    }
    ok = run(span("tool:issue_refund", 0, args={"order_id": "o", "amount": 100}))
    assert only(ok, tool_args={"issue_refund": {"schema": schema}}).passed

    bad = run(
        span("tool:issue_refund", 0, args={"order_id": "o", "amount": 100}),
        span("tool:issue_refund", 5, span_id="big", args={"order_id": "o", "amount": 840}),
    )
    result = only(bad, tool_args={"issue_refund": {"schema": schema}})
    assert not result.passed
    assert result.message == (
        "issue_refund call #2 arguments: amount: 840 is greater than the maximum of 500"
    )
    assert result.evidence == ["big"]


def test_tool_args_schema_validator_is_compiled_once(monkeypatch: Any) -> None:
    compiled: list[Any] = []
    real = schemas._compile

    def counting(schema: Any) -> schemas.Validate:
        compiled.append(schema)
        return real(schema)

    monkeypatch.setattr(schemas, "_compile", counting)
    monkeypatch.setattr(schemas, "_cache", {})
    r = run(span("tool:t", 0, args={"a": 1}))
    for _ in range(3):
        # Equal schemas written with keys in another order share one validator.
        assert only(r, tool_args={"t": {"schema": {"type": "object", "required": ["a"]}}}).passed
        assert only(r, tool_args={"t": {"schema": {"required": ["a"], "type": "object"}}}).passed
    assert len(compiled) == 1


def test_tool_args_invalid_schema_says_so() -> None:
    r = run(span("tool:t", 0, args={"a": 1}))
    result = only(r, tool_args={"t": {"schema": {"type": "objekt"}}})
    assert not result.passed
    assert result.message.startswith("t: invalid JSON Schema: ")


def test_tool_args_reports_each_tool() -> None:
    r = refund_run()
    result = only(
        r,
        tool_args={
            "read_order": {"order_id": "ord_1"},
            "issue_refund": {"amount": 10},
            "escalate": {"to": "team"},
        },
    )
    assert not result.passed
    assert result.message == (
        "no call of issue_refund had amount=10 (1 call); escalate never called"
    )
    assert result.evidence == ["tool:issue_refund@90"]
