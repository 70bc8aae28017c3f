"""The gate decision, as pure functions: which fixtures run, and what their results decide.

Blocking failures hold the release and are never averaged into a score;
warnings are reported; exploratory results are recorded. A flaky blocking
fixture holds too, and names its owner, because a gate that sometimes
passes is a gate people learn to re-run until it does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ratchet.core.errors import RatchetError
from ratchet.evaluate.runner.summary import FixtureSummary
from ratchet.fixtures.model import ChangeType, Fixture, Severity
from ratchet.fixtures.suite import FixtureFile
from ratchet.gate.report import FailedCheck, Verdict, WaiverNote
from ratchet.store.gates import Waiver

#: A fixture as selection sees it: the model, or a suite file holding it (lean or not).
Item = Fixture | FixtureFile


@dataclass
class Selection:
    selected: list[tuple[Item, str | None]] = field(default_factory=list)
    expired: list[tuple[Item, str | None]] = field(default_factory=list)
    unaffected: int = 0


def select(
    fixtures: Sequence[tuple[Item, str | None]],
    changed: frozenset[ChangeType],
    today: date,
) -> Selection:
    """The fixtures that protect something that changed, minus the expired ones."""
    out = Selection()
    for fixture, path in fixtures:
        if not changed.intersection(fixture.gates):
            out.unaffected += 1
        elif fixture.expired(today):
            out.expired.append((fixture, path))
        else:
            out.selected.append((fixture, path))
    return out


def configuration_errors(selected: Sequence[tuple[Item, str | None]]) -> list[str]:
    """Problems that make a gate meaningless: a blocking fixture nobody owns."""
    return [
        f"{path or fixture.id}: blocking fixture `{fixture.id}` has no owner; "
        "add `owner: <team>` (a blocking fixture needs someone to keep it healthy)"
        for fixture, path in selected
        if fixture.blocking and not (fixture.owner or "").strip()
    ]


def check_waivers(requested: Sequence[str], selected: Sequence[tuple[Item, str | None]]) -> None:
    ids = {f.id for f, _ in selected}
    unknown = [r for r in requested if r not in ids]
    if unknown:
        raise RatchetError(
            f"--waive {unknown[0]}: no such fixture among the ones this change selected"
        )


def verdicts(summaries: Sequence[FixtureSummary], waivers: Mapping[str, Waiver]) -> list[Verdict]:
    out = []
    for s in summaries:
        failing = not s.passed
        if not failing:
            # Most verdicts of a large suite: built from values already of the right
            # types, without validation (a tenth of a second per 10k fixtures).
            out.append(
                Verdict.model_construct(
                    id=s.fixture_id,
                    path=s.path,
                    severity=s.severity.value,
                    owner=s.owner,
                    failure_mode=s.failure_mode,
                    outcome=s.outcome,
                    attempts=[o.value for o in s.outcomes],
                    held=False,
                    waived=None,
                    reason=None,
                    failed_checks=[],
                    findings=[f.message for f in s.findings],
                    output=None,
                    duration_ms=s.duration_ms,
                    cached=s.cached == len(s.outcomes) and s.cached > 0,
                )
            )
            continue
        detail = s.detail
        waiver = waivers.get(s.fixture_id) if failing else None
        held = failing and s.severity is Severity.BLOCKING and waiver is None
        out.append(
            Verdict(
                id=s.fixture_id,
                path=s.path,
                severity=s.severity.value,
                owner=s.owner,
                failure_mode=s.failure_mode,
                outcome=s.outcome,
                attempts=[o.value for o in s.outcomes],
                held=held,
                waived=WaiverNote(by=waiver.waived_by, reason=waiver.reason) if waiver else None,
                reason=detail.reason if detail and failing else None,
                failed_checks=[
                    FailedCheck(check=c.check, message=c.message, refs=c.refs, evidence=c.evidence)
                    for c in (detail.failed_checks if detail and failing else [])
                ],
                findings=[f.message for f in s.findings],
                output=detail.output if detail and failing else None,
                duration_ms=detail.duration_ms if detail else 0.0,
                cached=s.cached == len(s.outcomes) and s.cached > 0,
            )
        )
    return out


def decide(all_verdicts: Sequence[Verdict]) -> tuple[str, int]:
    """(decision, exit code): held (1) when any blocking fixture failed unwaived."""
    return ("held", 1) if any(v.held for v in all_verdicts) else ("passed", 0)
