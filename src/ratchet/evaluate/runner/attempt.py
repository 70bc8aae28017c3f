"""One attempt at one fixture: replay the candidate, then check what it did."""

from __future__ import annotations

from dataclasses import dataclass, field

from ratchet.core.clock import Clock, SystemClock
from ratchet.core.ids import IdSource, RandomIds
from ratchet.core.traces import VersionManifest
from ratchet.evaluate.checks.apply import run_checks
from ratchet.evaluate.replay import Agent, is_async, replay
from ratchet.evaluate.replay.construct import builder
from ratchet.evaluate.replay.harness import prepare
from ratchet.evaluate.results import Finding, FindingKind, FixtureResult, Outcome
from ratchet.fixtures.model import Fixture

# Every value below is already of its field's type (the checks' results, the replay's
# trace), so validating the result again would only cost time once per fixture.
_build_result = builder(FixtureResult, dict(FixtureResult(fixture_id="f", outcome=Outcome.PASSED)))


@dataclass
class Candidate:
    """The agent under test and the versions it claims to be."""

    spec: str  # module:function or URL, as given
    agent: Agent
    manifest: VersionManifest = field(default_factory=VersionManifest)
    source_hash: str | None = None


@dataclass
class Attempter:
    candidate: Candidate
    timeout_s: float = 30.0
    strict_mocks: bool = False
    clock: Clock = field(default_factory=SystemClock)
    ids: IdSource = field(default_factory=RandomIds)

    def __post_init__(self) -> None:
        self._is_async = is_async(self.candidate.agent)
        prepare()

    async def __call__(self, fixture: Fixture) -> FixtureResult:
        done = await replay(
            fixture,
            self.candidate.agent,
            timeout_s=self.timeout_s,
            strict_mocks=self.strict_mocks,
            clock=self.clock,
            ids=self.ids,
            versions=self.candidate.manifest,
            is_async=self._is_async,
        )
        findings = list(done.findings)
        if fixture.expect.judges:
            names = ", ".join(fixture.expect.judges)
            findings.append(
                Finding(
                    kind=FindingKind.JUDGES_NOT_EVALUATED,
                    message=f"judges not yet evaluated: {names} (only deterministic checks ran)",
                )
            )
        # On an error the checks still run, so the report shows what was missing.
        checks = run_checks(fixture.expect, done.run)
        if done.error is not None:
            outcome, reason = Outcome.ERROR, done.error
        else:
            outcome = Outcome.PASSED if all(c.passed for c in checks) else Outcome.FAILED
            reason = None
        return _build_result(
            {
                "fixture_id": fixture.id,
                "outcome": outcome,
                "reason": reason,
                "checks": checks,
                "findings": findings,
                "output": done.output,
                "duration_ms": done.duration_ms,
                "attempt": 1,
                "trace": done.trace,
            }
        )
