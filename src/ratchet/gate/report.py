"""The gate's report: the decision, what changed, and a verdict per fixture.

One model feeds every output (terminal, JUnit, Markdown, JSON) and is what
``--json-report`` writes, so ``gate merge`` can combine shards from it.
"""

from __future__ import annotations

from pydantic import Field

from ratchet.core.model import Model


class FailedCheck(Model):
    check: str
    message: str
    refs: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)


class WaiverNote(Model):
    by: str
    reason: str


class Verdict(Model):
    """One fixture's result as the gate sees it."""

    id: str
    path: str | None = None
    severity: str
    owner: str | None = None
    failure_mode: str | None = None
    outcome: str  # passed | failed | error | flaky
    attempts: list[str] = Field(default_factory=list)
    held: bool = False
    waived: WaiverNote | None = None
    reason: str | None = None
    failed_checks: list[FailedCheck] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list)
    output: str | None = None
    duration_ms: float = 0.0
    cached: bool = False


class ChangeNote(Model):
    types: list[str]
    source: str
    key: str
    files: list[str] = Field(default_factory=list)
    unmatched: list[str] = Field(default_factory=list)


class GateReport(Model):
    decision: str  # passed | held
    exit_code: int
    kind: str = "gate"  # gate | run
    change: ChangeNote
    agent: str | None = None
    run_id: str | None = None
    manifest: dict[str, object] = Field(default_factory=dict)
    git_commit: str | None = None
    ratchet_version: str = ""
    created_at: str = ""
    shard: str | None = None
    suite_size: int = 0
    skipped_expired: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    verdicts: list[Verdict] = Field(default_factory=list)
    duration_s: float = 0.0

    @property
    def held(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.held]

    def count(self, outcome: str) -> int:
        return sum(1 for v in self.verdicts if v.outcome == outcome)

    def passing_findings(self) -> list[tuple[str, str]]:
        """(fixture id, finding) on fixtures that passed anyway.

        A fixture can be wrong itself (a tool it does not mock) and still pass;
        unevaluated judges are said once, as a warning, instead.
        """
        return [
            (v.id, f)
            for v in self.verdicts
            if v.outcome == "passed"
            for f in v.findings
            if not f.startswith("judges not yet evaluated")
        ]
