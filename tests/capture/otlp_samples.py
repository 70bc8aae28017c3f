"""Build OTLP trace requests (protobuf and JSON) from the RawSpans they should decode to.

Protobuf requests are built with the real ``opentelemetry-proto`` classes;
JSON requests follow the OTLP/JSON encoding (hex ids, int64 as strings,
lowerCamelCase keys). A few raw wire helpers build what the protobuf classes
refuse to, such as values nested past the runtime's recursion limit.
"""

from __future__ import annotations

import base64
from typing import Any

import orjson
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

from ratchet.capture.rawspan import RawSpan

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
OTHER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
#: The default resource, one object so that spans built with it share a ResourceSpans.
RESOURCE: dict[str, Any] = {"service.name": "support-agent"}


def span(name: str = "search", index: int = 1, **fields: Any) -> RawSpan:
    """A RawSpan with distinct, valid ids and times; ``fields`` override any field."""
    values: dict[str, Any] = {
        "trace_id": TRACE_ID,
        "span_id": f"{index:016x}",
        "parent_span_id": None,
        "name": name,
        "kind": 1,
        "start_ns": 1_760_000_000_000_000_000 + index,
        "end_ns": 1_760_000_000_500_000_000 + index,
        "status_code": 0,
        "status_message": "",
        "attributes": {},
        "events": [],
        "resource": RESOURCE,
        "scope": "agent",
    }
    values.update(fields)
    return RawSpan(**values)


def set_any_value(target: AnyValue, value: Any) -> None:
    """Fill an AnyValue from a Python value (None leaves it empty)."""
    if value is None:
        return
    if isinstance(value, bool):
        target.bool_value = value
    elif isinstance(value, int):
        target.int_value = value
    elif isinstance(value, float):
        target.double_value = value
    elif isinstance(value, str):
        target.string_value = value
    elif isinstance(value, bytes):
        target.bytes_value = value
    elif isinstance(value, list):
        target.array_value.SetInParent()
        for item in value:
            set_any_value(target.array_value.values.add(), item)
    else:
        target.kvlist_value.SetInParent()
        for key, item in value.items():
            set_any_value(target.kvlist_value.values.add(key=key).value, item)


def fill_attributes(target: Any, attributes: dict[str, Any]) -> None:
    for key, value in attributes.items():
        set_any_value(target.add(key=key).value, value)


def _groups(spans: list[RawSpan]) -> list[tuple[dict[str, Any], list[tuple[str, list[RawSpan]]]]]:
    """Consecutive spans sharing a resource object, then a scope, go in one group."""
    groups: list[tuple[dict[str, Any], list[tuple[str, list[RawSpan]]]]] = []
    for raw in spans:
        if not groups or groups[-1][0] is not raw.resource:
            groups.append((raw.resource, []))
        scopes = groups[-1][1]
        if not scopes or scopes[-1][0] != raw.scope:
            scopes.append((raw.scope, []))
        scopes[-1][1].append(raw)
    return groups


def protobuf_request(spans: list[RawSpan]) -> ExportTraceServiceRequest:
    request = ExportTraceServiceRequest()
    for resource, scopes in _groups(spans):
        resource_spans = request.resource_spans.add()
        fill_attributes(resource_spans.resource.attributes, resource)
        for scope, members in scopes:
            scope_spans = resource_spans.scope_spans.add()
            scope_spans.scope.name = scope
            for raw in members:
                message = scope_spans.spans.add(
                    trace_id=bytes.fromhex(raw.trace_id),
                    span_id=bytes.fromhex(raw.span_id),
                    parent_span_id=bytes.fromhex(raw.parent_span_id or ""),
                    name=raw.name,
                    kind=raw.kind,
                    start_time_unix_nano=raw.start_ns,
                    end_time_unix_nano=raw.end_ns,
                )
                message.status.code = raw.status_code
                message.status.message = raw.status_message
                fill_attributes(message.attributes, raw.attributes)
                for event in raw.events:
                    added = message.events.add(name=event["name"], time_unix_nano=event["time_ns"])
                    fill_attributes(added.attributes, event["attributes"])
    return request


