"""``ratchet gate`` works out what changed: from git, from two manifests, or from flags.

They run on SQLite only: the store is not what they are about.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from support.suites import (
    TOY_AGENT,
    agent_file,
    calls,
    copy_demo,
    fixture,
    git,
    one_error_line,
    write_agent,
)

ALL = "memory_rule, model, policy, prompt, retrieval_index, tool_schema, topology"


def _repo(work: Path) -> tuple[Path, str]:
    """An application repository with prompt and policy artifacts and two fixtures."""
    repo = work / "app"
    (repo / "prompts" / "refunds").mkdir(parents=True)
    (repo / "prompts" / "refunds" / "system.txt").write_text("Be brief.\n")
    (repo / "policies").mkdir()
    (repo / "policies" / "refunds.yaml").write_text("threshold: 500\n")
    agent = write_agent(repo, TOY_AGENT)
    fixture(repo / "evals", "prompt-guard", severity="blocking", owner="support", gates=["prompt"])
    fixture(repo / "evals", "policy-guard", severity="blocking", owner="support", gates=["policy"])
    (repo / "ratchet.toml").write_text(
        f'suite = "evals"\nagent = "{agent}"\n\n'
        '[artifacts]\nprompt = ["prompts/**"]\npolicy = ["policies/*.yaml"]\n'
    )
    (repo / ".gitignore").write_text("__pycache__/\ncalls.log\n*.json\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "app")
    return repo, agent


def test_since_a_ref_gates_the_change_types_of_the_changed_artifact_files(
    cli, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    repo, agent = _repo(work)
    monkeypatch.chdir(repo)

    nothing = cli("gate", "--since", "HEAD")
    assert nothing.code == 0, nothing.err
    assert "no fixture protects what changed: nothing (from git diff HEAD); nothing to replay" in (
        nothing.out
    )

    (repo / "prompts" / "refunds" / "system.txt").write_text("Be brief and warm.\n")
    prompt = cli("gate", "--since", "HEAD")
    assert prompt.code == 0, prompt.err
    assert "changed: prompt (from git diff HEAD)" in prompt.out
    assert "1 fixtures run, 1 passed" in prompt.out
    assert calls(repo) == ["prompt-guard"]
    assert "outside every artifact glob" not in prompt.out

    # Agent code matches no artifact glob: it counts as every change type, and the gate says so.
    source = agent_file(repo, agent)
    source.write_text(source.read_text() + "\n# refactor\n")
    everything = cli("gate", "--since", "HEAD")
    assert everything.code == 0
    assert f"changed: {ALL} (from git diff HEAD)" in everything.out
    assert f"files outside every artifact glob count as every change type: {source.name}" in (
        everything.out
    )
    assert "warning: 1 changed file(s) match no artifact glob" in everything.out
    assert sorted(calls(repo)[1:]) == ["policy-guard", "prompt-guard"]

    missing = one_error_line(cli("gate", "--since", "no-such-branch"))
    assert "--since no-such-branch: no such commit, branch or tag" in missing


def test_ratchet_state_inside_the_repository_is_not_a_change(
    cli, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # By default the store lives in ./.ratchet: the gate must not count its own files.
    repo, _ = _repo(work)
    monkeypatch.chdir(repo)
    monkeypatch.delenv("RATCHET_DATABASE_URL")
    monkeypatch.setenv("RATCHET_HOME", str(repo / ".ratchet"))
    (repo / "prompts" / "refunds" / "system.txt").write_text("Be brief and warm.\n")
    first = cli("gate", "--since", "HEAD", "--json-report", "first.json")
    second = cli("gate", "--since", "HEAD", "--json-report", "second.json")
    assert (repo / ".ratchet" / "ratchet.db").is_file()
    for result in (first, second):
        assert result.code == 0, result.err
        assert "changed: prompt (from git diff HEAD)" in result.out
    keys = {
        orjson.loads((repo / n).read_bytes())["change"]["key"]
        for n in ("first.json", "second.json")
    }
    assert len(keys) == 1  # the same change both times: a waiver given for it still applies


def test_two_manifests_give_the_change_types_that_differ(
    cli, toy: tuple[Path, str], work: Path
) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    fixture(suite, "prompt-guard", severity="warning", gates=["prompt"])
    fixture(suite, "model-guard", severity="warning", gates=["model"])
    base, cand = work / "production.yaml", work / "candidate.yaml"
    base.write_text("prompt: {system: v12}\nmodel: {main: northwind-l}\n")
    cand.write_text("prompt: {system: v13}\nmodel: {main: northwind-l}\n")
    args = ("gate", "--suite", str(suite), "--agent", agent)
    result = cli(*args, "--baseline", str(base), "--candidate", str(cand))
    assert result.code == 0, result.err
    assert "changed: prompt (from manifests production.yaml -> candidate.yaml)" in result.out
    assert calls(work) == ["prompt-guard"]
    alone = one_error_line(cli(*args, "--baseline", str(base)))
    assert "--baseline needs --candidate" in alone
    both = one_error_line(
        cli(*args, "--baseline", str(base), "--candidate", str(cand), "--change", "model")
    )
    assert "name the change one way" in both


def test_change_flags_repeat_or_take_commas_and_catch_typos(
    cli, toy: tuple[Path, str], work: Path
) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    for kind in ("prompt", "policy", "model"):
        fixture(suite, f"{kind}-guard", severity="warning", gates=[kind])
    args = ("gate", "--suite", str(suite), "--agent", agent)
    repeated = cli(*args, "--change", "prompt", "--change", "policy")
    commas = cli(*args, "--change", "prompt,policy")
    for result in (repeated, commas):
        assert result.code == 0, result.err
        assert "changed: policy, prompt (from --change policy,prompt)" in result.out
        assert "2 fixtures run" in result.out
    assert sorted(calls(work)) == ["policy-guard", "prompt-guard"]  # then reused: same change
    typo = one_error_line(cli(*args, "--change", "prompt,promt"))
    assert "--change promt: not a change type; did you mean `prompt`?" in typo


def test_no_fixture_selected_passes_and_names_the_change(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    folder = copy_demo(work, "scheduling")  # protects prompt, model, tool_schema
    agent = "ratchet.demo.agents.scheduling:run_buggy"
    out = work / "report.json"
    result = cli(
        "gate",
        "--suite",
        str(folder),
        "--agent",
        agent,
        "--change",
        "policy",
        "--json-report",
        str(out),
    )
    assert result.code == 0, result.err
    assert result.out.strip() == (
        "no fixture protects what changed: policy (from --change policy); nothing to replay"
    )
    written = orjson.loads(out.read_bytes())
    assert written["decision"] == "passed" and written["verdicts"] == []
