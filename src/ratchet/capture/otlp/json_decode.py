"""OTLP/HTTP JSON bodies (``application/json``) decoded into :class:`RawSpan` s.

OTLP/JSON differs from the generic protobuf JSON mapping in one way senders
often miss: trace and span ids are hex strings, not base64. A base64 id is
refused with a message that says so, because guessing would silently produce
ids that never join with the sender's own logs.
"""

from __future__ import annotations

import binascii
import gc
from binascii import unhexlify
from typing import Any

import orjson

from ratchet.capture.otlp.errors import UndecodableBody
from ratchet.capture.otlp.json_values import (
    JsonAttributeReader,
    decode_base64,
    json_attribute_reader,
    json_type,
    parse_int,
)
from ratchet.capture.otlp.limits import (
    DEFAULT_LIMITS,
    Limits,
    SpanRefused,
    ValueRefused,
    resource_refusal,
    show,
    span_label,
    too_many,
)
from ratchet.capture.rawspan import DecodeResult, RawSpan

_NOT_OTLP = "body is not OTLP JSON"
_PROTOBUF_HINT = (
    "; it looks like protobuf, which must be sent with Content-Type: application/x-protobuf"
)
_HEX_DIGITS = "0123456789abcdef"
_SPAN_KINDS = {
    "UNSPECIFIED": 0,
    "INTERNAL": 1,
    "SERVER": 2,
    "CLIENT": 3,
    "PRODUCER": 4,
    "CONSUMER": 5,
}
_STATUS_CODES = {"UNSET": 0, "OK": 1, "ERROR": 2}
_ZERO_TRACE_ID = "0" * 32
_ZERO_SPAN_ID = "0" * 16
_NO_STATUS: dict[str, Any] = {}


def decode_json(body: bytes, limits: Limits = DEFAULT_LIMITS) -> DecodeResult:
    """Decode an OTLP/JSON ``ExportTraceServiceRequest`` (already decompressed).

    Args:
        body: the UTF-8 JSON text.
        limits: per-span limits; a span over one is refused, its siblings kept.

    Returns:
        The decoded spans and the refusals.

    Raises:
        UndecodableBody: not JSON, or not shaped like an OTLP trace export.
    """
    # The parsed tree is thousands of containers that live only inside _decode
    # and hold no cycles, so a collection while they exist finds nothing, yet
    # each one traverses them and ages them toward costly full collections.
    # Pausing the collector until they are freed (by reference counting, on
    # return) takes about a third off the time per span. Only a collector
    # found running is paused and resumed, so a caller's gc.disable() stands.
    if not gc.isenabled():
        return _decode(body, limits)
    gc.disable()
    try:
        return _decode(body, limits)
    finally:
        gc.enable()


def _decode(body: bytes, limits: Limits) -> DecodeResult:
    try:
        root = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        # Field 1 of a protobuf request (resource_spans) starts with this byte.
        hint = _PROTOBUF_HINT if body[:1] == b"\x0a" else ""
        raise UndecodableBody(f"body is not valid JSON: {exc}{hint}") from None
    if type(root) is not dict:
        raise UndecodableBody(
            f"{_NOT_OTLP}: expected an object with resourceSpans, got {json_type(root)}"
        )
    resource_spans_list = _field(root, "resourceSpans", "resource_spans")
    if resource_spans_list is None:
        if root and "resourceSpans" not in root and "resource_spans" not in root:
            keys = ", ".join(show(key) for key in list(root)[:5])
            raise UndecodableBody(
                f"{_NOT_OTLP}: expected an object with resourceSpans, got keys {keys}"
            )
        return DecodeResult()  # {} (or a null list) is the JSON form of an empty request
    result = DecodeResult()
    read = json_attribute_reader(limits)
    trace_ids: dict[str, str] = {}
    index = 0
    for resource_index, resource_spans in enumerate(_list(resource_spans_list, "resourceSpans")):
        groups = _scope_groups(resource_spans, f"resourceSpans[{resource_index}]")
        try:
            resource = _resource(resource_spans.get("resource"), read)
        except ValueRefused as exc:
            count = sum(len(spans) for _, spans in groups)
            if count:
                result.reject(resource_refusal(resource_index, str(exc), count))
                result.rejected += count - 1
            index += count
            continue
        for scope, spans in groups:
            for span in spans:
                raw = _quick_span(span, read, limits, resource, scope, trace_ids)
                if raw is None:
                    try:
                        raw = _span(span, index, read, limits, resource, scope)
                    except SpanRefused as exc:
                        result.reject(str(exc))
                        index += 1
                        continue
                result.spans.append(raw)
                index += 1
    return result


