"""Signals (evidence about how a run went) and incidents (serious production events)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from ratchet.core.model import Model


class SignalKind(StrEnum):
    # explicit: a person said so
    THUMBS_UP = "thumbs_up"
    THUMBS_DOWN = "thumbs_down"
    REPORT = "report"
    CORRECTION = "correction"
    OVERRIDE = "override"
    ESCALATION = "escalation"
    INCIDENT_LINK = "incident_link"
    # implicit: inferred from behaviour
    REPHRASING = "rephrasing"
    ABANDONMENT = "abandonment"
    CORRECTIVE_FOLLOW_UP = "corrective_follow_up"
    FRUSTRATION = "frustration"
    PARTIAL_COMPLETION = "partial_completion"
    TOOL_LOOP = "tool_loop"
    TOOL_ERROR = "tool_error"
    RETRY = "retry"
    POLICY_DENIAL = "policy_denial"
    COST_OUTLIER = "cost_outlier"
    LATENCY_OUTLIER = "latency_outlier"
    ONLINE_CHECK_FAILURE = "online_check_failure"


#: Kinds a person or an application posts through ``POST /api/v1/feedback``.
EXPLICIT_FEEDBACK_KINDS = frozenset(
    {
        SignalKind.THUMBS_UP,
        SignalKind.THUMBS_DOWN,
        SignalKind.REPORT,
        SignalKind.CORRECTION,
        SignalKind.OVERRIDE,
        SignalKind.ESCALATION,
    }
)


class Signal(Model):
    """Evidence about one run (or one session).

    ``strength`` is how strongly it suggests a failure, 0 to 1 (a thumbs-up is
    0). At least one of ``trace_id`` and ``session_id`` is set.
    """

    id: str
    kind: SignalKind
    trace_id: str | None = None
    session_id: str | None = None
    strength: float = 1.0
    comment: str | None = None
    corrected_output: Any = None
    evidence: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
    created_by: str | None = None


class IncidentSeverity(StrEnum):
    SEV1 = "sev1"
    SEV2 = "sev2"
    SEV3 = "sev3"
    SEV4 = "sev4"


class Incident(Model):
    """A serious production event, linked to the traces that show it."""

    id: str
    severity: IncidentSeverity
    title: str
    description: str | None = None
    trace_ids: list[str] = Field(default_factory=list)
    opened_at: datetime
    closed_at: datetime | None = None
    fixture_ids: list[str] = Field(default_factory=list)
