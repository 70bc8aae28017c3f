"""Convention mapping rules a reader of a trace relies on: names, status, payloads, hints."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ratchet.capture.conventions import map_span
from ratchet.capture.rawspan import RawSpan

TRACE = "0af7651916cd43dd8448eb211c80319c"


def raw(attrs: dict[str, Any] | None = None, **fields: Any) -> RawSpan:
    values: dict[str, Any] = {
        "trace_id": TRACE,
        "span_id": "b7ad6b7169203331",
        "parent_span_id": "00f067aa0ba902b7",
        "name": "otel-name",
        "kind": 1,
        "start_ns": 1_000,
        "end_ns": 2_000,
        "status_code": 0,
        "status_message": "",
        "attributes": attrs or {},
        "events": [],
        "resource": {},
    }
    values.update(fields)
    return RawSpan(**values)


# --- names ---------------------------------------------------------------

TOOL_SPANS = {
    "ratchet": {"ratchet.span.type": "tool", "ratchet.tool.name": "read_order"},
    "openinference": {"openinference.span.kind": "TOOL", "tool.name": "read_order"},
    "genai": {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "read_order"},
    "openllmetry": {"traceloop.span.kind": "tool", "traceloop.entity.name": "read_order"},
}


@pytest.mark.parametrize("convention", sorted(TOOL_SPANS))
def test_a_tool_span_is_named_for_its_tool(convention: str) -> None:
    record = map_span(raw(TOOL_SPANS[convention], name="execute_tool read_order (v2)"))
    assert record.type == "tool"
    assert record.name == "read_order"
    assert record.attributes["otel.span_name"] == "execute_tool read_order (v2)"


def test_a_tool_span_without_a_tool_name_keeps_its_otel_name() -> None:
    record = map_span(raw({"openinference.span.kind": "TOOL"}, name="lookup"))
    assert (record.type, record.name) == ("tool", "lookup")


def test_ratchet_tool_name_beats_other_conventions() -> None:
    attrs = {**TOOL_SPANS["genai"], "ratchet.tool.name": "issue_refund", "tool.name": "x"}
    assert map_span(raw(attrs)).name == "issue_refund"


def test_other_spans_use_ratchet_span_name_then_otel_name() -> None:
    named = map_span(raw({"ratchet.span.type": "approval", "ratchet.span.name": "required"}))
    assert (named.name, named.attributes["otel.span_name"]) == ("required", "otel-name")
    assert map_span(raw({"openinference.span.kind": "LLM", "tool.name": "x"})).name == "otel-name"


# --- status --------------------------------------------------------------


@pytest.mark.parametrize(("code", "status"), [(0, "unset"), (1, "ok"), (2, "error")])
def test_otlp_status_codes(code: int, status: str) -> None:
    assert map_span(raw(status_code=code)).status == status


def test_ratchet_status_wins_over_otlp_status() -> None:
    record = map_span(raw({"ratchet.span.status": "denied"}, status_code=2, status_message="no"))
    assert (record.status, record.status_message) == ("denied", "no")


def test_an_unknown_ratchet_status_is_ignored() -> None:
    assert map_span(raw({"ratchet.span.status": "maybe"}, status_code=1)).status == "ok"


def test_an_error_without_message_takes_the_exception_message() -> None:
    event = {
        "name": "exception",
        "time_ns": 1_500,
        "attributes": {"exception.type": "KeyError", "exception.message": "order not found"},
    }
    record = map_span(raw(status_code=2, events=[event]))
    assert record.status_message == "order not found"
    assert record.events[0]["name"] == "exception"
    with_message = map_span(raw(status_code=2, status_message="boom", events=[event]))
    assert with_message.status_message == "boom"
    not_an_error = map_span(raw(status_code=1, events=[event]))
    assert not_an_error.status_message is None


# --- input and output ----------------------------------------------------


def test_input_value_is_parsed_when_declared_json_or_shaped_like_json() -> None:
    declared = map_span(raw({"input.value": "42", "input.mime_type": "application/json"}))
    assert declared.input == 42
    undeclared = map_span(raw({"input.value": "42", "output.value": '{"a": [1, 2]}'}))
    assert (undeclared.input, undeclared.output) == ("42", {"a": [1, 2]})
    broken = map_span(raw({"input.value": "{not json", "input.mime_type": "application/json"}))
    assert broken.input == "{not json"


def test_ratchet_payloads_win_over_every_convention() -> None:
    attrs = {
        "openinference.span.kind": "LLM",
        "ratchet.input": "plain question",
        "ratchet.output": '{"answer": "yes"}',
        "input.value": "other",
        "llm.input_messages.0.message.role": "user",
        "llm.input_messages.0.message.content": "hello",
    }
    record = map_span(raw(attrs))
    assert (record.input, record.output) == ("plain question", {"answer": "yes"})
    assert not any(k.startswith(("llm.input_messages", "input.value")) for k in record.attributes)


def test_ratchet_input_accepts_a_json_string_literal() -> None:
    assert map_span(raw({"ratchet.input": json.dumps("hi there")})).input == "hi there"


def test_model_spans_prefer_messages_other_spans_prefer_input_value() -> None:
    attrs = {
        "input.value": '{"messages": []}',
        "llm.input_messages.0.message.role": "user",
        "llm.input_messages.0.message.content": "hello",
    }
    model = map_span(raw({**attrs, "openinference.span.kind": "LLM"}))
    assert model.input == [{"role": "user", "content": "hello"}]
    agent = map_span(raw({**attrs, "openinference.span.kind": "AGENT"}))
    assert agent.input == {"messages": []}


def test_messages_come_back_in_index_order_even_past_nine() -> None:
    attrs: dict[str, Any] = {"openinference.span.kind": "LLM"}
    for i in reversed(range(12)):
        attrs[f"llm.input_messages.{i}.message.role"] = "user"
        attrs[f"llm.input_messages.{i}.message.content"] = f"m{i}"
    record = map_span(raw(attrs))
    assert [m["content"] for m in record.input] == [f"m{i}" for i in range(12)]


def test_structured_genai_messages_are_accepted_as_well_as_json_text() -> None:
    messages = [{"role": "user", "parts": [{"type": "text", "content": "hi"}]}]
    for value in (messages, json.dumps(messages)):
        attrs = {"gen_ai.operation.name": "chat", "gen_ai.input.messages": value}
        assert map_span(raw(attrs)).input == [{"role": "user", "content": "hi"}]


def test_an_old_bare_prompt_string_is_kept_as_a_message() -> None:
    attrs = {
        "gen_ai.operation.name": "text_completion",
        "gen_ai.prompt": "Say hi",
        "gen_ai.completion": "hi",
    }
    record = map_span(raw(attrs))
    assert record.input == [{"role": "user", "content": "Say hi"}]
    assert record.output == [{"role": "assistant", "content": "hi"}]


# --- tool payloads -------------------------------------------------------


def test_tool_payload_keys_stay_attributes_on_spans_that_are_not_tools() -> None:
    attrs = {"gen_ai.operation.name": "chat", "gen_ai.tool.call.arguments": '{"a": 1}'}
    record = map_span(raw(attrs))
    assert record.tool_arguments is None
    assert record.attributes["gen_ai.tool.call.arguments"] == '{"a": 1}'


def test_tool_arguments_prefer_ratchet_then_genai_then_input_value() -> None:
    attrs = {
        "openinference.span.kind": "TOOL",
        "input.value": '{"from": "input.value"}',
        "gen_ai.tool.call.arguments": '{"from": "genai"}',
    }
    assert map_span(raw(attrs)).tool_arguments == {"from": "genai"}
    with_ratchet = {**attrs, "ratchet.tool.arguments": '{"from": "ratchet"}'}
    assert map_span(raw(with_ratchet)).tool_arguments == {"from": "ratchet"}
    del attrs["gen_ai.tool.call.arguments"]
    assert map_span(raw(attrs)).tool_arguments == {"from": "input.value"}


def test_a_decorated_call_with_positional_arguments_is_kept_whole() -> None:
    attrs = {
        "traceloop.span.kind": "tool",
        "traceloop.entity.input": '{"args": ["ord_1"], "kwargs": {}}',
    }
    assert map_span(raw(attrs)).tool_arguments == {"args": ["ord_1"], "kwargs": {}}


# --- model, tokens, cost -------------------------------------------------


def test_model_precedence() -> None:
    attrs = {"gen_ai.request.model": "req", "gen_ai.response.model": "resp"}
    assert map_span(raw(attrs)).model == "resp"
    assert map_span(raw({**attrs, "llm.model_name": "oi"})).model == "oi"
    assert map_span(raw({"gen_ai.request.model": "req"})).model == "req"


def test_tokens_and_their_total() -> None:
    record = map_span(raw({"gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": "4"}))
    assert (record.input_tokens, record.output_tokens, record.total_tokens) == (10, 4, 14)
    given = map_span(raw({"llm.token_count.prompt": 3, "llm.token_count.total": 99}))
    assert (given.input_tokens, given.output_tokens, given.total_tokens) == (3, None, 99)
    none = map_span(raw({}))
    assert (none.input_tokens, none.output_tokens, none.total_tokens) == (None, None, None)


def test_cost() -> None:
    assert map_span(raw({"llm.cost.total": 0.25})).cost == 0.25
    assert map_span(raw({"llm.cost.total": 0.25, "ratchet.cost": 1})).cost == 1.0
    assert map_span(raw({"ratchet.cost": "n/a"})).cost is None


# --- trace-level hints ---------------------------------------------------


def test_session_and_user_hints() -> None:
    attrs = {
        "gen_ai.conversation.id": "conv",
        "traceloop.association.properties.session_id": "tl",
        "enduser.id": "end",
    }
    record = map_span(raw(attrs))
    assert (record.session_id, record.user_id) == ("conv", "end")
    exact = map_span(raw({**attrs, "session.id": " Mixed-Case 42 ", "user.id": "u"}))
    assert (exact.session_id, exact.user_id) == (" Mixed-Case 42 ", "u")


def test_versions_from_resource_and_span() -> None:
    resource = {
        "service.name": "agent",
        "service.version": "1.2",
        "ratchet.surface": "web",
        "ratchet.version.prompt.greeting": "v1",
        "ratchet.version.prompt.refund.reply": "v6",
    }
    attrs = {
        "ratchet.version.prompt.refund.reply": "v7",
        "ratchet.version.tool_schema.orders": "3",
        "ratchet.version.memory_rule.short": "a",
        "ratchet.version.shoe_size.left": "42",
    }
    record = map_span(raw(attrs, resource=resource))
    assert record.versions == {
        "prompt": {"greeting": "v1", "refund.reply": "v7"},
        "tool_schema": {"orders": "3"},
        "memory_rule": {"short": "a"},
    }
    assert (record.service, record.service_version, record.surface) == ("agent", "1.2", "web")
    assert record.attributes["ratchet.version.shoe_size.left"] == "42"
    assert "ratchet.version.prompt.refund.reply" not in record.attributes
    assert "ratchet.version.prompt.greeting" not in record.attributes
    assert resource["ratchet.version.prompt.refund.reply"] == "v6"


def test_span_level_service_version_and_surface() -> None:
    record = map_span(raw({"service.version": "9", "ratchet.surface": "api"}))
    assert (record.service, record.service_version, record.surface) == (None, "9", "api")


def test_records_of_one_resource_do_not_share_span_versions() -> None:
    resource = {"ratchet.version.prompt.a": "1"}
    first = map_span(raw({"ratchet.version.prompt.b": "2"}, resource=resource))
    second = map_span(raw({}, resource=resource))
    assert first.versions == {"prompt": {"a": "1", "b": "2"}}
    assert second.versions == {"prompt": {"a": "1"}}


def test_stop_reason_and_final_status_are_copied() -> None:
    attrs = {"ratchet.stop_reason": "max_turns", "ratchet.final_status": "failed"}
    record = map_span(raw(attrs))
    assert (record.stop_reason, record.final_status) == ("max_turns", "failed")


# --- attributes, events, times -------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (0, "unspecified"),
        (1, "internal"),
        (2, "server"),
        (3, "client"),
        (4, "producer"),
        (5, "consumer"),
    ],
)
def test_span_kind_is_named(kind: int, name: str) -> None:
    assert map_span(raw(kind=kind)).attributes["otel.span_kind"] == name


def test_scope_is_kept_only_when_sent() -> None:
    assert "otel.scope" not in map_span(raw()).attributes
    assert map_span(raw(scope="my.lib")).attributes["otel.scope"] == "my.lib"


def test_bytes_become_base64_text() -> None:
    attrs = {"blob": b"\x00\x01", "nested": [b"hi", {"k": b"\xff"}]}
    event = {"name": "chunk", "time_ns": 1_500, "attributes": {"data": b"ok"}}
    record = map_span(raw(attrs, events=[event]))
    assert record.attributes["blob"] == "AAE="
    assert record.attributes["nested"] == ["aGk=", {"k": "/w=="}]
    assert record.events == [{"name": "chunk", "time_ns": 1_500, "attributes": {"data": "b2s="}}]
    json.dumps(record.attributes)


def test_genai_message_events_move_into_the_payload_and_other_events_stay() -> None:
    events = [
        {"name": "gen_ai.user.message", "time_ns": 1_100, "attributes": {"content": "hi"}},
        {"name": "gen_ai.choice", "time_ns": 1_900, "attributes": {"message": {"content": "yo"}}},
        {"name": "cache.miss", "time_ns": 1_200, "attributes": {}},
    ]
    record = map_span(raw({"gen_ai.operation.name": "chat"}, events=events))
    assert record.input == [{"role": "user", "content": "hi"}]
    assert record.output == [{"role": "assistant", "content": "yo"}]
    assert [e["name"] for e in record.events] == ["cache.miss"]


def test_an_end_before_the_start_is_clamped() -> None:
    record = map_span(raw(start_ns=5_000, end_ns=4_000))
    assert (record.start_ns, record.end_ns) == (5_000, 5_000)


def test_ids_are_copied_and_an_empty_parent_means_root() -> None:
    record = map_span(raw(parent_span_id=""))
    assert (record.trace_id, record.span_id, record.parent_span_id) == (
        TRACE,
        "b7ad6b7169203331",
        None,
    )
