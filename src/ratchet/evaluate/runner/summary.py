"""What a suite run keeps per fixture: every attempt's outcome, and the details that matter.

A 100k-fixture run must not hold 100k full results. A fixture that passed
every attempt keeps its outcomes and a slim copy of its last attempt (no
checks, output or trace: reports show none for a pass); the full result (checks,
evidence, findings) is kept for the first attempt that did not pass, which
is what reports and the gate need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ratchet.evaluate.replay.construct import builder
from ratchet.evaluate.results import Finding, FixtureResult, Outcome
from ratchet.fixtures.model import Severity

_build_result = builder(FixtureResult, dict(FixtureResult(fixture_id="f", outcome=Outcome.PASSED)))


def _slim(result: FixtureResult) -> FixtureResult:
    """A passed attempt without checks, output and trace: bytes, not kilobytes."""
    return _build_result(
        {
            "fixture_id": result.fixture_id,
            "outcome": result.outcome,
            "reason": result.reason,
            "checks": [],
            "findings": list(result.findings),
            "output": None,
            "duration_ms": result.duration_ms,
            "attempt": result.attempt,
            "trace": None,
        }
    )


@dataclass(slots=True)
class FixtureSummary:
    fixture_id: str
    severity: Severity
    owner: str | None
    path: str | None = None
    failure_mode: str | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    cached: int = 0
    #: The first non-passing attempt (trace dropped), else the last one, slimmed.
    detail: FixtureResult | None = None
    findings: list[Finding] = field(default_factory=list)

    def add(self, result: FixtureResult, cached: bool) -> None:
        self.outcomes.append(result.outcome)
        self.cached += int(cached)
        for finding in result.findings:
            if finding not in self.findings:
                self.findings.append(finding)
        if self.detail is None or self.detail.passed:
            if result.passed:
                self.detail = _slim(result)
            else:
                self.detail = result.model_copy(update={"trace": None})

    @property
    def flaky(self) -> bool:
        """Attempts disagreed: some passed, some did not."""
        passed = {o is Outcome.PASSED for o in self.outcomes}
        return len(passed) > 1

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and all(o is Outcome.PASSED for o in self.outcomes)

    @property
    def outcome(self) -> str:
        """passed, failed, error or flaky: the word reports use."""
        if self.flaky:
            return "flaky"
        if self.passed:
            return "passed"
        return "error" if Outcome.ERROR in self.outcomes else "failed"


@dataclass(slots=True)
class RunSummary:
    run_id: str
    fixtures: list[FixtureSummary] = field(default_factory=list)
    duration_s: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.fixtures if f.outcome == outcome)

    @property
    def cached(self) -> int:
        return sum(f.cached for f in self.fixtures)
