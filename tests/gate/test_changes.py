"""What changed: artifact globs, change-type names, manifests, and a git diff."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ratchet.core.errors import RatchetError
from ratchet.fixtures.model import ALL_CHANGE_TYPES, ChangeType
from ratchet.gate.changes import (
    classify,
    from_flags,
    from_git,
    from_manifests,
    parse_change_types,
)
from support.suites import git

PROMPT, POLICY, MODEL = ChangeType("prompt"), ChangeType("policy"), ChangeType("model")
ARTIFACTS = {PROMPT: ["prompts/**", "**/*.prompt"], POLICY: ["./policies/*.yaml"]}


def test_globs_classify_files_and_keep_the_rest_apart() -> None:
    files = [
        "prompts/refunds/system.txt",
        "prompts/x.txt",
        "agents/refunds/reply.prompt",
        "reply.prompt",
        "policies/refunds.yaml",
        "policies/old/refunds.yaml",  # `*` stays within one folder
        "app/agent.py",
    ]
    by_type, unmatched = classify(files, ARTIFACTS)
    assert by_type == {
        PROMPT: [
            "prompts/refunds/system.txt",
            "prompts/x.txt",
            "agents/refunds/reply.prompt",
            "reply.prompt",
        ],
        POLICY: ["policies/refunds.yaml"],
    }
    assert unmatched == ["policies/old/refunds.yaml", "app/agent.py"]


def test_change_type_names_repeat_take_commas_and_all() -> None:
    assert parse_change_types(["prompt, policy", "model", "prompt"]) == {PROMPT, POLICY, MODEL}
    assert parse_change_types(["all"]) == frozenset(ALL_CHANGE_TYPES)
    assert from_flags(["all"]).source == "--change all"
    assert from_flags(["policy,prompt"]).key == from_flags(["prompt", "policy"]).key
    assert from_flags(["prompt"]).key != from_flags(["prompt,policy"]).key
    with pytest.raises(RatchetError, match="did you mean `tool_schema`"):
        parse_change_types(["tool_shema"])
    with pytest.raises(RatchetError, match="use one of: prompt, "):
        parse_change_types(["everything-else"])


def test_two_manifests_give_the_kinds_whose_versions_differ(tmp_path: Path) -> None:
    base, cand, same = tmp_path / "base.yaml", tmp_path / "cand.json", tmp_path / "same.yaml"
    base.write_text("prompt: {system: v1}\nmodel: {main: m1}\npolicy: {refunds: p1}\n")
    cand.write_text(
        '{"prompt": {"system": "v2"}, "model": {"main": "m2"}, "policy": {"refunds": "p1"}}'
    )
    same.write_text(base.read_text())
    changed = from_manifests(base, cand)
    assert changed.types == {PROMPT, MODEL}
    assert changed.describe() == "model, prompt (from manifests base.yaml -> cand.json)"
    assert from_manifests(base, same).types == frozenset()
    assert from_manifests(base, same).key != changed.key
    (tmp_path / "bad.yaml").write_text("prompts: {system: v1}\n")
    with pytest.raises(RatchetError, match=re.escape("bad.yaml: not a version manifest")):
        from_manifests(base, tmp_path / "bad.yaml")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    (root / "prompts").mkdir(parents=True)
    (root / "policies").mkdir()
    (root / "prompts" / "system.txt").write_text("Be brief.\n")
    (root / "policies" / "refunds.yaml").write_text("threshold: 500\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "start")
    return root


def test_a_file_moved_out_of_an_artifact_glob_changed_that_artifact(repo: Path) -> None:
    git(repo, "mv", "policies/refunds.yaml", "prompts/refunds-policy.yaml")
    changed = from_git("HEAD", repo, ARTIFACTS)
    assert changed.types == {PROMPT, POLICY}
    assert changed.files == ("policies/refunds.yaml", "prompts/refunds-policy.yaml")


def test_untracked_files_count_and_ignored_folders_do_not(repo: Path) -> None:
    assert from_git("HEAD", repo, ARTIFACTS).types == frozenset()
    (repo / "prompts" / "new.txt").write_text("Hello.\n")
    first = from_git("HEAD", repo, ARTIFACTS)
    assert first.types == {PROMPT} and first.files == ("prompts/new.txt",)
    (repo / "prompts" / "new.txt").write_text("Hello there.\n")
    assert from_git("HEAD", repo, ARTIFACTS).key != first.key  # an untracked file's content counts

    state = repo / ".ratchet"
    state.mkdir()
    (state / "ratchet.db").write_bytes(b"\0" * 64)
    counted = from_git("HEAD", repo, ARTIFACTS)
    assert counted.types == frozenset(ALL_CHANGE_TYPES) and counted.unmatched == (
        ".ratchet/ratchet.db",
    )
    ignored = from_git("HEAD", repo, ARTIFACTS, ignore=(state, repo.parent / "elsewhere"))
    assert (
        ignored.types == {PROMPT}
        and ignored.key == from_git("HEAD", repo, ARTIFACTS, ignore=(state,)).key
    )
    (state / "ratchet.db").write_bytes(b"\1" * 64)
    assert from_git("HEAD", repo, ARTIFACTS, ignore=(state,)).key == ignored.key


def test_git_problems_are_configuration_errors(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(RatchetError, match="--since origin/main: no such commit, branch or tag"):
        from_git("origin/main", repo, ARTIFACTS)
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(RatchetError, match="is not inside a git repository"):
        from_git("HEAD", outside, ARTIFACTS)
