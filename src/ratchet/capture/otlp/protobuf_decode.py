"""OTLP/HTTP protobuf bodies (``application/x-protobuf``) decoded into :class:`RawSpan` s.

The body is parsed by the protobuf runtime as an ``ExportTraceServiceRequest``
(with attributes left serialized, see :mod:`ratchet.capture.otlp.flat_schema`)
and the messages are walked by hand: a generic message-to-dict conversion
costs several times more per span and would still need a second pass for ids
and limits.
"""

from __future__ import annotations

from typing import Any

from google.protobuf.message import DecodeError

from ratchet.capture.otlp.errors import UndecodableBody
from ratchet.capture.otlp.flat_schema import flat_request_class
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
from ratchet.capture.otlp.values import AttributeReader, attribute_reader
from ratchet.capture.rawspan import DecodeResult, RawSpan

_NOT_PROTOBUF = "body is not a valid OTLP ExportTraceServiceRequest protobuf"
_ZERO_TRACE_ID = bytes(16)
_ZERO_SPAN_ID = bytes(8)


def decode_protobuf(body: bytes, limits: Limits = DEFAULT_LIMITS) -> DecodeResult:
    """Decode an OTLP ``ExportTraceServiceRequest`` (already decompressed).

    Args:
        body: the serialized request.
        limits: per-span limits; a span over one is refused, its siblings kept.

    Returns:
        The decoded spans and the refusals.

    Raises:
        UndecodableBody: the body is not a valid request; the message says why.
    """
    try:
        request = flat_request_class().FromString(body)
    except DecodeError:
        raise UndecodableBody(f"{_NOT_PROTOBUF}: {describe_damage(body)}") from None
    read = attribute_reader(limits)
    result = DecodeResult()
    _walk(request, read, limits, result)
    return result


def _walk(request: Any, read: AttributeReader, limits: Limits, result: DecodeResult) -> None:
    index = 0
    spans = result.spans
    for resource_index, resource_spans in enumerate(request.resource_spans):
        try:
            resource = read(resource_spans.resource.attributes)
        except ValueRefused as exc:
            count = sum(len(scope_spans.spans) for scope_spans in resource_spans.scope_spans)
            if count:
                result.reject(resource_refusal(resource_index, str(exc), count))
                result.rejected += count - 1
            index += count
            continue
        for scope_spans in resource_spans.scope_spans:
            scope = scope_spans.scope.name
            for span in scope_spans.spans:
                try:
                    spans.append(_span(span, index, read, limits, resource, scope))
                except SpanRefused as exc:
                    result.reject(str(exc))
                index += 1


def _check_id(span_id: bytes, size: int, zero: bytes, field: str, index: int, name: str) -> None:
    if len(span_id) != size:
        raise SpanRefused(
            f"{span_label(index, name)}: {field} is {len(span_id)} bytes "
            f"({span_id[:32].hex()!r}); it must be {size} bytes"
        )
    if span_id == zero:
        raise SpanRefused(f"{span_label(index, name)}: {field} is all zeros, which OTLP forbids")


def _span(
    span: Any,
    index: int,
    read: AttributeReader,
    limits: Limits,
    resource: dict[str, Any],
    scope: str,
) -> RawSpan:
    name: str = span.name
    trace_id: bytes = span.trace_id
    span_id: bytes = span.span_id
    parent: bytes = span.parent_span_id
    if len(trace_id) != 16 or trace_id == _ZERO_TRACE_ID:
        _check_id(trace_id, 16, _ZERO_TRACE_ID, "trace_id", index, name)
    if len(span_id) != 8 or span_id == _ZERO_SPAN_ID:
        _check_id(span_id, 8, _ZERO_SPAN_ID, "span_id", index, name)
    if parent and len(parent) != 8:
        _check_id(parent, 8, _ZERO_SPAN_ID, "parent_span_id", index, name)
    try:
        attributes = read(span.attributes)
    except ValueRefused as exc:
        raise SpanRefused(f"{span_label(index, name)}{exc}") from None
    pb_events = span.events
    events = _events(pb_events, index, name, read, limits) if pb_events else []
    # Most spans leave the status unset, and reading an absent one builds an empty message.
    if span.HasField("status"):
        status = span.status
        status_code, status_message = status.code, status.message
    else:
        status_code, status_message = 0, ""
    # Positional, in RawSpan's field order: keywords cost a tenth of the span's time.
    return RawSpan(
        trace_id.hex(),
        span_id.hex(),
        # An all-zero parent is how some SDKs spell "no parent".
        parent.hex() if parent and parent != _ZERO_SPAN_ID else None,
        name,
        span.kind,
        span.start_time_unix_nano,
        span.end_time_unix_nano,
        status_code,
        status_message,
        attributes,
        events,
        resource,
        scope,
    )


def _events(
    pb_events: Any, index: int, name: str, read: AttributeReader, limits: Limits
) -> list[dict[str, Any]]:
    if len(pb_events) > limits.max_events:
        raise SpanRefused(
            f"{span_label(index, name)} {too_many('events', len(pb_events), limits.max_events)}"
        )
    events = []
    for event_index, event in enumerate(pb_events):
        try:
            attributes = read(event.attributes)
        except ValueRefused as exc:
            raise SpanRefused(
                f"{span_label(index, name)}: event {event_index} ({show(event.name)}){exc}"
            ) from None
        events.append(
            {"name": event.name, "time_ns": event.time_unix_nano, "attributes": attributes}
        )
    return events


def _varint(body: bytes, pos: int) -> tuple[int, int]:
    """Read a varint at ``pos``; return (value, next position), or (-1, pos) if cut short."""
    value = shift = 0
    while pos < len(body) and shift < 70:
        byte = body[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    return -1, pos


def describe_damage(body: bytes) -> str:
    """Say, as precisely as a top-level scan allows, why ``body`` did not parse.

    Only runs on failure, so it may be slow; it names the likely mistake (JSON
    or gzip sent as protobuf) or the first byte where the framing breaks.
    """
    start = body[:1]
    if start in (b"{", b"["):
        return "it looks like JSON; send it with Content-Type: application/json"
    if body[:2] == b"\x1f\x8b":
        return "it looks gzip-compressed; send it with Content-Encoding: gzip"
    pos = 0
    while pos < len(body):
        field_start = pos
        tag, pos = _varint(body, pos)
        if tag < 0:
            return f"truncated message: field tag at byte {field_start} is cut off"
        number, wire_type = tag >> 3, tag & 7
        if number == 0 or wire_type in (3, 4, 6, 7):
            return f"invalid field tag {tag} at byte {field_start}"
        if wire_type == 0:
            value, pos = _varint(body, pos)
            if value < 0:
                return f"truncated message: varint of field {number} at byte {field_start}"
        elif wire_type in (1, 5):
            pos += 8 if wire_type == 1 else 4
        else:
            length, pos = _varint(body, pos)
            if length < 0:
                return f"truncated message: length of field {number} at byte {field_start}"
            if pos + length > len(body):
                return (
                    f"truncated message: field {number} at byte {field_start} declares "
                    f"{length} bytes but only {len(body) - pos} remain"
                )
            pos += length
    if pos > len(body):
        return "truncated message: the last field is cut off"
    return "a nested message is malformed (truncated, or a string that is not UTF-8)"
