"""``ratchet fixtures``: draft from the demo's refund incident, verify, list, print the schema."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
import yaml

from ratchet.core.clock import SystemClock
from support.cli import Result, run
from support.demo_traces import refund_trace_file

BUGGY = "ratchet.demo.agents.refunds:run_buggy"
FIXED = "ratchet.demo.agents.refunds:run_fixed"
Cli = Callable[..., Result]


def _cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str
) -> Cli:
    monkeypatch.setenv("RATCHET_DATABASE_URL", url)
    monkeypatch.setenv("RATCHET_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RATCHET_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)  # the default suite is ./evals

    def invoke(*args: str) -> Result:
        return run(capsys, monkeypatch, *args)

    return invoke


@pytest.fixture
def cli(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    """The CLI on a fresh store, once per database."""
    return _cli(monkeypatch, capsys, tmp_path, db_url)


@pytest.fixture
def local(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    """The CLI on a fresh SQLite store, for what does not depend on the database."""
    return _cli(monkeypatch, capsys, tmp_path, f"sqlite:///{tmp_path / 'home' / 'ratchet.db'}")


def ingest_incident(cli: Cli, tmp_path: Path) -> str:
    trace_id = refund_trace_file(tmp_path / "incident.pb")
    stored = cli("ingest", str(tmp_path / "incident.pb"))
    assert stored.code == 0, stored.err
    return trace_id


def edit_like_a_person(path: Path) -> None:
    """What the draft's comment asks for: say what the run SHOULD have done."""
    text = path.read_text()
    text = text.replace("    - tool:issue_refund\n", "")
    text = text.replace("  stop_reason: completed", "  stop_reason: needs_human_approval")
    text = text.replace(
        "  final_status: resolved",
        "  final_status: needs_human\n  forbidden_spans: [tool:issue_refund]",
    )
    path.write_text(text)


def test_draft_the_incident_confirm_it_fails_before_the_fix_and_passes_after(
    cli: Cli, tmp_path: Path
) -> None:
    trace_id = ingest_incident(cli, tmp_path)

    made = cli(
        "fixtures", "new", "--from-trace", trace_id, "--severity", "blocking",
        "--owner", "support-platform", "--failure-mode", "skipped-approval",
    )  # fmt: skip
    assert made.code == 0, made.err
    path = Path(made.out.strip())
    assert path == Path("evals") / f"refund-assistant-{trace_id[:8]}.yaml"
    text = path.read_text()
    assert text.startswith("# Drafted by `ratchet fixtures new`")
    assert "what the failing run DID" in text and "forbidden_spans" in text.split("id:")[0]
    data = yaml.safe_load(text)
    assert data["source"] == {"trace_id": trace_id}
    assert data["input"]["order_id"] == "ord_7f3k"
    assert data["context"]["route"] == "refund_assist"
    assert "dana.whitfield" not in text  # redacted at capture, and stays so
    assert data["tools"]["issue_refund"]["side_effect"] is True
    assert data["tools"]["read_order"]["returns"]["amount"] == 840.0
    assert "tool:issue_refund" in data["expect"]["required_spans"]
    assert data["expect"]["stop_reason"] == "completed"

    # The unedited draft copies what the buggy run did: the buggy agent passes it.
    copied = cli("fixtures", "verify", str(path), "--agent", BUGGY, "--expect-fail")
    assert copied.code == 1
    assert "does not catch the failure" in copied.out and "forbidden_spans" in copied.out

    edit_like_a_person(path)
    before = cli("fixtures", "verify", str(path), "--agent", BUGGY, "--expect-fail")
    assert before.code == 0, before.out
    assert "✗ forbidden_spans" in before.out
    assert "confirmed: the current agent fails this fixture, as it should before the fix" in (
        before.out
    )
    fixed = cli("fixtures", "verify", str(path), "--agent", FIXED, "--expect-fail")
    assert fixed.code == 1 and "does not catch the failure" in fixed.out
    after = cli("fixtures", "verify", str(path), "--agent", FIXED)
    assert after.code == 0 and after.out.rstrip().endswith("passed")

    assert cli("run", "--agent", BUGGY).code == 1  # stores the results fixtures list shows
    listed = cli("fixtures", "list")
    assert listed.code == 0, listed.err
    header, row = listed.out.strip().splitlines()
    assert header.split("\t") == [
        "id", "owner", "severity", "failure mode", "age", "expiry", "last result", "file"
    ]  # fmt: skip
    cells = row.split("\t")
    assert cells[:6] == [path.stem, "support-platform", "blocking", "skipped-approval", "0 days",
                         "never"]  # fmt: skip
    assert cells[6].startswith("failed (") and cells[7] == str(path)


