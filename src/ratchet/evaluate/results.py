"""What evaluating one fixture produces: check outcomes, findings, and the verdict."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from ratchet.core.model import Model
from ratchet.core.traces import Trace


class CheckResult(Model):
    """One check's verdict on one run.

    ``evidence`` holds the ids of the spans that decided it (the forbidden
    call, the first span after a denial…) so a report can point at them;
    ``refs`` the same spans as ``type:name`` for people.
    """

    check: str
    passed: bool
    message: str
    evidence: list[str] = Field(default_factory=list)
    refs: list[str] = Field(default_factory=list)


class FindingKind(StrEnum):
    UNMOCKED_TOOL = "unmocked_tool"  # the agent called a tool the fixture does not mock
    MOCK_NEVER_MATCHED = "mock_never_matched"  # a `when` rule matched no call
    JUDGES_NOT_EVALUATED = "judges_not_evaluated"


class Finding(Model):
    """Something wrong with the fixture rather than with the agent."""

    kind: FindingKind
    message: str


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"  # an expectation did not hold
    ERROR = "error"  # the agent raised, hung or returned garbage: judged as failed


class FixtureResult(Model):
    """One run of one fixture against one candidate."""

    fixture_id: str
    outcome: Outcome
    reason: str | None = None  # why an ERROR happened, in one line
    checks: list[CheckResult] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    output: str | None = None
    duration_ms: float = 0.0
    attempt: int = 1
    trace: Trace | None = None

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]