def _scope_groups(resource_spans: Any, where: str) -> list[tuple[str, list[Any]]]:
    """The (scope name, spans) pairs of one ResourceSpans; a broken frame spoils the body."""
    if type(resource_spans) is not dict:
        raise UndecodableBody(f"{_NOT_OTLP}: {where} is {json_type(resource_spans)}")
    groups = []
    scope_spans_list = _field(resource_spans, "scopeSpans", "scope_spans")
    for scope_index, scope_spans in enumerate(_list(scope_spans_list, f"{where}.scopeSpans")):
        scope_where = f"{where}.scopeSpans[{scope_index}]"
        if type(scope_spans) is not dict:
            raise UndecodableBody(f"{_NOT_OTLP}: {scope_where} is {json_type(scope_spans)}")
        spans = _list(scope_spans.get("spans"), f"{scope_where}.spans")
        groups.append((_scope_name(scope_spans.get("scope"), scope_where), spans))
    return groups


def _field(obj: dict[str, Any], camel: str, snake: str) -> Any:
    value = obj.get(camel)
    return obj.get(snake) if value is None else value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if type(value) is not list:
        raise UndecodableBody(f"{_NOT_OTLP}: {where} is {json_type(value)}, not a list")
    return value


def _scope_name(scope: Any, where: str) -> str:
    if scope is None:
        return ""
    name = scope.get("name") if type(scope) is dict else None
    if type(name) is str:
        return name
    if name is None and type(scope) is dict:
        return ""
    raise UndecodableBody(f"{_NOT_OTLP}: {where}.scope must be an object with a string name")


def _resource(resource: Any, read: JsonAttributeReader) -> dict[str, Any]:
    if resource is None:
        return {}
    if type(resource) is not dict:
        raise ValueRefused(f" is {json_type(resource)}, not an object")
    return read(resource.get("attributes"))


def _hex_id(value: Any, size: int, field: str) -> str | None:
    """A trace/span id as lowercase hex, or None when absent or all zeros (parents only)."""
    if type(value) is str:
        text = value.lower()
        if len(text) == size * 2 and not text.strip(_HEX_DIGITS):
            return None if text.count("0") == size * 2 else text
        if not text:
            return None
    elif value is None:
        return None
    else:
        raise ValueRefused(
            f": {field} is {json_type(value)}; it must be a string of {size * 2} hex characters"
        )
    message = f": {field} {show(value)} is not {size * 2} hex characters"
    try:
        looks_base64 = len(decode_base64(value)) == size
    except (binascii.Error, ValueError):
        looks_base64 = False
    if looks_base64:
        message += "; OTLP/JSON encodes ids as hex, not base64"
    raise ValueRefused(message)


def _required_id(value: Any, size: int, field: str) -> str:
    text = _hex_id(value, size, field)
    if text is None:
        if value:
            raise ValueRefused(f": {field} is all zeros, which OTLP forbids")
        raise ValueRefused(f": {field} is missing")
    return text


def _enum(value: Any, names: dict[str, int], prefix: str, field: str) -> int:
    if value is None:
        return 0
    if type(value) is int:
        return value
    if type(value) is str:
        name = value.upper().removeprefix(prefix)
        if name in names:
            return names[name]
        if name.isdigit():
            return int(name)
    known = ", ".join(prefix + name for name in names)
    raise ValueRefused(f": {field} {show(str(value))} is not one of {known}")


def _time(value: Any, field: str) -> int:
    if value is None:
        return 0
    try:
        return parse_int(value)
    except ValueError:
        raise ValueRefused(f": {field} {show(str(value))} is not an integer") from None


def _text(value: Any, field: str) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    raise ValueRefused(f": {field} is {json_type(value)}, not a string")


