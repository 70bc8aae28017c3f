"""``ratchet run`` as a user meets it: replay a suite, see what failed, find it in the store.

Most tests run on SQLite only; the ones that read the store back run on both databases.
"""

from __future__ import annotations

from pathlib import Path

import orjson

import ratchet
from ratchet.store.evals import get_run, run_results
from ratchet.store.projects import resolve_project
from ratchet.store.store import open_store
from support.suites import (
    FLAKY_AGENT,
    PEAK_AGENT,
    SOURCELESS_AGENT,
    TOY_AGENT,
    agent_file,
    calls,
    copy_demo,
    fixture,
    git,
    verdicts,
    write_agent,
)


def report(path: Path) -> dict[str, object]:
    data: dict[str, object] = orjson.loads(path.read_bytes())
    return data


def test_run_replays_a_suite_and_stores_every_result(
    cli_db, work: Path, db_url: str, home: Path
) -> None:  # type: ignore[no-untyped-def]
    cli = cli_db
    suite = copy_demo(work, "scheduling")
    agent = "ratchet.demo.agents.scheduling:run_buggy"
    assert not (work / "ratchet.toml").exists()
    out = work / "report.json"
    result = cli("run", "--suite", str(suite), "--agent", agent, "--json-report", str(out))
    assert result.code == 1, result.err
    assert result.out.startswith("3 fixtures run, 1 passed, 2 failed")  # no "changed:" line
    assert "relative-date-two-weeks-from-now" in result.out and "HELD" in result.out
    run_id = str(report(out)["run_id"])

    # Inside a repository the run is stamped with the commit checked out.
    git(work, "init", "-q")
    git(work, "add", "scheduling")
    git(work, "commit", "-q", "-m", "suite")
    head = git(work, "rev-parse", "HEAD")
    fixed = cli("run", "--suite", str(suite), "--agent", agent.replace("buggy", "fixed"))
    assert fixed.code == 0 and "3 fixtures run, 3 passed, 0 failed" in fixed.out

    st = open_store(url=db_url, home=str(home))
    try:
        project = resolve_project(st, None)
        first = get_run(st, project.id, run_id)
        assert first is not None
        assert first["kind"] == "run" and first["status"] == "finished"
        assert first["git_commit"] is None  # the suite was outside any repository then
        assert first["ratchet_version"] == ratchet.__version__ and first["agent"] == agent
        assert (first["fixture_count"], first["passed"], first["failed"]) == (3, 1, 2)
        rows = run_results(st, project.id, run_id)
        assert {(r["fixture_id"], r["outcome"]) for r in rows} == {
            ("booking-without-history", "passed"),
            ("relative-date-end-of-next-week", "failed"),
            ("relative-date-two-weeks-from-now", "failed"),
        }
        by_id = {r["fixture_id"]: r for r in rows}
        failed = by_id["relative-date-end-of-next-week"]
        assert "tool_args" in failed["checks"] and failed["trace_id"]  # kept: it failed
        assert by_id["booking-without-history"]["trace_id"] is None  # passed: not kept
        from sqlalchemy import select

        from ratchet.store.schema import eval_runs

        with st.read() as conn:
            commits = {
                r.id: r.git_commit
                for r in conn.execute(select(eval_runs.c.id, eval_runs.c.git_commit))
            }
        assert commits.pop(run_id) is None and list(commits.values()) == [head]
    finally:
        st.close()
    # The failed replay is browsable like a production trace.
    shown = cli("traces", "show", failed["trace_id"])
    assert shown.code == 0, shown.err
    assert "relative-date-end-of-next-week" in shown.out and "create_event" in shown.out


