"""Span: one step of a run, in Ratchet's vocabulary whatever convention sent it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field, computed_field

from ratchet.core.model import Model


class SpanType(StrEnum):
    """What kind of step a span is. Fixtures name spans as ``type:name`` refs."""

    MODEL = "model"
    TOOL = "tool"
    RETRIEVAL = "retrieval"
    POLICY = "policy"
    APPROVAL = "approval"
    WORKFLOW = "workflow"
    MESSAGE = "message"
    MEMORY = "memory"
    ROUTE = "route"
    AGENT = "agent"
    OTHER = "other"


class SpanStatus(StrEnum):
    """How a step ended. ``denied`` and ``waiting`` matter for policy and approval spans."""

    OK = "ok"
    ERROR = "error"
    DENIED = "denied"
    WAITING = "waiting"
    UNSET = "unset"


class TokenUsage(Model):
    """Token counts of a model call; never redacted."""

    model_config = ConfigDict(frozen=True)

    input: int | None = None
    output: int | None = None
    total: int | None = None


class ToolCall(Model):
    """The tool a tool span called, with what it was given and what it gave back."""

    name: str
    arguments: Any = None
    result: Any = None


class Span(Model):
    """One step of a run.

    ``name`` is the step's name in Ratchet terms: for a tool span it is the
    tool's name, while the OTel span name is kept in ``attributes`` under
    ``otel.span_name``.
    """

    trace_id: str
    span_id: str
    parent_span_id: str | None = None
    type: SpanType = SpanType.OTHER
    name: str
    status: SpanStatus = SpanStatus.UNSET
    status_message: str | None = None
    start: datetime
    end: datetime | None = None
    input: Any = None
    output: Any = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    events: list[dict[str, Any]] = Field(default_factory=list)
    model: str | None = None
    tokens: TokenUsage | None = None
    cost: float | None = None
    tool: ToolCall | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ref(self) -> str:
        """``type:name``, the way fixtures name a span."""
        return span_ref(self.type, self.name)

    @property
    def duration_ms(self) -> float | None:
        if self.end is None:
            return None
        return (self.end - self.start).total_seconds() * 1000


def span_ref(span_type: SpanType | str, name: str) -> str:
    """The ``type:name`` ref of a span."""
    return f"{SpanType(span_type).value}:{name}"