def test_new_prints_without_writing_and_refuses_what_it_cannot_do(
    local: Cli, tmp_path: Path
) -> None:
    trace_id = ingest_incident(local, tmp_path)

    printed = local("fixtures", "new", "--from-trace", trace_id, "--id", "refund-bypass", "--print")
    assert printed.code == 0
    assert printed.out.startswith("# Drafted") and "id: refund-bypass\n" in printed.out
    assert not (tmp_path / "evals").exists()

    unknown = local("fixtures", "new", "--from-trace", "f" * 32)
    assert unknown.code == 2 and unknown.err.count("\n") == 1 and "f" * 32 in unknown.err
    blocking = local("fixtures", "new", "--from-trace", trace_id, "--severity", "blocking")
    assert blocking.code == 2 and "needs an owner" in blocking.err and "--owner" in blocking.err
    wrong = local("fixtures", "new", "--from-trace", trace_id, "--severity", "blocker")
    assert wrong.code == 2 and "blocking, warning or exploratory" in wrong.err

    assert local("fixtures", "new", "--from-trace", trace_id, "--id", "once").code == 0
    again = local("fixtures", "new", "--from-trace", trace_id, "--id", "once")
    assert again.code == 2 and "--force" in again.err
    assert local("fixtures", "new", "--from-trace", trace_id, "--id", "once", "--force").code == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_new_asks_for_severity_and_owner_on_a_terminal(
    local: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace_id = ingest_incident(local, tmp_path)
    monkeypatch.setattr(sys, "stdin", _Terminal("blocking\nsupport-platform\n"))

    made = local("fixtures", "new", "--from-trace", trace_id, "--id", "asked")

    assert made.code == 0, made.err
    data = yaml.safe_load((tmp_path / "evals" / "asked.yaml").read_text())
    assert data["severity"] == "blocking" and data["owner"] == "support-platform"


def test_list_marks_default_severity_and_expiry(local: Cli, tmp_path: Path) -> None:
    today = SystemClock().now().date()
    evals = tmp_path / "evals"
    evals.mkdir()
    (evals / "a.yaml").write_text(
        f"id: a\ncreated_at: {today - timedelta(days=12)}\n"
        f"expires_at: {today + timedelta(days=10)}\n"
    )
    (evals / "b.yaml").write_text(
        f"id: b\nseverity: warning\nowner: ops\nexpires_at: {today - timedelta(days=1)}\n"
    )

    listed = local("fixtures", "list")

    assert listed.code == 0, listed.err
    rows = [line.split("\t") for line in listed.out.strip().splitlines()[1:]]
    in_ten = f"{today + timedelta(days=10)} (in 10 days)"
    assert rows[0] == [
        "a", "", "warning (default)", "", "12 days", in_ten, "never run", "evals/a.yaml"
    ]  # fmt: skip
    assert rows[1][1:3] == ["ops", "warning"] and rows[1][5].endswith("(expired)")
    as_json = json.loads(local("fixtures", "list", "--json").out)
    assert [f["id"] for f in as_json["fixtures"]] == ["a", "b"]
    assert as_json["fixtures"][0]["severity_default"] is True


def test_list_reports_every_problem_and_exits_2(local: Cli, tmp_path: Path) -> None:
    evals = tmp_path / "evals"
    evals.mkdir()
    (evals / "a.yaml").write_text("id: a\nseverity: blocker\n")
    (evals / "b.yaml").write_text("id: b\nexpect: {requird_spans: [tool:x]}\n")

    listed = local("fixtures", "list")

    assert listed.code == 2
    assert "2 problems in 2 fixture files" in listed.err
    assert "a.yaml:2: severity" in listed.err and "requird_spans" in listed.err
    missing = local("fixtures", "list", "--suite", "nowhere")
    assert missing.code == 2 and "ratchet fixtures new --from-trace" in missing.err


def test_verify_refuses_a_missing_file_agent_or_expectation(local: Cli, tmp_path: Path) -> None:
    missing = local("fixtures", "verify", "evals/none.yaml", "--agent", BUGGY)
    assert missing.code == 2 and "no such fixture file" in missing.err
    (tmp_path / "x.yaml").write_text("id: x\nexpect: {final_status: done}\n")
    no_agent = local("fixtures", "verify", "x.yaml")
    assert no_agent.code == 2 and "--agent" in no_agent.err
    (tmp_path / "y.yaml").write_text("id: y\n")
    empty = local("fixtures", "verify", "y.yaml", "--agent", BUGGY)
    assert empty.code == 2 and "y.yaml: no expectations to check" in empty.err


def test_schema_prints_a_json_schema_that_accepts_a_fixture(local: Cli) -> None:
    printed = local("fixtures", "schema")

    assert printed.code == 0
    schema = json.loads(printed.out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"id": "x", "expect": {"forbidden_spans": ["tool:issue_refund"]}})
    assert not validator.is_valid({"id": "x", "severity": "blocking"})  # no owner
