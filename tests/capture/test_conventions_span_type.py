"""Span type mapping: the DESIGN.md §3 precedence table, rule by rule, and fall-through."""

from __future__ import annotations

from typing import Any

import pytest

from ratchet.capture.conventions import map_span, resolve_span_type
from ratchet.capture.rawspan import RawSpan
from ratchet.core.spans import SpanType


def _raw(attrs: dict[str, Any]) -> RawSpan:
    return RawSpan(
        trace_id="0af7651916cd43dd8448eb211c80319c",
        span_id="b7ad6b7169203331",
        parent_span_id=None,
        name="step",
        kind=1,
        start_ns=1,
        end_ns=2,
        status_code=0,
        status_message="",
        attributes=attrs,
        events=[],
        resource={},
    )


@pytest.mark.parametrize("value", [t.value for t in SpanType])
def test_ratchet_span_type_accepts_every_span_type(value: str) -> None:
    assert map_span(_raw({"ratchet.span.type": value})).type == value


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("LLM", "model"),
        ("TOOL", "tool"),
        ("RETRIEVER", "retrieval"),
        ("RERANKER", "retrieval"),
        ("GUARDRAIL", "policy"),
        ("AGENT", "agent"),
        ("CHAIN", "workflow"),
        ("EMBEDDING", "model"),
        ("EVALUATOR", "other"),
        ("UNKNOWN", "other"),
        ("llm", "model"),
        ("Tool", "tool"),
    ],
)
def test_openinference_span_kind(kind: str, expected: str) -> None:
    assert map_span(_raw({"openinference.span.kind": kind})).type == expected


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        ("chat", "model"),
        ("text_completion", "model"),
        ("generate_content", "model"),
        ("embeddings", "model"),
        ("execute_tool", "tool"),
        ("retrieval", "retrieval"),
        ("invoke_agent", "agent"),
        ("create_agent", "agent"),
        ("invoke_workflow", "workflow"),
    ],
)
def test_genai_operation_name(operation: str, expected: str) -> None:
    assert map_span(_raw({"gen_ai.operation.name": operation})).type == expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("tool", "tool"), ("agent", "agent"), ("workflow", "workflow"), ("task", "workflow")],
)
def test_openllmetry_span_kind(kind: str, expected: str) -> None:
    assert map_span(_raw({"traceloop.span.kind": kind})).type == expected


def test_no_convention_means_other() -> None:
    assert map_span(_raw({"http.method": "GET"})).type == "other"


ALL_RULES = {
    "ratchet.span.type": "approval",
    "openinference.span.kind": "TOOL",
    "gen_ai.operation.name": "chat",
    "traceloop.span.kind": "agent",
}


@pytest.mark.parametrize(
    ("dropped", "expected"),
    [
        ((), "approval"),
        (("ratchet.span.type",), "tool"),
        (("ratchet.span.type", "openinference.span.kind"), "model"),
        (("ratchet.span.type", "openinference.span.kind", "gen_ai.operation.name"), "agent"),
    ],
)
def test_first_matching_rule_wins(dropped: tuple[str, ...], expected: str) -> None:
    attrs = {k: v for k, v in ALL_RULES.items() if k not in dropped}
    assert resolve_span_type(attrs) == expected


def test_unknown_ratchet_span_type_falls_through_to_the_next_rule() -> None:
    attrs = {"ratchet.span.type": "banana", "openinference.span.kind": "RETRIEVER"}
    assert map_span(_raw(attrs)).type == "retrieval"


def test_unknown_genai_operation_falls_through_to_openllmetry() -> None:
    attrs = {"gen_ai.operation.name": "summon", "traceloop.span.kind": "task"}
    assert map_span(_raw(attrs)).type == "workflow"


def test_unknown_values_everywhere_give_other() -> None:
    attrs = {
        "ratchet.span.type": "banana",
        "gen_ai.operation.name": "summon",
        "traceloop.span.kind": "unknown",
    }
    assert map_span(_raw(attrs)).type == "other"


def test_a_non_string_label_is_ignored() -> None:
    attrs = {"ratchet.span.type": 7, "gen_ai.operation.name": "execute_tool"}
    assert map_span(_raw(attrs)).type == "tool"


@pytest.mark.parametrize(
    ("request_type", "expected"),
    [("chat", "model"), ("completion", "model"), ("embedding", "model"), ("rerank", "retrieval")],
)
def test_openllmetry_model_calls_marked_only_by_request_type(
    request_type: str, expected: str
) -> None:
    assert resolve_span_type({"llm.request.type": request_type}) == expected
    # The conventions above it still win.
    both = {"llm.request.type": request_type, "traceloop.span.kind": "task"}
    assert resolve_span_type(both) == "workflow"
