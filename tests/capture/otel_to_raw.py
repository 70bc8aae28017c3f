"""Finished OTel SDK spans as RawSpans, the way the OTLP decoder hands them over.

Convention tests run real instrumentation libraries against an in-memory
exporter; this converter lets them feed ``map_span`` without going through
the OTLP wire format, so they test the mapping alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan

from ratchet.capture.rawspan import RawSpan


def _plain(value: Any) -> Any:
    """Attribute values as the decoder produces them: sequences become lists."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _attributes(attrs: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: _plain(value) for key, value in (attrs or {}).items()}


def otel_to_raw(span: ReadableSpan) -> RawSpan:
    """One finished SDK span as a RawSpan.

    The SDK numbers span kinds from 0 (INTERNAL) while OTLP reserves 0 for
    UNSPECIFIED, so the kind is shifted by one, as it is on the wire.
    """
    context = span.context
    assert context is not None, "a finished span always has a context"
    parent = span.parent
    return RawSpan(
        trace_id=format(context.trace_id, "032x"),
        span_id=format(context.span_id, "016x"),
        parent_span_id=format(parent.span_id, "016x") if parent is not None else None,
        name=span.name,
        kind=span.kind.value + 1,
        start_ns=span.start_time or 0,
        end_ns=span.end_time or 0,
        status_code=span.status.status_code.value,
        status_message=span.status.description or "",
        attributes=_attributes(span.attributes),
        events=[
            {
                "name": event.name,
                "time_ns": event.timestamp,
                "attributes": _attributes(event.attributes),
            }
            for event in span.events
        ],
        resource=_attributes(span.resource.attributes),
        scope=span.instrumentation_scope.name if span.instrumentation_scope else "",
    )


def all_to_raw(spans: Iterable[ReadableSpan]) -> list[RawSpan]:
    """Every finished span, in the order the exporter received them."""
    return [otel_to_raw(span) for span in spans]
