"""The rows capture hands to the store: plain slotted dataclasses, cheap to build in bulk.

Ingest builds one ``SpanRecord`` per span; pydantic models are only built on
the read path, where their validation is worth its cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class SpanRecord:
    """One span, already mapped to Ratchet's vocabulary and redacted.

    The trace-level hints (session, user, service, surface, versions, stop
    reason, final status) are what this span says about its trace; the store
    folds them into the trace row as spans arrive, in any order.
    """

    trace_id: str
    span_id: str
    name: str
    start_ns: int
    end_ns: int | None = None
    parent_span_id: str | None = None
    type: str = "other"
    status: str = "unset"
    status_message: str | None = None
    input: Any = None
    output: Any = None
    attributes: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    model: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    total_tokens: int | None = None
    cost: float | None = None
    tool_arguments: Any = None
    tool_result: Any = None
    # what this span says about its trace
    session_id: str | None = None
    user_id: str | None = None
    service: str | None = None
    surface: str | None = None
    versions: dict[str, dict[str, str]] = field(default_factory=dict)
    service_version: str | None = None
    stop_reason: str | None = None
    final_status: str | None = None
    source: str = "production"
    redaction_version: str | None = None
