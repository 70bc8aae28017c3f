"""The runner's fast paths give what the slow ones gave: ids, stored checks, summaries."""

from __future__ import annotations

import os

import orjson

from ratchet.evaluate.checks.common import failed, make_result, passed
from ratchet.evaluate.results import CheckResult, Finding, FindingKind, FixtureResult, Outcome
from ratchet.evaluate.runner.cached import checks_json, findings_json, result_from_row
from ratchet.evaluate.runner.ids import BufferedRandomIds
from ratchet.evaluate.runner.summary import FixtureSummary
from ratchet.fixtures.model import Severity


def test_buffered_ids_are_hex_of_the_asked_size_and_never_repeat() -> None:
    ids = BufferedRandomIds()
    many = [ids.hex(8) for _ in range(3000)]  # crosses several 4 KiB blocks
    assert len(set(many)) == len(many)
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in many)
    assert len(ids.hex(16)) == 32 and len(ids.hex(5000)) == 10_000


def test_a_forked_child_never_hands_out_its_parents_next_ids() -> None:
    ids = BufferedRandomIds()
    ids.hex(8)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        os.write(write, ids.hex(8).encode())
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 64).decode() != ids.hex(8)


def test_stored_checks_read_back_equal_to_what_was_checked() -> None:
    checks = [
        CheckResult(check="stop_reason", passed=True, message="ok"),
        passed("required_spans", "all 2 required spans present"),
        failed("order", "approval:required has no tool:read_order before it"),
        make_result("forbidden_spans", False, "forbidden: tool:x", ["00ab"], ["tool:x"]),
        CheckResult.model_construct(check="plugin", passed=True, message="built by hand"),
    ]
    text = checks_json(checks)
    assert text == orjson.dumps([c.model_dump(mode="json") for c in checks]).decode()
    finding = Finding(kind=FindingKind.UNMOCKED_TOOL, message="no mock")
    row = {
        "fixture_id": "f",
        "outcome": "failed",
        "reason": None,
        "checks": text,
        "findings": findings_json([finding]),
        "output": "out",
        "duration_ms": 3,
        "attempt": 2,
    }
    back = result_from_row(row)
    assert back == FixtureResult(
        fixture_id="f",
        outcome=Outcome.FAILED,
        checks=checks,
        findings=[finding],
        output="out",
        duration_ms=3.0,
        attempt=2,
    )
    assert findings_json([]) == "[]"


def test_a_summary_keeps_the_first_failure_whole_and_a_pass_slim() -> None:
    check = CheckResult(check="stop_reason", passed=False, message="wrong")
    ok = FixtureResult(fixture_id="f", outcome=Outcome.PASSED, duration_ms=5.0, output="hi")
    bad = FixtureResult(
        fixture_id="f", outcome=Outcome.FAILED, checks=[check], duration_ms=7.0, attempt=2
    )
    summary = FixtureSummary(fixture_id="f", severity=Severity.BLOCKING, owner="team")
    assert summary.detail is None
    summary.add(ok, cached=False)
    assert summary.detail is not None
    assert (summary.detail.passed, summary.detail.duration_ms, summary.detail.checks) == (
        True,
        5.0,
        [],
    )
    summary.add(bad, cached=False)
    summary.add(ok.model_copy(update={"attempt": 3, "duration_ms": 9.0}), cached=False)
    assert summary.detail == bad and summary.flaky and summary.outcome == "flaky"


def test_a_cached_pass_comes_back_without_its_checks_and_a_failure_with_them() -> None:
    checks = [passed("stop_reason", "ok"), failed("order", "wrong order")]
    row = {
        "fixture_id": "f",
        "outcome": "passed",
        "reason": None,
        "checks": checks_json(checks),
        "findings": "[]",
        "output": None,
        "duration_ms": 1,
        "attempt": 1,
    }
    slim = result_from_row(row, checks=False)
    assert slim.checks == [] and slim.passed and slim.duration_ms == 1.0
    assert result_from_row(row).checks == checks