def test_repeat_runs_each_fixture_k_times_and_finds_flaky_ones(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    suite = work / "evals"
    fixture(suite, "steady", severity="warning")
    steady = write_agent(work, TOY_AGENT)
    out = work / "steady.json"
    result = cli(
        "run", "--suite", str(suite), "--agent", steady, "--repeat", "3", "--json-report", str(out)
    )
    assert result.code == 0, result.err
    assert verdicts(out)["steady"]["attempts"] == ["passed", "passed", "passed"]
    assert calls(work) == ["steady"] * 3

    flaky = write_agent(work, FLAKY_AGENT, "flaky")
    result = cli(
        "run", "--suite", str(suite), "--agent", flaky, "--repeat", "2", "--json-report", str(out)
    )
    assert result.code == 0  # a warning fixture: reported, not held
    assert "1 fixtures run, 0 passed, 0 failed, 1 flaky" in result.out
    assert "flaky: attempts passed, failed" in result.out
    assert verdicts(out)["steady"]["outcome"] == "flaky"


def test_a_second_identical_run_reuses_results_without_calling_the_agent(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    suite = work / "evals"
    for name in ("alpha", "beta", "gamma"):
        fixture(suite, name, severity="warning")
    agent = write_agent(work, TOY_AGENT)
    out = work / "report.json"

    def replay(*extra: str) -> dict[str, dict[str, object]]:
        result = cli(
            "run", "--suite", str(suite), "--agent", agent, "--json-report", str(out), *extra
        )
        assert result.code == 0, result.err
        return verdicts(out)

    first = replay()
    assert sorted(calls(work)) == ["alpha", "beta", "gamma"]
    assert not any(v["cached"] for v in first.values())

    again = replay()
    assert len(calls(work)) == 3  # not called at all
    assert all(v["cached"] and v["outcome"] == "passed" for v in again.values())

    # Editing one fixture re-runs that fixture alone.
    fixture(suite, "beta", severity="warning", reason="now with a reason")
    edited = replay()
    assert calls(work)[3:] == ["beta"]
    assert {k for k, v in edited.items() if not v["cached"]} == {"beta"}

    # Changing the agent's source re-runs everything.
    source = agent_file(work, agent)
    source.write_text(source.read_text() + "\n# tuned the prompt\n")
    replay()
    assert sorted(calls(work)[4:]) == ["alpha", "beta", "gamma"]

    # --no-cache re-runs everything too.
    fresh = replay("--no-cache")
    assert sorted(calls(work)[7:]) == ["alpha", "beta", "gamma"]
    assert not any(v["cached"] for v in fresh.values())


def test_errors_are_not_reused_from_the_cache(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    # A timeout says nothing about the candidate's behaviour: a longer one must replay it.
    suite = work / "evals"
    fixture(suite, "slow-answer", do="slow", severity="blocking", owner="core")
    agent = write_agent(work, TOY_AGENT)
    args = ("run", "--suite", str(suite), "--agent", agent)
    timed_out = cli(*args, "--timeout", "0.05")
    assert timed_out.code == 1 and "timed out after 0.05 s" in timed_out.out
    patient = cli(*args, "--timeout", "5")
    assert patient.code == 0, patient.out
    assert "1 fixtures run, 1 passed" in patient.out
    assert calls(work) == ["slow-answer"] * 2
    assert cli(*args, "--timeout", "5").code == 0
    assert len(calls(work)) == 2  # the pass is reused


def test_an_agent_without_findable_source_is_never_cached(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    suite = work / "evals"
    fixture(suite, "only", severity="warning")
    agent = write_agent(work, SOURCELESS_AGENT, "sourceless")
    out = work / "report.json"
    for _ in range(2):
        result = cli("run", "--suite", str(suite), "--agent", agent, "--json-report", str(out))
        assert result.code == 0, result.err
        assert verdicts(out)["only"]["cached"] is False
    assert calls(work) == ["call", "call"]


def test_concurrency_bounds_the_replays_in_flight(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    suite = work / "evals"
    for n in range(6):
        fixture(suite, f"case-{n}", severity="warning")
    agent = write_agent(work, PEAK_AGENT, "peak")
    peak = work / "peak.txt"
    result = cli("run", "--suite", str(suite), "--agent", agent, "--concurrency", "1")
    assert result.code == 0 and "6 passed" in result.out, result.err
    assert peak.read_text() == "1"
    peak.unlink()
    result = cli("run", "--suite", str(suite), "--agent", agent, "--concurrency", "4", "--no-cache")
    assert result.code == 0 and "6 passed" in result.out
    assert peak.read_text() == "4"


def test_an_agent_that_raises_hangs_or_returns_a_number_fails_its_fixture(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    suite = work / "evals"
    for do in ("raise", "hang", "number"):
        fixture(suite, f"agent-{do}", do=do, severity="blocking", owner="agents-team")
    fixture(suite, "agent-fine", severity="blocking", owner="agents-team")
    agent = write_agent(work, TOY_AGENT)
    out = work / "report.json"
    result = cli(
        "run",
        "--suite",
        str(suite),
        "--agent",
        agent,
        "--timeout",
        "0.2",
        "--json-report",
        str(out),
    )
    assert result.code == 1, result.err  # held, not a crash
    assert "Traceback" not in result.out + result.err
    assert "4 fixtures run, 1 passed, 0 failed, 3 error" in result.out
    found = verdicts(out)
    assert (
        found["agent-raise"]["reason"] == "agent raised ValueError: the candidate broke on purpose"
    )
    assert found["agent-hang"]["reason"] == "timed out after 0.2 s"
    assert str(found["agent-number"]["reason"]).startswith("agent returned int; expected a string")
    assert {v["outcome"] for k, v in found.items() if k != "agent-fine"} == {"error"}
    for reason in ("agent raised ValueError", "timed out after 0.2 s", "agent returned int"):
        assert reason in result.out


def test_strict_mocks_make_an_unmocked_call_a_failure_by_itself(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    suite = work / "evals"
    fixture(suite, "weather", do="unmocked", severity="blocking", owner="travel-team")
    agent = write_agent(work, TOY_AGENT)
    out = work / "report.json"

    lenient = cli("run", "--suite", str(suite), "--agent", agent, "--json-report", str(out))
    assert lenient.code == 0, lenient.err  # the expectations judge, and they hold
    found = verdicts(out)["weather"]
    assert found["outcome"] == "passed"
    assert any("lookup_weather" in f and "does not mock" in f for f in found["findings"])  # type: ignore[attr-defined]
    assert "weather: the agent called tool 'lookup_weather'" in lenient.out

    strict = cli(
        "run", "--suite", str(suite), "--agent", agent, "--strict-mocks", "--json-report", str(out)
    )
    assert strict.code == 1
    assert verdicts(out)["weather"]["outcome"] == "error"
    assert "called 'lookup_weather' with no mock to answer (strict mocks)" in strict.out
    assert "held by 1 blocking fixture" in strict.out


def test_an_unmocked_call_does_not_excuse_a_failed_expectation(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    suite = work / "evals"
    fixture(
        suite, "weather", do="unmocked", say="no idea", severity="blocking", owner="travel-team"
    )
    agent = write_agent(work, TOY_AGENT)
    result = cli("run", "--suite", str(suite), "--agent", agent)
    assert result.code == 1
    assert "output_must_contain: output lacks: 'all good'" in result.out
    assert "! the agent called tool 'lookup_weather'" in result.out


def test_keep_traces_decides_which_replays_are_stored(cli, work: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    suite = work / "evals"
    fixture(suite, "good", severity="warning")
    fixture(suite, "bad", say="nope", severity="warning")
    agent = write_agent(work, TOY_AGENT)
    out = work / "report.json"
    kept: dict[str, set[str]] = {}
    for keep in ("none", "failed", "all"):
        args = ("run", "--suite", str(suite), "--agent", agent, "--no-cache")
        result = cli(*args, "--keep-traces", keep, "--json-report", str(out))
        assert result.code == 0, result.err
        run_id = str(report(out)["run_id"])
        st = open_store(url=f"sqlite:///{tmp_path / 'home' / 'ratchet.db'}", home=str(tmp_path))
        try:
            rows = run_results(st, resolve_project(st, None).id, run_id)
        finally:
            st.close()
        kept[keep] = {r["fixture_id"] for r in rows if r["trace_id"]}
        for trace_id in (r["trace_id"] for r in rows if r["trace_id"]):
            assert cli("traces", "show", trace_id).code == 0
    assert kept == {"none": set(), "failed": {"bad"}, "all": {"bad", "good"}}
    bogus = cli("run", "--suite", str(suite), "--agent", agent, "--keep-traces", "some")
    assert bogus.code == 2 and "--keep-traces some: use failed, all or none" in bogus.err


def test_a_mock_whose_rules_never_match_is_reported_on_the_fixture(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    suite = copy_demo(work / "evals", "refunds")
    path = suite / "refund-approval-bypass-regression.yaml"
    text = path.read_text()
    # The fixture's author keyed the mock on the wrong order id.
    text = text.replace(
        "  read_order:\n    returns:",
        "  read_order:\n    - when: {order_id: ord_other}\n      returns:",
    )
    path.write_text(text)
    result = cli("run", "--suite", str(suite), "--agent", "ratchet.demo.agents.refunds:run_fixed")
    assert result.code == 1  # the fixed agent cannot read the order, so it cannot pass
    assert "refund-approval-bypass-regression" in result.out
    assert "read_order" in result.out and "matched" in result.out
