"""``ratchet gate`` as CI meets it: the decision, the fixtures it ran, the exit code and reports.

Most tests run on SQLite only; the ones that read the store back run on both databases.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from ratchet.store.evals import get_run, run_results
from ratchet.store.gates import list_decisions
from ratchet.store.projects import list_projects, resolve_project
from ratchet.store.store import open_store
from support.suites import (
    FLAKY_AGENT,
    TOY_AGENT,
    agent_file,
    calls,
    copy_demo,
    fixture,
    one_error_line,
    verdicts,
    write_agent,
)

ALL = "memory_rule, model, policy, prompt, retrieval_index, tool_schema, topology"


# -- the demo agents: the buggy versions are held, the fixed ones pass ----------------


@pytest.mark.parametrize("suite", ["refunds", "scheduling"])
def test_the_demo_agents_buggy_held_fixed_passed(cli, work: Path, suite: str) -> None:  # type: ignore[no-untyped-def]
    folder = copy_demo(work, suite)
    agent = f"ratchet.demo.agents.{suite}"
    buggy = cli("gate", "--suite", str(folder), "--agent", f"{agent}:run_buggy")
    assert buggy.code == 1 and "HELD" in buggy.out, buggy.err
    fixed = cli("gate", "--suite", str(folder), "--agent", f"{agent}:run_fixed")
    assert fixed.code == 0 and "PASSED" in fixed.out and "3 passed" in fixed.out, fixed.out


def test_a_held_release_names_each_fixture_what_failed_and_the_evidence(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    folder = copy_demo(work, "refunds")
    result = cli("gate", "--suite", str(folder), "--agent", "ratchet.demo.agents.refunds:run_buggy")
    assert result.code == 1
    out = result.out
    assert f"changed: {ALL} (from --change all)" in out
    assert "3 fixtures run, 1 passed, 2 failed" in out
    assert "held by 2 blocking fixture(s):" in out
    assert (
        "refund-approval-bypass-regression (refund-approval-bypass-regression.yaml) — blocking,"
        " owner support-platform, failure mode skipped-approval"
    ) in out
    assert "incident-2026-04-18-refund-approval-bypass" in out
    assert "✗ required_spans: missing: approval:required" in out
    assert "evidence: tool:issue_refund, message:customer_promise_sent" in out
    assert "✗ output_must_not_contain: output says: 'approved', 'processed'" in out
    assert "small-refund-self-serve" not in out  # it passed
    assert out.rstrip().endswith("HELD: this release must not ship until the fixtures above pass.")


def test_warnings_are_reported_and_exploratory_results_recorded(
    cli_db, work: Path, db_url: str, home: Path
) -> None:  # type: ignore[no-untyped-def]
    suite, agent = work / "evals", write_agent(work, TOY_AGENT)
    fixture(suite, "core", severity="blocking", owner="core-team")
    fixture(suite, "tone-of-voice", say="meh", severity="warning", owner="brand")
    fixture(suite, "new-idea", say="meh", severity="exploratory")
    fixture(suite, "unsure", say="meh")  # no severity: a warning
    out = work / "report.json"
    result = cli_db("gate", "--suite", str(suite), "--agent", agent, "--json-report", str(out))
    assert result.code == 0, result.err
    assert "4 fixtures run, 1 passed, 3 failed" in result.out
    assert "not blocking (2):" in result.out
    assert "tone-of-voice" in result.out and "unsure" in result.out
    assert "new-idea" not in result.out  # exploratory: recorded, not reported
    assert "1 fixture has no severity: treated as warning (unsure)" in result.out
    assert "PASSED" in result.out
    found = verdicts(out)
    assert found["new-idea"]["outcome"] == "failed" and found["new-idea"]["held"] is False

    report = orjson.loads(out.read_bytes())
    st = open_store(url=db_url, home=str(home))
    try:
        project = resolve_project(st, None)
        rows = run_results(st, project.id, report["run_id"])
        assert {r["fixture_id"]: r["severity"] for r in rows} == {
            "core": "blocking",
            "tone-of-voice": "warning",
            "new-idea": "exploratory",
            "unsure": "warning",
        }
        stored = get_run(st, project.id, report["run_id"])
        assert stored is not None and stored["kind"] == "gate" and stored["git_commit"] is None
    finally:
        st.close()


# -- the suite and its fixtures --------------------------------------------------------


def test_an_empty_or_missing_suite_is_a_configuration_error(cli, toy: tuple[Path, str]) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    missing = one_error_line(cli("gate", "--suite", str(suite), "--agent", agent))
    assert str(suite) in missing
    suite.mkdir()
    empty = one_error_line(cli("gate", "--suite", str(suite), "--agent", agent))
    assert str(suite) in empty
    assert one_error_line(cli("run", "--suite", str(suite), "--agent", agent))


def test_expired_fixtures_are_skipped_with_a_warning(
    cli, toy: tuple[Path, str], work: Path
) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    fixture(
        suite, "old-promo", say="nope", severity="blocking", owner="growth", expires_at="2020-01-01"
    )
    alone = cli("gate", "--suite", str(suite), "--agent", agent)
    assert alone.code == 0, alone.err
    assert "warning: old-promo: expired on 2020-01-01; skipped (renew it or delete it)" in alone.out

    fixture(suite, "current", severity="blocking", owner="growth")
    result = cli("gate", "--suite", str(suite), "--agent", agent)
    assert result.code == 0, result.err
    assert "1 fixtures run, 1 passed, 0 failed, 1 expired (skipped)" in result.out
    assert (
        "warning: old-promo: expired on 2020-01-01; skipped (renew it or delete it)" in result.out
    )
    assert "old-promo" not in calls(work)


def test_a_blocking_fixture_without_an_owner_is_a_configuration_error(
    cli, toy: tuple[Path, str], work: Path
) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    fixture(suite, "fine", severity="blocking", owner="core")
    fixture(suite, "orphan", severity="blocking")
    result = cli("gate", "--suite", str(suite), "--agent", agent)
    assert result.code == 2
    assert "orphan.yaml: blocking fixture `orphan` has no owner" in result.err
    assert "Traceback" not in result.err and calls(work) == []


def test_a_flaky_blocking_fixture_holds_and_names_its_owner(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    suite = work / "evals"
    fixture(suite, "checkout-total", severity="blocking", owner="payments-team")
    agent = write_agent(work, FLAKY_AGENT, "flaky")
    result = cli("gate", "--suite", str(suite), "--agent", agent, "--repeat", "2")
    assert result.code == 1, result.err
    assert "1 fixtures run, 0 passed, 0 failed, 1 flaky" in result.out
    assert "held by 1 blocking fixture(s):" in result.out
    assert "checkout-total (checkout-total.yaml) — blocking, owner payments-team" in result.out
    assert (
        "flaky: attempts passed, failed; payments-team should make it deterministic" in result.out
    )


def test_a_fixture_naming_judges_says_they_were_not_evaluated(cli, toy: tuple[Path, str]) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    fixture(
        suite,
        "polite",
        severity="blocking",
        owner="brand",
        expect={"output_must_contain": ["all good"], "judges": ["tone"]},
    )
    result = cli("gate", "--suite", str(suite), "--agent", agent)
    assert result.code == 0, result.err
    assert "warning: judges not yet evaluated for: polite" in result.out
    assert result.out.count("judges not yet evaluated") == 1


# -- waivers ---------------------------------------------------------------------------


def test_a_waiver_lets_one_change_through_and_no_other(
    cli, toy: tuple[Path, str], work: Path
) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    fixture(suite, "wire-transfer", say="nope", severity="blocking", owner="payments")
    fixture(suite, "greeting", severity="blocking", owner="payments")
    args = ("gate", "--suite", str(suite), "--agent", agent, "--change", "prompt")
    assert cli(*args).code == 1

    md = work / "gate.md"
    waived = cli(
        *args,
        "--waive",
        "wire-transfer",
        "--waive",
        "wire-transfer",  # said twice: still one waiver
        "--by",
        "ana",
        "--reason",
        "known; fix ships tomorrow",
        "--markdown",
        str(md),
    )
    assert waived.code == 0, waived.err
    assert "waived:\n  wire-transfer by ana: known; fix ships tomorrow" in waived.out
    assert "PASSED" in waived.out
    assert "- `wire-transfer` waived by ana: known; fix ships tomorrow" in md.read_text()

    # Another change is not covered: a different change type...
    other = cli("gate", "--suite", str(suite), "--agent", agent, "--change", "prompt,policy")
    assert other.code == 1 and "waived" not in other.out
    # ...or a changed agent.
    source = agent_file(work, agent)
    source.write_text(source.read_text() + "\n# new behaviour\n")
    changed = cli(*args)
    assert changed.code == 1 and "waived" not in changed.out
    assert "held by 1 blocking fixture(s):" in changed.out


def test_a_waiver_needs_a_name_a_reason_and_a_selected_fixture(
    cli, toy: tuple[Path, str], work: Path
) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    fixture(suite, "wire-transfer", say="nope", severity="blocking", owner="payments")
    args = ("gate", "--suite", str(suite), "--agent", agent, "--waive", "wire-transfer")
    no_reason = one_error_line(cli(*args, "--by", "ana"))
    no_name = one_error_line(cli(*args, "--reason", "because"))
    for line in (no_reason, no_name):
        assert "--waive needs --by NAME and --reason TEXT" in line
    unknown = one_error_line(
        cli(
            "gate",
            "--suite",
            str(suite),
            "--agent",
            agent,
            "--waive",
            "wire",
            "--by",
            "a",
            "--reason",
            "r",
        )
    )
    assert "--waive wire: no such fixture" in unknown
    assert calls(work) == []


def test_a_waiver_for_a_named_change_does_not_cover_the_next_artifact_edit(
    cli, toy: tuple[Path, str], work: Path
) -> None:  # type: ignore[no-untyped-def]
    # `--change prompt` names the kind of change; the prompt files say which change it is.
    suite, agent = toy
    fixture(suite, "wire-transfer", say="nope", severity="blocking", owner="payments")
    (work / "prompts").mkdir()
    prompt = work / "prompts" / "system.txt"
    prompt.write_text("Be brief.\n")
    (work / "ratchet.toml").write_text(
        f'suite = "evals"\nagent = "{agent}"\n[artifacts]\nprompt = ["prompts/**"]\n'
    )
    waive = ("--waive", "wire-transfer", "--by", "ana", "--reason", "known")
    assert cli("gate", "--change", "prompt", *waive).code == 0
    assert cli("gate", "--change", "prompt").code == 0  # the same change, gated again
    prompt.write_text("Be brief and warm.\n")
    again = cli("gate", "--change", "prompt")
    assert again.code == 1 and "waived" not in again.out


# -- agents and config ---------------------------------------------------------------------


def test_a_bad_agent_spec_is_one_line(cli, toy: tuple[Path, str]) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    fixture(suite, "anything", severity="blocking", owner="core")
    module = agent.split(":")[0]
    cases = {
        "no_colon_here": "name the agent as module:function",
        "no_such_module_anywhere:run": "no module named 'no_such_module_anywhere'",
        f"{module}:nothere": f"module '{module}' has no attribute 'nothere'",
    }
    for spec, words in cases.items():
        for command in ("gate", "run"):
            line = one_error_line(cli(command, "--suite", str(suite), "--agent", spec))
            assert words in line, (spec, line)
    nothing = one_error_line(cli("gate", "--suite", str(suite)))
    assert "no agent to replay" in nothing


def test_a_broken_ratchet_toml_is_one_line(cli, toy: tuple[Path, str], work: Path) -> None:  # type: ignore[no-untyped-def]
    suite, _ = toy
    fixture(suite, "anything", severity="blocking", owner="core")
    config = work / "ratchet.toml"
    cases = {
        "agnet = 'x:run'\n": "unknown key `agnet`; did you mean `agent`?",
        "agent = 5\n": "`agent` must be a string",
        "[artifacts]\npromt = ['prompts/**']\n": "`promt` is not a change type; did you mean",
        "suite = [\n": "not valid TOML",
    }
    for text, words in cases.items():
        config.write_text(text)
        for command in ("gate", "run"):
            line = one_error_line(cli(command))
            assert "ratchet.toml" in line and words in line, (text, line)


def test_the_decision_is_stored_in_the_configured_project(
    cli_db, work: Path, db_url: str, home: Path
) -> None:  # type: ignore[no-untyped-def]
    copy_demo(work, "refunds")
    (work / "ratchet.toml").write_text(
        'suite = "refunds"\nagent = "ratchet.demo.agents.refunds:run_buggy"\nproject = "support"\n'
    )
    result = cli_db("gate", "--change", "topology", "--json-report", "gate.json")
    assert result.code == 1, result.err
    report = orjson.loads((work / "gate.json").read_bytes())
    st = open_store(url=db_url, home=str(home))
    try:
        assert [p.name for p in list_projects(st)] == ["support"]
        project = resolve_project(st, "support")
        (decision,) = list_decisions(st, project.id)
        assert decision["decision"] == "held" and decision["change_types"] == ["topology"]
        assert decision["run_id"] == report["run_id"]
        stored = decision["report"]
        assert isinstance(stored, dict)
        assert {v["id"] for v in stored["verdicts"]} == {
            "incident-2026-04-18-refund-approval-bypass",
            "refund-approval-bypass-regression",
            "small-refund-self-serve",
        }
        assert stored["change"]["source"] == "--change topology"
        rows = run_results(st, project.id, report["run_id"])
        assert len(rows) == 3 and {r["outcome"] for r in rows} == {"passed", "failed"}
    finally:
        st.close()


def test_an_unreachable_server_does_not_hide_the_decision(
    cli, toy: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import socket

    suite, agent = toy
    fixture(suite, "anything", severity="blocking", owner="core")
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    args = ("gate", "--suite", str(suite), "--agent", agent, "--server", url)
    keyless = cli(*args)
    assert "--server needs a key: set RATCHET_API_KEY" in one_error_line(keyless)
    assert keyless.out == ""  # refused before the run
    monkeypatch.setenv("RATCHET_API_KEY", "rk_test_key")
    result = cli(*args)
    assert result.code == 2
    assert "PASSED: no blocking fixture failed." in result.out
    assert f"could not post the decision to {url}/api/v1/gate-decisions" in result.err