def _span(
    span: Any,
    index: int,
    read: JsonAttributeReader,
    limits: Limits,
    resource: dict[str, Any],
    scope: str,
) -> RawSpan:
    if type(span) is not dict:
        raise SpanRefused(f"span {index} is {json_type(span)}, not an object")
    name = span.get("name")
    try:
        if type(name) is not str:
            name = _text(name, "name")
        trace_id = _required_id(_field(span, "traceId", "trace_id"), 16, "traceId")
        span_id = _required_id(_field(span, "spanId", "span_id"), 8, "spanId")
        parent = _hex_id(_field(span, "parentSpanId", "parent_span_id"), 8, "parentSpanId")
        attributes = read(span.get("attributes"))
        events = _events(span.get("events"), read, limits) if "events" in span else []
        status = span.get("status")
        if status is None:
            status = {}
        elif type(status) is not dict:
            raise ValueRefused(f": status is {json_type(status)}, not an object")
        start = _field(span, "startTimeUnixNano", "start_time_unix_nano")
        end = _field(span, "endTimeUnixNano", "end_time_unix_nano")
        # Positional, in RawSpan's field order, as in the protobuf decoder.
        return RawSpan(
            trace_id,
            span_id,
            parent,
            name,
            _enum(span.get("kind"), _SPAN_KINDS, "SPAN_KIND_", "kind"),
            _time(start, "startTimeUnixNano"),
            _time(end, "endTimeUnixNano"),
            _enum(status.get("code"), _STATUS_CODES, "STATUS_CODE_", "status.code"),
            _text(status.get("message"), "status.message"),
            attributes,
            events,
            resource,
            scope,
        )
    except ValueRefused as exc:
        # Messages are labelled only here, so spans that decode never pay for it.
        shown = name if type(name) is str else ""
        raise SpanRefused(f"{span_label(index, shown)}{exc}") from None


def _quick_span(
    span: Any,
    read: JsonAttributeReader,
    limits: Limits,
    resource: dict[str, Any],
    scope: str,
    trace_ids: dict[str, str],
) -> RawSpan | None:
    """The span when every field has its usual form, else None for :func:`_span` to decide.

    Exporters write spans one way (camelCase keys, hex ids, numeric enums,
    times as strings), so this accepts only that and leaves every other
    form, and every refusal with its message, to the careful path. It must
    never return a span that :func:`_span` would decode differently or refuse.
    ``trace_ids`` remembers ids already checked: a request carries few traces.
    """
    try:
        name = span["name"]  # KeyError/TypeError: absent, or the span is not an object
        trace_hex = span["traceId"]
        span_hex = span["spanId"]
        start = span["startTimeUnixNano"]
        end = span["endTimeUnixNano"]
        parent_hex = span.get("parentSpanId")
        if parent_hex is None:
            parent_hex = span.get("parent_span_id")
        kind = span.get("kind", 0)
        status = span.get("status")
        if type(name) is not str or type(trace_hex) is not str or type(span_hex) is not str:
            return None
        # Ids are checked by length, then by unhexlify, which raises ValueError
        # (binascii.Error) for anything but hex digits of either case.
        trace_id = trace_ids.get(trace_hex)
        if trace_id is None:
            if len(trace_hex) != 32 or trace_hex == _ZERO_TRACE_ID:
                return None
            unhexlify(trace_hex)
            trace_id = trace_ids[trace_hex] = trace_hex.lower()
        if len(span_hex) != 16 or span_hex == _ZERO_SPAN_ID:
            return None
        unhexlify(span_hex)
        if parent_hex is None or parent_hex == "":
            parent: str | None = None
        elif type(parent_hex) is str and len(parent_hex) == 16:
            unhexlify(parent_hex)
            parent = None if parent_hex == _ZERO_SPAN_ID else parent_hex.lower()
        else:
            return None
        if status is None:
            status = _NO_STATUS
        code = status.get("code", 0)
        message = status.get("message", "")
        if type(kind) is not int or type(code) is not int or type(message) is not str:
            return None
        start_ns = int(start) if type(start) is str else start
        end_ns = int(end) if type(end) is str else end
        if type(start_ns) is not int or type(end_ns) is not int:
            return None
        attributes = read(span.get("attributes"))
        events = _events(span["events"], read, limits) if "events" in span else []
    except (KeyError, TypeError, ValueError, AttributeError, ValueRefused):
        return None
    return RawSpan(
        trace_id,
        span_hex.lower(),
        parent,
        name,
        kind,
        start_ns,
        end_ns,
        code,
        message,
        attributes,
        events,
        resource,
        scope,
    )


def _events(raw: Any, read: JsonAttributeReader, limits: Limits) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if type(raw) is not list:
        raise ValueRefused(f": events is {json_type(raw)}, not a list")
    if len(raw) > limits.max_events:
        raise ValueRefused(" " + too_many("events", len(raw), limits.max_events))
    events = []
    for position, event in enumerate(raw):
        if type(event) is not dict:
            raise ValueRefused(f": event {position} is {json_type(event)}, not an object")
        name = _text(event.get("name"), f"event {position} name")
        try:
            attributes = read(event.get("attributes"))
        except ValueRefused as exc:
            raise ValueRefused(f": event {position} ({show(name)}){exc}") from None
        when = _field(event, "timeUnixNano", "time_unix_nano")
        events.append(
            {
                "name": name,
                "time_ns": _time(when, f"event {position} timeUnixNano"),
                "attributes": attributes,
            }
        )
    return events
