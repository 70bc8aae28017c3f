"""OTLP protobuf bodies decode to the spans that were sent."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.proto.trace.v1.trace_pb2 import Span
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode

from ratchet.capture.otlp import UndecodableBody, decode_protobuf
from tests.capture.otlp_samples import (
    OTHER_TRACE_ID,
    field,
    protobuf_request,
    span,
    to_protobuf,
    varint,
    with_raw_attribute,
)


def _sdk_spans() -> list:  # type: ignore[type-arg]
    exporter = InMemorySpanExporter()
    provider = TracerProvider(
        resource=Resource.create({"service.name": "refund-agent", "service.version": "2.1.0"})
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("refund.instrumentation", "0.3")
    with tracer.start_as_current_span("agent.run", kind=SpanKind.SERVER) as root:
        root.set_attribute("openinference.span.kind", "AGENT")
        root.set_attribute("input.value", '{"order_id": "ord_1", "amount": 840}')
        with tracer.start_as_current_span("issue_refund") as tool:
            tool.set_attribute("openinference.span.kind", "TOOL")
            tool.set_attribute("llm.token_count.prompt", 1234)
            tool.set_attribute("score", 0.25)
            tool.set_attribute("retry", True)
            tool.set_attribute("tags", ["refund", "finance"])
            tool.set_attribute("counts", [1, -2, 3])
            tool.add_event("exception", {"exception.type": "ValueError", "attempt": 2})
            tool.set_status(Status(StatusCode.ERROR, "amount over threshold"))
    provider.shutdown()
    return list(exporter.get_finished_spans())


def test_spans_from_the_real_sdk_decode_to_their_ids_names_attributes_and_times() -> None:
    sdk_spans = _sdk_spans()
    body = encode_spans(sdk_spans).SerializeToString()

    result = decode_protobuf(body)

    assert result.rejected == 0
    by_name = {raw.name: raw for raw in result.spans}
    assert set(by_name) == {"agent.run", "issue_refund"}
    for sdk_span in sdk_spans:
        raw = by_name[sdk_span.name]
        assert raw.trace_id == format(sdk_span.context.trace_id, "032x")
        assert raw.span_id == format(sdk_span.context.span_id, "016x")
        expected_parent = format(sdk_span.parent.span_id, "016x") if sdk_span.parent else None
        assert raw.parent_span_id == expected_parent
        assert (raw.start_ns, raw.end_ns) == (sdk_span.start_time, sdk_span.end_time)
        expected = {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in sdk_span.attributes.items()
        }
        assert raw.attributes == expected
        assert raw.scope == "refund.instrumentation"
        assert raw.resource["service.name"] == "refund-agent"
    tool, root = by_name["issue_refund"], by_name["agent.run"]
    assert tool.status_code == 2 and tool.status_message == "amount over threshold"
    assert root.kind == 2  # SPAN_KIND_SERVER
    assert tool.events[0]["name"] == "exception"
    assert tool.events[0]["attributes"] == {"exception.type": "ValueError", "attempt": 2}
    assert tool.events[0]["time_ns"] == sdk_span_event_time(sdk_spans, "issue_refund")
    assert tool.resource is root.resource  # one dict per ResourceSpans, shared


def sdk_span_event_time(sdk_spans: list, name: str) -> int:  # type: ignore[type-arg]
    return next(s for s in sdk_spans if s.name == name).events[0].timestamp  # type: ignore[no-any-return]


def test_every_field_and_value_type_round_trips() -> None:
    resource = {"service.name": "agent", "replicas": 3}
    spans = [
        span(
            "ChatCompletion",
            index=1,
            parent_span_id="00f067aa0ba902b7",
            kind=3,
            status_code=2,
            status_message="rate limited",
            attributes={
                "text": "héllo ✓",
                "empty": "",
                "count": -42,
                "big": 2**63 - 1,
                "small": -(2**63),
                "ratio": 0.5,
                "flag": False,
                "blob": b"\x00\x01\xff",
                "list": ["a", 1, [True, 2.5]],
                "map": {"inner": {"x": "y"}, "n": 7},
                "nothing": None,
            },
            events=[{"name": "retry", "time_ns": 17, "attributes": {"attempt": 1}}],
            resource=resource,
        ),
        span("get_weather", index=2, trace_id=OTHER_TRACE_ID, resource=resource, scope="tools"),
    ]

    result = decode_protobuf(to_protobuf(spans))

    assert result.spans == spans
    assert result.spans[0].resource is result.spans[1].resource
    assert result.spans[1].scope == "tools"


def test_ids_are_lowercase_hex_and_an_empty_or_zero_parent_is_none() -> None:
    zero_parent = protobuf_request([span(index=2)])
    zero_parent.resource_spans[0].scope_spans[0].spans[0].parent_span_id = bytes(8)
    body = to_protobuf([span(index=1)]) + zero_parent.SerializeToString()

    result = decode_protobuf(body)

    assert [raw.parent_span_id for raw in result.spans] == [None, None]
    assert result.spans[0].trace_id == "0af7651916cd43dd8448eb211c80319c"


@pytest.mark.parametrize(
    ("field_name", "value", "expected"),
    [
        ("trace_id", b"\x01" * 15, "trace_id is 15 bytes"),
        ("trace_id", bytes(16), "trace_id is all zeros"),
        ("span_id", b"\x01" * 16, "span_id is 16 bytes"),
        ("span_id", bytes(8), "span_id is all zeros"),
        ("parent_span_id", b"\x01" * 4, "parent_span_id is 4 bytes"),
    ],
)
def test_a_span_with_a_bad_id_is_refused_and_its_siblings_kept(
    field_name: str, value: bytes, expected: str
) -> None:
    request = protobuf_request([span("good", index=1), span("get_weather", index=2)])
    setattr(request.resource_spans[0].scope_spans[0].spans[1], field_name, value)

    result = decode_protobuf(request.SerializeToString())

    assert [raw.name for raw in result.spans] == ["good"]
    assert result.rejected == 1
    assert result.errors[0].startswith("span 1 ('get_weather'): ")
    assert expected in result.errors[0]


def test_a_truncated_body_is_undecodable_and_the_message_says_truncated() -> None:
    body = to_protobuf([span(attributes={"input.value": "x" * 500})])

    with pytest.raises(UndecodableBody) as caught:
        decode_protobuf(body[: len(body) - 40])

    message = str(caught.value)
    assert message.startswith("body is not a valid OTLP ExportTraceServiceRequest protobuf")
    assert "truncated" in message


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        (b'{"resourceSpans": []}', "Content-Type: application/json"),
        (b"\x1f\x8b\x08\x00\x00\x00", "Content-Encoding: gzip"),
        (b"\x0f\x01", "invalid field tag"),
    ],
)
def test_a_body_that_is_not_protobuf_gets_a_hint(body: bytes, hint: str) -> None:
    with pytest.raises(UndecodableBody, match=hint):
        decode_protobuf(body)


def test_an_empty_body_is_an_empty_request() -> None:
    result = decode_protobuf(b"")

    assert result.spans == [] and result.rejected == 0


def test_unknown_fields_at_every_level_are_ignored() -> None:
    unknown = field(1000, b"future") + varint(1001 << 3) + varint(5)
    expected = span(attributes={"model": "gpt", "tokens": 12})
    request = protobuf_request([expected])
    message = request.resource_spans[0].scope_spans[0].spans[0]
    with_unknowns = Span()
    with_unknowns.MergeFromString(message.SerializeToString() + unknown)
    # Unknown fields inside a KeyValue and inside an AnyValue too.
    pair = field(1, b"model") + field(2, field(1, b"gpt") + unknown) + unknown
    with_unknowns.MergeFromString(field(9, pair))
    request.resource_spans[0].scope_spans[0].spans[0].CopyFrom(with_unknowns)
    body = request.SerializeToString() + unknown

    result = decode_protobuf(body)

    assert result.spans == [expected]


def test_attributes_in_unusual_wire_shapes_decode_like_the_protobuf_runtime_reads_them() -> None:
    # Value before key; a oneof set twice (the last wins); a key longer than 127 bytes;
    # a string longer than 16 KiB; an empty key.
    long_key = "k" * 200
    long_text = "é" * 9000
    pairs = [
        field(2, field(1, b"v")) + field(1, b"value-first"),
        field(1, b"twice") + field(2, field(1, b"old") + varint(3 << 3) + varint(5)),
        field(1, long_key.encode()) + field(2, field(1, b"x")),
        field(1, b"long") + field(2, field(1, long_text.encode())),
        field(2, field(1, b"no key")),
    ]
    request = protobuf_request([span()])
    message = request.resource_spans[0].scope_spans[0].spans[0]
    message.MergeFromString(b"".join(field(9, pair) for pair in pairs))

    result = decode_protobuf(request.SerializeToString())

    assert result.spans[0].attributes == {
        "value-first": "v",
        "twice": 5,
        long_key: "x",
        "long": long_text,
        "": "no key",
    }


def test_an_attribute_that_is_not_utf8_refuses_only_its_span() -> None:
    body = with_raw_attribute([span("good")], b"input.value", field(1, b"\xff\xfe"), name="bad")

    result = decode_protobuf(body)

    assert [raw.name for raw in result.spans] == ["good"]
    assert "span 1 ('bad'): attribute 'input.value' is not a valid KeyValue" in result.errors[0]


_scalars = (
    st.text(max_size=300)
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.booleans()
    | st.floats(allow_nan=False)
    | st.binary(max_size=40)
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.dictionaries(st.text(max_size=140), _values, max_size=12))
def test_any_attributes_decode_to_the_values_sent(attributes: dict) -> None:  # type: ignore[type-arg]
    sent = span(attributes=attributes)

    result = decode_protobuf(to_protobuf([sent]))

    assert result.spans == [sent]


def test_nan_and_infinities_survive() -> None:
    sent = span(attributes={"nan": math.nan, "inf": math.inf, "-inf": -math.inf})

    decoded = decode_protobuf(to_protobuf([sent])).spans[0].attributes

    assert math.isnan(decoded["nan"]) and decoded["inf"] == math.inf
    assert decoded["-inf"] == -math.inf


def test_decoding_twice_gives_equal_spans_with_fresh_attribute_dicts() -> None:
    body = to_protobuf([span(attributes={"openinference.span.kind": "LLM"})])

    first, second = decode_protobuf(body).spans[0], decode_protobuf(body).spans[0]
    first.attributes["openinference.span.kind"] = "changed"

    assert second.attributes == {"openinference.span.kind": "LLM"}