def to_protobuf(spans: list[RawSpan]) -> bytes:
    return protobuf_request(spans).SerializeToString()  # type: ignore[no-any-return]


def json_any_value(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, bytes):
        return {"bytesValue": base64.b64encode(value).decode()}
    if isinstance(value, list):
        return {"arrayValue": {"values": [json_any_value(item) for item in value]}}
    return {"kvlistValue": {"values": json_attributes(value)}}


def json_attributes(attributes: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": key, "value": json_any_value(value)} for key, value in attributes.items()]


def json_request(spans: list[RawSpan]) -> dict[str, Any]:
    """The OTLP/JSON form of the same request :func:`to_protobuf` builds."""
    resource_spans = []
    for resource, scopes in _groups(spans):
        scope_spans = []
        for scope, members in scopes:
            json_spans = []
            for raw in members:
                item: dict[str, Any] = {
                    "traceId": raw.trace_id,
                    "spanId": raw.span_id,
                    "name": raw.name,
                    "kind": raw.kind,
                    "startTimeUnixNano": str(raw.start_ns),
                    "endTimeUnixNano": str(raw.end_ns),
                    "attributes": json_attributes(raw.attributes),
                    "status": {"code": raw.status_code, "message": raw.status_message},
                }
                if raw.parent_span_id:
                    item["parentSpanId"] = raw.parent_span_id
                if raw.events:
                    item["events"] = [
                        {
                            "name": event["name"],
                            "timeUnixNano": str(event["time_ns"]),
                            "attributes": json_attributes(event["attributes"]),
                        }
                        for event in raw.events
                    ]
                json_spans.append(item)
            scope_spans.append({"scope": {"name": scope}, "spans": json_spans})
        resource_spans.append(
            {"resource": {"attributes": json_attributes(resource)}, "scopeSpans": scope_spans}
        )
    return {"resourceSpans": resource_spans}


def to_json(spans: list[RawSpan]) -> bytes:
    return orjson.dumps(json_request(spans))


def json_body(request: Any) -> bytes:
    return orjson.dumps(request)


# Raw protobuf wire encoding, for what the classes cannot build.


def varint(number: int) -> bytes:
    out = bytearray()
    while True:
        low, number = number & 0x7F, number >> 7
        if number:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def field(number: int, payload: bytes) -> bytes:
    """A length-delimited field (messages, strings, bytes)."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def nested_kvlist(depth: int, leaf: bytes = b"leaf") -> bytes:
    """A serialized AnyValue: ``depth`` kvlists, each holding the next under key 'k'."""
    value = field(1, leaf)
    for _ in range(depth):
        value = field(6, field(1, field(1, b"k") + field(2, value)))
    return value


def nested_array(depth: int) -> bytes:
    """A serialized AnyValue: ``depth`` arrays, each holding the next."""
    value = field(1, b"leaf")
    for _ in range(depth):
        value = field(5, field(1, value))
    return value


def with_raw_attribute(
    spans: list[RawSpan], key: bytes, any_value: bytes, name: str = "deep"
) -> bytes:
    """A request of ``spans`` plus one more span (``name``) carrying a raw attribute.

    The extra span is appended as raw bytes: a serialized message followed by
    more fields of the same message is, on the wire, the merge of the two.
    """
    extra = span(name, index=99)
    message = protobuf_request([extra]).resource_spans[0].scope_spans[0].spans[0]
    span_bytes = message.SerializeToString() + field(9, field(1, key) + field(2, any_value))
    scope_bytes = field(1, field(1, b"agent")) + field(2, span_bytes)
    return to_protobuf(spans) + field(1, field(2, scope_bytes))


def key_value(key: str, value: Any) -> KeyValue:
    pair = KeyValue(key=key)
    set_any_value(pair.value, value)
    return pair
