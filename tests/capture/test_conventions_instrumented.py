"""Spans from real instrumentation libraries, calling the real OpenAI client over HTTP.

Each test instruments the ``openai`` client with a published instrumentation
(OpenInference, or the OpenTelemetry GenAI one), calls a scripted local
OpenAI-compatible server, and maps the finished spans: what a user of that
library would see in Ratchet.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
import pytest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ratchet.capture.conventions import map_span
from ratchet.store.records import SpanRecord
from support.openai_server import ScriptedOpenAIServer, text_reply, tool_call_reply
from tests.capture.otel_to_raw import otel_to_raw

SYSTEM = "You are a refunds assistant."
USER = "Refund order ord_42 please."
MESSAGES: list[Any] = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}]
TOOLS: list[Any] = [
    {
        "type": "function",
        "function": {
            "name": "read_order",
            "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}},
        },
    }
]
# The scripted server counts whitespace words: 5 + 4 prompt words.
PROMPT_TOKENS = 9


class Instrumented:
    """An instrumented tracer provider whose finished spans the test maps."""

    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.provider = TracerProvider(
            resource=Resource.create({"service.name": "refund-agent", "service.version": "3.1"})
        )
        self.provider.add_span_processor(SimpleSpanProcessor(self.exporter))

    def records(self) -> list[SpanRecord]:
        return [map_span(otel_to_raw(span)) for span in self.exporter.get_finished_spans()]


@pytest.fixture(params=["openinference", "genai"])
def instrumented(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The OpenAI client instrumented by one library, undone after the test."""
    setup = Instrumented()
    instrumentor: Any
    if request.param == "openinference":
        from openinference.instrumentation.openai import OpenAIInstrumentor

        instrumentor = OpenAIInstrumentor()
    else:
        # The GenAI instrumentation captures message content only when asked;
        # its latest conventions take a mode name rather than "true".
        monkeypatch.setenv("OTEL_SEMCONV_STABILITY_OPT_IN", "gen_ai_latest_experimental")
        monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "span_only")
        from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor as GenAIInstrumentor

        instrumentor = GenAIInstrumentor()
    instrumentor.instrument(tracer_provider=setup.provider)
    try:
        yield setup
    finally:
        instrumentor.uninstrument()
        setup.provider.shutdown()


def _only(records: list[SpanRecord]) -> SpanRecord:
    assert len(records) == 1, [r.name for r in records]
    return records[0]


def _roles_and_text(messages: Any) -> list[tuple[str, Any]]:
    return [(m["role"], m["content"]) for m in messages]


def test_a_chat_completion_maps_to_a_model_span(instrumented: Instrumented) -> None:
    with ScriptedOpenAIServer([text_reply("I can help with that.", model="gpt-test-0101")]) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="test-key", max_retries=0)
        reply = client.chat.completions.create(model="gpt-test", messages=MESSAGES)
    assert reply.choices[0].message.content == "I can help with that."

    record = _only(instrumented.records())
    assert record.type == "model"
    assert record.model == "gpt-test-0101"
    assert record.status in {"ok", "unset"}
    assert _roles_and_text(record.input) == [("system", SYSTEM), ("user", USER)]
    assert _roles_and_text(record.output) == [("assistant", "I can help with that.")]
    assert (record.input_tokens, record.output_tokens, record.total_tokens) == (
        PROMPT_TOKENS,
        5,
        PROMPT_TOKENS + 5,
    )
    assert record.service == "refund-agent"
    assert record.service_version == "3.1"
    assert record.attributes["otel.span_name"] == record.name
    # Payloads live in input/output only, not a second time in attributes.
    assert not any(
        key.startswith(("llm.input_messages", "llm.output_messages", "gen_ai.input.messages"))
        or key in {"input.value", "output.value", "gen_ai.output.messages"}
        for key in record.attributes
    )


def test_a_tool_call_reply_keeps_the_requested_call(instrumented: Instrumented) -> None:
    script = [tool_call_reply("read_order", {"order_id": "ord_42"}, call_id="call_7")]
    with ScriptedOpenAIServer(script) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="test-key", max_retries=0)
        reply = client.chat.completions.create(model="gpt-test", messages=MESSAGES, tools=TOOLS)
    assert reply.choices[0].finish_reason == "tool_calls"

    record = _only(instrumented.records())
    assert record.type == "model"
    [message] = record.output
    assert message["role"] == "assistant"
    assert message["tool_calls"] == [
        {"name": "read_order", "arguments": {"order_id": "ord_42"}, "id": "call_7"}
    ]


def test_a_streamed_completion_maps_like_a_plain_one(instrumented: Instrumented) -> None:
    with ScriptedOpenAIServer(["Your refund needs approval."]) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="test-key", max_retries=0)
        stream = client.chat.completions.create(
            model="gpt-test",
            messages=MESSAGES,
            stream=True,
            stream_options={"include_usage": True},
        )
        text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert text == "Your refund needs approval."

    record = _only(instrumented.records())
    assert record.type == "model"
    assert record.model == "gpt-test"
    assert _roles_and_text(record.input) == [("system", SYSTEM), ("user", USER)]
    assert _roles_and_text(record.output) == [("assistant", "Your refund needs approval.")]
    assert (record.input_tokens, record.output_tokens) == (PROMPT_TOKENS, 4)


def test_openinference_session_and_user_context_reach_the_record() -> None:
    from openinference.instrumentation import using_session, using_user
    from openinference.instrumentation.openai import OpenAIInstrumentor

    setup = Instrumented()
    instrumentor = OpenAIInstrumentor()
    instrumentor.instrument(tracer_provider=setup.provider)
    try:
        with ScriptedOpenAIServer() as srv:
            client = openai.OpenAI(base_url=srv.base_url, api_key="test-key", max_retries=0)
            with using_session("Session-ABC 1"), using_user("user-9"):
                client.chat.completions.create(model="gpt-test", messages=MESSAGES)
    finally:
        instrumentor.uninstrument()
        setup.provider.shutdown()
    record = _only(setup.records())
    assert (record.session_id, record.user_id) == ("Session-ABC 1", "user-9")
    assert _roles_and_text(record.output) == [("assistant", f"echo: {USER}")]
