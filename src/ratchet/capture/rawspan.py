"""What the OTLP decoders produce: a span as sent, before any convention is applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: OTLP status codes.
STATUS_UNSET = 0
STATUS_OK = 1
STATUS_ERROR = 2


@dataclass(slots=True)
class RawSpan:
    """One OTLP span, ids as lowercase hex, attributes as plain Python values.

    ``resource`` is shared by all spans of one ResourceSpans: never mutate it.
    Attribute values are str, bool, int, float, bytes (as sent), list, or dict
    (an OTLP kvlist).
    """

    trace_id: str
    span_id: str
    parent_span_id: str | None
    name: str
    kind: int
    start_ns: int
    end_ns: int
    status_code: int
    status_message: str
    attributes: dict[str, Any]
    events: list[dict[str, Any]]
    resource: dict[str, Any]
    scope: str = ""


@dataclass(slots=True)
class DecodeResult:
    """Spans decoded from one request, and the spans refused for breaking limits.

    ``rejected`` counts refused spans; ``errors`` says why, one line each (at
    most a handful, for the ``partial_success.error_message``).
    """

    spans: list[RawSpan] = field(default_factory=list)
    rejected: int = 0
    errors: list[str] = field(default_factory=list)

    def reject(self, message: str) -> None:
        self.rejected += 1
        if len(self.errors) < 5:
            self.errors.append(message)
