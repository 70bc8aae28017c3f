"""Whatever an instrumentation sends, mapping never fails and the record is JSON-safe.

Ingest maps every accepted span; an exception here would lose data the
server already acknowledged, so odd values (wrong types, broken JSON,
bytes, nested lists) must map to something rather than raise.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ratchet.capture.conventions import map_span
from ratchet.capture.rawspan import RawSpan

KNOWN_KEYS = [
    "ratchet.span.type",
    "ratchet.span.name",
    "ratchet.span.status",
    "ratchet.input",
    "ratchet.output",
    "ratchet.tool.name",
    "ratchet.tool.arguments",
    "ratchet.tool.result",
    "ratchet.cost",
    "ratchet.surface",
    "ratchet.version.prompt.p",
    "ratchet.version.nonsense.x",
    "ratchet.version.prompt",
    "openinference.span.kind",
    "input.value",
    "input.mime_type",
    "output.value",
    "llm.input_messages.0.message.role",
    "llm.input_messages.0.message.content",
    "llm.input_messages.x.message.content",
    "llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments",
    "llm.input_messages.1.message.contents.0.message_content.type",
    "llm.output_messages.0.message.content",
    "llm.token_count.prompt",
    "llm.cost.total",
    "tool.name",
    "gen_ai.operation.name",
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.system_instructions",
    "gen_ai.prompt",
    "gen_ai.prompt.0.content",
    "gen_ai.prompt.0.tool_calls.0.arguments",
    "gen_ai.completion.0.role",
    "gen_ai.tool.call.arguments",
    "gen_ai.usage.input_tokens",
    "gen_ai.response.model",
    "traceloop.span.kind",
    "traceloop.entity.input",
    "traceloop.entity.output",
    "llm.prompts.0.content",
    "session.id",
]
SPAN_TYPES = ["tool", "model", "LLM", "TOOL", "chat", "execute_tool", "agent", "task"]

scalars = st.one_of(
    st.text(max_size=12),
    st.sampled_from([*SPAN_TYPES, '{"a": 1}', "[1, 2]", '[{"role": "user"}]', "{bad", '"q"']),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.binary(max_size=6),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)
attributes = st.dictionaries(
    st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=10)), values, max_size=12
)
events = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(
                [
                    "gen_ai.user.message",
                    "gen_ai.choice",
                    "exception",
                    "other",
                    "gen_ai.client.inference.operation.details",
                    "gen_ai.content.prompt",
                ]
            ),
            "time_ns": st.integers(min_value=0, max_value=2**63),
            "attributes": st.dictionaries(
                st.sampled_from(
                    [
                        "content",
                        "message",
                        "role",
                        "index",
                        "tool_calls",
                        "gen_ai.input.messages",
                        "gen_ai.prompt",
                        "exception.message",
                    ]
                ),
                values,
                max_size=4,
            ),
        }
    ),
    max_size=3,
)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(attrs=attributes, resource=attributes, evs=events, kind=st.integers(-1, 9))
def test_any_span_maps_to_a_json_safe_record(
    attrs: dict[str, Any], resource: dict[str, Any], evs: list[dict[str, Any]], kind: int
) -> None:
    raw = RawSpan(
        trace_id="0af7651916cd43dd8448eb211c80319c",
        span_id="b7ad6b7169203331",
        parent_span_id=None,
        name="n",
        kind=kind,
        start_ns=10,
        end_ns=5,
        status_code=2,
        status_message="",
        attributes=attrs,
        events=evs,
        resource=resource,
    )
    record = map_span(raw)
    assert record.end_ns == 10
    assert isinstance(record.name, str)
    for value in (record.input, record.output, record.attributes, record.events):
        json.dumps(value)
    json.dumps([record.tool_arguments, record.tool_result, record.versions])
