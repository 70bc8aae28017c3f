"""What a suite run keeps per fixture: every attempt's outcome, and the details that matter.

A 100k-fixture run must not hold 100k full results. A fixture that passed
every attempt keeps its outcomes, findings and last duration only; the full
result (checks, evidence, findings) is kept for the first attempt that did
not pass, which is what reports and the gate need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ratchet.evaluate.replay.construct import builder
from ratchet.evaluate.results import Finding, FixtureResult, Outcome
from ratchet.fixtures.model import Severity

_build_result = builder(FixtureResult, dict(FixtureResult(fixture_id="f", outcome=Outcome.PASSED)))


@dataclass(slots=True)
class FixtureSummary:
    fixture_id: str
    severity: Severity
    owner: str | None
    path: str | None = None
    failure_mode: str | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    cached: int = 0
    findings: list[Finding] = field(default_factory=list)
    #: The first attempt that did not pass, its trace dropped; None while all passed.
    failure: FixtureResult | None = None
    #: Number and wall time of the attempt ``detail`` describes.
    attempt: int = 0
    duration_ms: float = 0.0

    def add(self, result: FixtureResult, cached: bool) -> None:
        self.outcomes.append(result.outcome)
        self.cached += int(cached)
        for finding in result.findings:
            if finding not in self.findings:
                self.findings.append(finding)
        if self.failure is None:
            self.attempt, self.duration_ms = result.attempt, result.duration_ms
            if not result.passed:
                self.failure = result.model_copy(update={"trace": None})

    @property
    def detail(self) -> FixtureResult | None:
        """The first non-passing attempt (trace dropped), else the last one, slimmed.

        A fixture that passed keeps no result (100k of them would not fit the
        memory budget): its last attempt is rebuilt on request, without the
        checks, output and trace that reports never show for a pass.
        """
        if self.failure is not None or not self.outcomes:
            return self.failure
        return _build_result(
            {
                "fixture_id": self.fixture_id,
                "outcome": Outcome.PASSED,
                "reason": None,
                "checks": [],
                "findings": list(self.findings),
                "output": None,
                "duration_ms": self.duration_ms,
                "attempt": self.attempt,
                "trace": None,
            }
        )

    @property
    def flaky(self) -> bool:
        """Attempts disagreed: some passed, some did not."""
        outcomes = self.outcomes
        if len(outcomes) < 2:  # the usual case, asked 10k times by a large gate's report
            return False
        passed = {o is Outcome.PASSED for o in outcomes}
        return len(passed) > 1

    @property
    def passed(self) -> bool:
        outcomes = self.outcomes
        if len(outcomes) == 1:
            return outcomes[0] is Outcome.PASSED
        return bool(outcomes) and all(o is Outcome.PASSED for o in outcomes)

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
