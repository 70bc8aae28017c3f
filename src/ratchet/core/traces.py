"""Trace: all spans of one run, with the versions it used and how it ended."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict, Field

from ratchet.core.model import Model
from ratchet.core.spans import Span

#: The artifact kinds a VersionManifest tracks, in the order they are shown.
ARTIFACT_KINDS = (
    "prompt",
    "model",
    "policy",
    "tool_schema",
    "retrieval_index",
    "memory_rule",
    "topology",
)


class TraceSource(StrEnum):
    PRODUCTION = "production"
    REPLAY = "replay"
    IMPORT = "import"


class VersionManifest(Model):
    """The artifact versions a run used: per kind, artifact name → version.

    Travels with every trace and every eval run so a regression can be
    attributed to what changed. ``service`` holds ``service.version``.
    """

    model_config = ConfigDict(extra="forbid")

    prompt: dict[str, str] = Field(default_factory=dict)
    model: dict[str, str] = Field(default_factory=dict)
    policy: dict[str, str] = Field(default_factory=dict)
    tool_schema: dict[str, str] = Field(default_factory=dict)
    retrieval_index: dict[str, str] = Field(default_factory=dict)
    memory_rule: dict[str, str] = Field(default_factory=dict)
    topology: dict[str, str] = Field(default_factory=dict)
    service: str | None = None

    def is_empty(self) -> bool:
        return self.service is None and not any(getattr(self, k) for k in ARTIFACT_KINDS)

    def merged(self, other: VersionManifest) -> VersionManifest:
        """This manifest with ``other``'s entries added (``other`` wins on clashes)."""
        data = self.model_dump()
        for kind in ARTIFACT_KINDS:
            data[kind] = {**data[kind], **getattr(other, kind)}
        if other.service is not None:
            data["service"] = other.service
        return VersionManifest.model_validate(data)


class Trace(Model):
    """All spans of one run.

    Trace-level fields are derived from the spans as they arrive: the root is
    the span without a parent, ``stop_reason`` and ``final_status`` come from
    its ``ratchet.stop_reason`` / ``ratchet.final_status`` attributes, and
    ``versions`` gathers every ``ratchet.version.*`` seen.
    """

    trace_id: str
    name: str | None = None
    root_span_id: str | None = None
    session_id: str | None = None
    user_id: str | None = None
    service: str | None = None
    surface: str | None = None
    versions: VersionManifest = Field(default_factory=VersionManifest)
    source: TraceSource = TraceSource.PRODUCTION
    stop_reason: str | None = None
    final_status: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    span_count: int = 0
    error_count: int = 0
    signal_count: int = 0
    spans: list[Span] = Field(default_factory=list)
