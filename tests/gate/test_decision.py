"""The gate decision as pure functions: selection, verdicts, and what holds a release."""

from __future__ import annotations

from datetime import date

from ratchet.evaluate.results import CheckResult, FixtureResult, Outcome
from ratchet.evaluate.runner.summary import FixtureSummary
from ratchet.fixtures.model import ChangeType, Fixture, Severity
from ratchet.gate.decision import configuration_errors, decide, select, verdicts
from ratchet.store.gates import Waiver

TODAY = date(2026, 5, 1)


def _fixture(fid: str, **fields: object) -> tuple[Fixture, str]:
    return Fixture.model_validate({"id": fid, **fields}), f"{fid}.yaml"


def test_select_keeps_what_protects_the_change_and_skips_the_expired() -> None:
    suite = [
        _fixture("prompt-only", gates=["prompt"]),
        _fixture("everything"),  # default: every change type
        _fixture("policy-only", gates=["policy"]),
        _fixture("expires-today", gates=["prompt"], expires_at="2026-05-01"),
        _fixture("expires-tomorrow", gates=["prompt"], expires_at="2026-05-02"),
    ]
    chosen = select(suite, frozenset({ChangeType("prompt")}), TODAY)
    assert [f.id for f, _ in chosen.selected] == ["prompt-only", "everything", "expires-tomorrow"]
    assert [f.id for f, _ in chosen.expired] == ["expires-today"]
    assert chosen.unaffected == 1
    assert select(suite, frozenset(), TODAY).selected == []


def test_a_blocking_fixture_needs_an_owner() -> None:
    suite = [
        _fixture("owned", severity="blocking", owner="core"),
        _fixture("blank", severity="blocking", owner="  "),
        _fixture("nobody", severity="blocking"),
        _fixture("just-a-warning"),
    ]
    errors = configuration_errors(suite)
    assert len(errors) == 2
    assert errors[0].startswith("blank.yaml: blocking fixture `blank` has no owner")
    assert errors[1].startswith("nobody.yaml: blocking fixture `nobody` has no owner")


def _summary(fid: str, severity: Severity, *outcomes: Outcome) -> FixtureSummary:
    s = FixtureSummary(fixture_id=fid, severity=severity, owner="team")
    for n, outcome in enumerate(outcomes, 1):
        failed = outcome is not Outcome.PASSED
        check = CheckResult(check="stop_reason", passed=not failed, message="m", refs=["agent:x"])
        s.add(
            FixtureResult(fixture_id=fid, outcome=outcome, checks=[check], attempt=n), cached=False
        )
    return s


def test_one_blocking_failure_holds_however_many_pass() -> None:
    # Never averaged into a score: 99 passes do not outvote one blocking failure.
    summaries = [_summary(f"ok-{n}", Severity.BLOCKING, Outcome.PASSED) for n in range(99)]
    summaries.append(_summary("broken", Severity.BLOCKING, Outcome.FAILED))
    found = verdicts(summaries, {})
    assert decide(found) == ("held", 1)
    (held,) = [v for v in found if v.held]
    assert held.id == "broken" and held.failed_checks[0].refs == ["agent:x"]
    assert decide(found[:99]) == ("passed", 0)


def test_what_holds_and_what_does_not() -> None:
    summaries = [
        _summary("warn", Severity.WARNING, Outcome.FAILED),
        _summary("explore", Severity.EXPLORATORY, Outcome.ERROR),
        _summary("flaky", Severity.BLOCKING, Outcome.PASSED, Outcome.FAILED),
        _summary("waived", Severity.BLOCKING, Outcome.FAILED),
        _summary("fine", Severity.BLOCKING, Outcome.PASSED, Outcome.PASSED),
    ]
    waiver = Waiver("waived", "key", "ana", "known issue", 0)
    found = {v.id: v for v in verdicts(summaries, {"waived": waiver, "fine": waiver})}
    assert {k: v.held for k, v in found.items()} == {
        "warn": False,
        "explore": False,
        "flaky": True,  # a gate that sometimes passes still holds
        "waived": False,
        "fine": False,
    }
    assert found["flaky"].outcome == "flaky" and found["flaky"].attempts == ["passed", "failed"]
    assert found["explore"].outcome == "error"
    assert found["waived"].waived is not None and found["waived"].waived.by == "ana"
    assert found["fine"].waived is None  # nothing to waive: it passed
    assert found["fine"].failed_checks == [] and found["fine"].reason is None
