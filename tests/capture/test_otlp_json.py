"""OTLP/JSON bodies decode to the same spans as their protobuf equivalents."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ratchet.capture.otlp import UndecodableBody, decode_json, decode_protobuf
from tests.capture.otlp_samples import (
    OTHER_TRACE_ID,
    TRACE_ID,
    json_body,
    json_request,
    span,
    to_json,
    to_protobuf,
)


def _request(*spans: dict[str, Any], resource: dict[str, Any] | None = None) -> bytes:
    """A hand-written OTLP/JSON body holding ``spans`` in one scope."""
    resource_spans: dict[str, Any] = {"scopeSpans": [{"scope": {"name": "agent"}, "spans": spans}]}
    if resource is not None:
        resource_spans["resource"] = resource
    return json_body({"resourceSpans": [resource_spans]})


def test_a_hand_written_request_decodes() -> None:
    body = b"""{
      "resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "agent"}}]},
        "scopeSpans": [{
          "scope": {"name": "openinference.instrumentation", "version": "1.0"},
          "spans": [{
            "traceId": "5B8EFFF798038103D269B633813FC60C",
            "spanId": "EEE19B7EC3C1B174",
            "parentSpanId": "EEE19B7EC3C1B173",
            "name": "get_weather",
            "kind": 3,
            "startTimeUnixNano": "1544712660000000000",
            "endTimeUnixNano": 1544712661000000000,
            "attributes": [
              {"key": "tool.name", "value": {"stringValue": "get_weather"}},
              {"key": "attempt", "value": {"intValue": "3"}},
              {"key": "latency", "value": {"intValue": 12}},
              {"key": "score", "value": {"doubleValue": 0.75}},
              {"key": "cached", "value": {"boolValue": true}},
              {"key": "raw", "value": {"bytesValue": "AAEC/w=="}},
              {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "a"}]}}},
              {"key": "args", "value": {"kvlistValue": {"values": [
                {"key": "city", "value": {"stringValue": "Oslo"}}]}}},
              {"key": "empty", "value": {}}
            ],
            "events": [{"name": "exception", "timeUnixNano": "1544712660500000000",
                        "attributes": [{"key": "exception.type", "value": {"stringValue": "E"}}]}],
            "status": {"code": 2, "message": "upstream timeout"}
          }]
        }]
      }]
    }"""

    result = decode_json(body)

    assert result.rejected == 0
    [raw] = result.spans
    assert raw.trace_id == "5b8efff798038103d269b633813fc60c"
    assert (raw.span_id, raw.parent_span_id) == ("eee19b7ec3c1b174", "eee19b7ec3c1b173")
    assert (raw.name, raw.kind, raw.scope) == ("get_weather", 3, "openinference.instrumentation")
    assert (raw.start_ns, raw.end_ns) == (1544712660000000000, 1544712661000000000)
    assert raw.attributes == {
        "tool.name": "get_weather",
        "attempt": 3,
        "latency": 12,
        "score": 0.75,
        "cached": True,
        "raw": b"\x00\x01\x02\xff",
        "tags": ["a"],
        "args": {"city": "Oslo"},
        "empty": None,
    }
    assert raw.events == [
        {"name": "exception", "time_ns": 1544712660500000000, "attributes": {"exception.type": "E"}}
    ]
    assert (raw.status_code, raw.status_message) == (2, "upstream timeout")
    assert raw.resource == {"service.name": "agent"}


def test_the_json_form_of_a_request_decodes_to_the_same_spans_as_its_protobuf_form() -> None:
    resource = {"service.name": "agent", "service.version": "1.2.0"}
    spans = [
        span(
            "ChatCompletion",
            index=1,
            parent_span_id="00f067aa0ba902b7",
            kind=3,
            status_code=2,
            status_message="rate limited",
            attributes={
                "text": "héllo",
                "count": -(2**63),
                "ratio": 1.5,
                "flag": True,
                "blob": b"\xff",
                "list": [1, "a", [False]],
                "map": {"k": {"n": 1.0}},
            },
            events=[{"name": "retry", "time_ns": 5, "attributes": {"attempt": 1}}],
            resource=resource,
        ),
        span("get_weather", index=2, trace_id=OTHER_TRACE_ID, resource=resource, scope="tools"),
    ]

    from_json, from_protobuf = decode_json(to_json(spans)), decode_protobuf(to_protobuf(spans))

    assert from_json.spans == from_protobuf.spans == spans
    assert from_json.spans[0].resource is from_json.spans[1].resource


def test_spans_from_the_real_sdk_decode_the_same_from_json_and_protobuf() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("agent")
    with tracer.start_as_current_span("agent.run") as root:
        root.set_attribute("session.id", "sess-1")
        with tracer.start_as_current_span("search") as child:
            child.set_attribute("retrieval.documents", ["a", "b"])
    provider.shutdown()
    from_protobuf = decode_protobuf(encode_spans(exporter.get_finished_spans()).SerializeToString())

    from_json = decode_json(to_json(from_protobuf.spans))

    assert from_json.spans == from_protobuf.spans
    assert len(from_json.spans) == 2


def test_snake_case_keys_are_accepted() -> None:
    body = json_body(
        {
            "resource_spans": [
                {
                    "resource": {"attributes": [{"key": "a", "value": {"string_value": "b"}}]},
                    "scope_spans": [
                        {
                            "spans": [
                                {
                                    "trace_id": TRACE_ID,
                                    "span_id": "0000000000000001",
                                    "parent_span_id": "0000000000000002",
                                    "name": "s",
                                    "start_time_unix_nano": "10",
                                    "end_time_unix_nano": "20",
                                    "attributes": [
                                        {"key": "n", "value": {"int_value": "5"}},
                                        {"key": "l", "value": {"array_value": {"values": []}}},
                                    ],
                                    "events": [{"name": "e", "time_unix_nano": "15"}],
                                }
                            ]
                        }
                    ],
                }
            ]
        }
    )

    [raw] = decode_json(body).spans

    assert (raw.parent_span_id, raw.start_ns, raw.end_ns) == ("0000000000000002", 10, 20)
    assert raw.attributes == {"n": 5, "l": []}
    assert raw.resource == {"a": "b"}
    assert raw.events == [{"name": "e", "time_ns": 15, "attributes": {}}]


def test_enum_names_are_accepted_as_well_as_numbers() -> None:
    body = _request(
        {
            "traceId": TRACE_ID,
            "spanId": "0000000000000001",
            "name": "s",
            "kind": "SPAN_KIND_SERVER",
            "status": {"code": "STATUS_CODE_ERROR"},
        }
    )

    [raw] = decode_json(body).spans

    assert (raw.kind, raw.status_code) == (2, 2)


def test_unknown_fields_are_ignored_at_every_level() -> None:
    request = json_request([span(attributes={"model": "gpt"})])
    request["future"] = 1
    request["resourceSpans"][0]["schemaUrl"] = "https://opentelemetry.io/schemas/1.21.0"
    scope_spans = request["resourceSpans"][0]["scopeSpans"][0]
    scope_spans["scope"]["droppedAttributesCount"] = 0
    item = scope_spans["spans"][0]
    item.update({"traceState": "x=1", "flags": 257, "links": [], "somethingNew": {"a": []}})
    item["attributes"][0]["extra"] = True
    item["attributes"][0]["value"]["newValueKind"] = 1

    [raw] = decode_json(json_body(request)).spans

    assert raw.attributes == {"model": "gpt"}


def test_base64_ids_are_refused_with_a_message_that_ids_are_hex() -> None:
    body = _request(
        {"traceId": TRACE_ID, "spanId": "0000000000000001", "name": "agent.run"},
        {"traceId": "AAECAwQFBgcICQoLDA0ODw==", "spanId": "AAECAwQFBgc=", "name": "get_weather"},
    )

    result = decode_json(body)

    assert [raw.name for raw in result.spans] == ["agent.run"]
    assert result.rejected == 1
    assert result.errors == [
        "span 1 ('get_weather'): traceId 'AAECAwQFBgcICQoLDA0ODw==' is not 32 hex characters; "
        "OTLP/JSON encodes ids as hex, not base64"
    ]


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (
            {"traceId": "abc", "spanId": "0000000000000001"},
            "traceId 'abc' is not 32 hex characters",
        ),
        (
            {"traceId": TRACE_ID, "spanId": "00000000000001"},
            "spanId '00000000000001' is not 16 hex",
        ),
        ({"traceId": TRACE_ID, "spanId": "zz00000000000001"}, "spanId 'zz00000000000001' is not"),
        ({"traceId": "0" * 32, "spanId": "0000000000000001"}, "traceId is all zeros"),
        ({"traceId": TRACE_ID, "spanId": "0" * 16}, "spanId is all zeros"),
        ({"spanId": "0000000000000001"}, "traceId is missing"),
        ({"traceId": TRACE_ID, "spanId": 7}, "spanId is a number"),
        (
            {"traceId": TRACE_ID, "spanId": "0000000000000001", "parentSpanId": "AAECAwQFBgc="},
            "parentSpanId 'AAECAwQFBgc=' is not 16 hex characters; OTLP/JSON encodes ids as hex",
        ),
    ],
)
def test_a_span_with_a_bad_id_is_refused_and_its_siblings_kept(
    ids: dict[str, Any], expected: str
) -> None:
    body = _request(
        {"traceId": TRACE_ID, "spanId": "0000000000000009", "name": "kept"},
        {"name": "search", **ids},
    )

    result = decode_json(body)

    assert [raw.name for raw in result.spans] == ["kept"]
    assert result.errors[0].startswith("span 1 ('search'): ")
    assert expected in result.errors[0]


@pytest.mark.parametrize(
    ("span_fields", "expected"),
    [
        ({"startTimeUnixNano": "soon"}, "startTimeUnixNano 'soon' is not an integer"),
        ({"kind": "SPAN_KIND_SIDEWAYS"}, "kind 'SPAN_KIND_SIDEWAYS' is not one of"),
        ({"attributes": {"a": 1}}, "has attributes that are an object, not a list"),
        (
            {"attributes": [{"key": "n", "value": {"intValue": "1.5"}}]},
            "attribute 'n' has intValue",
        ),
        ({"attributes": [{"key": "n", "value": {"intValue": "--5"}}]}, "'n' has intValue '--5'"),
        ({"attributes": [{"key": "n", "value": {"intValue": "9" * 5000}}]}, "'n' has intValue"),
        ({"attributes": [{"key": "b", "value": {"bytesValue": "%%%"}}]}, "not valid base64"),
        (
            {"attributes": [{"key": "s", "value": {"stringValue": 3}}]},
            "stringValue that is a number",
        ),
        ({"attributes": [{"key": "v", "value": "plain"}]}, "attribute 'v' has a value that is a"),
        ({"status": "ERROR"}, "status is a string, not an object"),
        ({"name": 5}, "name is a number, not a string"),
    ],
)
def test_a_malformed_span_is_refused_with_a_message_naming_the_field(
    span_fields: dict[str, Any], expected: str
) -> None:
    body = _request(
        {"traceId": TRACE_ID, "spanId": "0000000000000009", "name": "kept"},
        {"traceId": TRACE_ID, "spanId": "0000000000000001", "name": "bad", **span_fields},
    )

    result = decode_json(body)

    assert [raw.name for raw in result.spans] == ["kept"]
    assert expected in result.errors[0]


def test_doubles_may_be_strings_including_the_special_values() -> None:
    attributes = [
        {"key": "half", "value": {"doubleValue": "0.5"}},
        {"key": "inf", "value": {"doubleValue": "Infinity"}},
        {"key": "whole", "value": {"doubleValue": 2}},
    ]
    body = _request(
        {"traceId": TRACE_ID, "spanId": "0000000000000001", "name": "s", "attributes": attributes}
    )

    [raw] = decode_json(body).spans

    assert raw.attributes == {"half": 0.5, "inf": float("inf"), "whole": 2.0}
    assert isinstance(raw.attributes["whole"], float)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"[1, 2]", "body is not OTLP JSON: expected an object with resourceSpans, got a list"),
        (b'{"resourceLogs": []}', "expected an object with resourceSpans, got keys 'resourceLogs'"),
        (b'{"resourceSpans": {}}', "resourceSpans is an object, not a list"),
        (b'{"resourceSpans": [3]}', "resourceSpans[0] is a number"),
        (b'{"resourceSpans": [{"scopeSpans": [{"spans": 1}]}]}', "scopeSpans[0].spans is a"),
        (b'{"resourceSpans": [', "body is not valid JSON"),
        (b"\x0a\x05hello", "it looks like protobuf"),
    ],
)
def test_a_body_that_is_not_an_otlp_json_request_is_undecodable(body: bytes, expected: str) -> None:
    with pytest.raises(UndecodableBody) as caught:
        decode_json(body)

    assert expected in str(caught.value)


@pytest.mark.parametrize("body", [b"{}", b'{"resourceSpans": null}', b'{"resourceSpans": []}'])
def test_an_empty_request_has_no_spans(body: bytes) -> None:
    result = decode_json(body)

    assert result.spans == [] and result.rejected == 0


_scalars = (
    st.text(max_size=200)
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.binary(max_size=40)
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.dictionaries(st.text(max_size=40), _values, max_size=10))
def test_any_attributes_decode_to_the_values_sent(attributes: dict[str, Any]) -> None:
    sent = span(attributes=attributes)

    assert decode_json(to_json([sent])).spans == [sent]
