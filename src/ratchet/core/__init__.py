"""Ratchet's vocabulary: pydantic models, ids and the clock. No I/O, no other ratchet imports."""

from ratchet.core.clock import Clock, ManualClock, SystemClock
from ratchet.core.errors import RatchetError
from ratchet.core.ids import IdSource, RandomIds, SequentialIds
from ratchet.core.projects import Project
from ratchet.core.signals import (
    EXPLICIT_FEEDBACK_KINDS,
    Incident,
    IncidentSeverity,
    Signal,
    SignalKind,
)
from ratchet.core.spans import Span, SpanStatus, SpanType, TokenUsage, ToolCall
from ratchet.core.traces import ARTIFACT_KINDS, Trace, TraceSource, VersionManifest

__all__ = [
    "ARTIFACT_KINDS",
    "EXPLICIT_FEEDBACK_KINDS",
    "Clock",
    "IdSource",
    "Incident",
    "IncidentSeverity",
    "ManualClock",
    "Project",
    "RandomIds",
    "RatchetError",
    "SequentialIds",
    "Signal",
    "SignalKind",
    "Span",
    "SpanStatus",
    "SpanType",
    "SystemClock",
    "TokenUsage",
    "ToolCall",
    "Trace",
    "TraceSource",
    "VersionManifest",
]
