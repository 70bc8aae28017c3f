"""Review vocabulary: sessions of traces to read, notes on them, and the failure taxonomy.

A reviewer reads a sample of traces (a review session), writes what went
wrong in a free-text note pinned to the first upstream error, and codes the
note into failure modes. The modes form a closed, versioned taxonomy: it
changes only by explicit operations, each recorded with who, when and why.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from ratchet.core.model import Model


class Verdict(StrEnum):
    """A reviewer's pass/fail on one trace."""

    PASS = "pass"
    FAIL = "fail"


class ReviewSession(Model):
    """A sample of traces to read, drawn signal-first with a random share.

    ``new_modes`` counts the failure modes first coded during this session,
    so the week-over-week trend toward saturation is visible.
    """

    id: str
    name: str
    created_at: datetime
    created_by: str | None = None
    size: int
    random_share: float = 0.2
    stratify: str | None = None  # surface | version
    filters: dict[str, Any] = Field(default_factory=dict)
    items: int = 0
    reviewed: int = 0
    new_modes: int = 0


class ReviewItem(Model):
    """One trace in a review session, in reading order, with why it was drawn."""

    session_id: str
    position: int
    trace_id: str
    reason: str  # "signal:<kinds>" or "random"
    verdict: Verdict | None = None
    reviewed_at: datetime | None = None
    reviewed_by: str | None = None


class Note(Model):
    """What went wrong in one trace, in the reviewer's words (open coding)."""

    id: str
    trace_id: str
    session_id: str | None = None
    text: str
    first_error_span_id: str | None = None
    created_at: datetime
    created_by: str | None = None
    updated_at: datetime | None = None
    mode_ids: list[str] = Field(default_factory=list)


class FailureModeStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"
    MERGED = "merged"  # into ``replaced_by[0]``
    SPLIT = "split"  # into every mode of ``replaced_by``


class FailureMode(Model):
    """A named category of failure in the project's closed taxonomy."""

    id: str
    name: str
    definition: str = ""
    examples: list[str] = Field(default_factory=list)
    status: FailureModeStatus = FailureModeStatus.ACTIVE
    replaced_by: list[str] = Field(default_factory=list)
    created_at: datetime
    created_by: str | None = None
    #: Taxonomy version that added it, and the one that ended it (retire, merge, split).
    added_in: int
    ended_in: int | None = None

    @property
    def active(self) -> bool:
        return self.status is FailureModeStatus.ACTIVE


class TaxonomyOpKind(StrEnum):
    ADD = "add"
    RENAME = "rename"
    EDIT = "edit"  # definition or examples; the set of modes stays the same
    MERGE = "merge"
    SPLIT = "split"
    RETIRE = "retire"


class TaxonomyOp(Model):
    """One recorded change of the taxonomy; ``version`` is the version it produced."""

    version: int
    kind: TaxonomyOpKind
    payload: dict[str, Any] = Field(default_factory=dict)
    by: str | None = None
    at: datetime
    why: str = ""
