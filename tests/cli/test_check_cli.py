"""``ratchet check --trace``: a fixture's expectations against the trace it came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ratchet.demo.agents import refunds
from support.cli import Result, run
from support.demo_traces import refund_trace_file

FIXTURE = """\
id: refund-approval-bypass
severity: blocking
owner: support-platform
expect:
  required_spans: [tool:read_order, policy:refund_threshold, approval:required]
  forbidden_spans: [tool:issue_refund]
  stop_reason: needs_human_approval
  output_must_not_contain: [approved]
"""


@pytest.fixture
def cli(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RATCHET_DATABASE_URL", db_url)
    monkeypatch.setenv("RATCHET_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RATCHET_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> Result:
        return run(capsys, monkeypatch, *args)

    return invoke


def test_check_fails_on_the_incident_and_passes_on_a_good_run(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    incident = refund_trace_file(tmp_path / "incident.pb")
    good = refund_trace_file(tmp_path / "good.pb", agent=refunds.run_fixed, seed="after-the-fix")
    assert cli("ingest", "incident.pb", "good.pb").code == 0
    fixture = tmp_path / "bypass.yaml"
    fixture.write_text(FIXTURE)

    on_incident = cli("check", "--trace", incident, str(fixture))
    assert on_incident.code == 1, on_incident.err
    lines = on_incident.out.splitlines()
    assert lines[0] == f"refund-approval-bypass against trace {incident}:"
    assert "  ✓ required_spans" not in on_incident.out  # approval:required never happened
    assert any(ln.startswith("  ✗ forbidden_spans") and "tool:issue_refund" in ln for ln in lines)
    assert any(ln.startswith("  ✗ output_must_not_contain") for ln in lines)
    assert lines[-1] == "failed: 4 of 4 checks fail on this trace"

    on_good = cli("check", "--trace", good, str(fixture), "--json")
    assert on_good.code == 0, on_good.out
    body = json.loads(on_good.out)
    assert body["passed"] is True and body["trace_id"] == good
    assert [c["check"] for c in body["checks"]] == [
        "required_spans", "forbidden_spans", "stop_reason", "output_must_not_contain"
    ]  # fmt: skip


def test_check_usage_errors_exit_2(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RATCHET_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RATCHET_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.yaml").write_text("id: empty\njudges_only: 1\n")
    (tmp_path / "nothing.yaml").write_text("id: nothing\n")
    (tmp_path / "ok.yaml").write_text(FIXTURE)

    bad_id = run(capsys, monkeypatch, "check", "--trace", "nope", "ok.yaml")
    assert bad_id.code == 2 and "not a trace id" in bad_id.err
    unknown = run(capsys, monkeypatch, "check", "--trace", "a" * 32, "ok.yaml")
    assert unknown.code == 2 and unknown.err.count("\n") == 1 and "a" * 32 in unknown.err
    invalid = run(capsys, monkeypatch, "check", "--trace", "a" * 32, "empty.yaml")
    assert invalid.code == 2 and "empty.yaml" in invalid.err and "judges_only" in invalid.err
    nothing = run(capsys, monkeypatch, "check", "--trace", "a" * 32, "nothing.yaml")
    assert nothing.code == 2 and "no expectations" in nothing.err
    missing = run(capsys, monkeypatch, "check", "ok.yaml")
    assert missing.code == 2 and "--trace" in missing.err
