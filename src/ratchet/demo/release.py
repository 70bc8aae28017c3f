"""The release side of the demo: gate two changes per agent, one that keeps the bug and the fix.

The example application (``demo/app``: artifact files, ratchet.toml, the
fixtures from the two incidents) is copied into a fresh git repository, and
each change is gated exactly as CI would: ``ratchet gate --since HEAD`` in a
new process, in the repository, on the demo's store.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from ratchet.core.errors import RatchetError
from ratchet.demo.agents.artifacts import POLICY_FILE, PROMPT_FILE, ROUTES_FILE, SHIPPED_APP

FIXES = Path(__file__).resolve().parent / "fixes"


@dataclass(frozen=True)
class Change:
    title: str
    agent: str
    suite: str
    files: dict[str, Path]  # repository path -> new content
    expect_exit: int


CHANGES = (
    Change(
        "scheduling: a friendlier prompt (the date bug is still there)",
        "ratchet.demo.agents.scheduling:run",
        "evals/scheduling",
        {PROMPT_FILE: FIXES / "tweak" / "scheduler-system.txt"},
        1,
    ),
    Change(
        "scheduling: the fix, the prompt states today's date",
        "ratchet.demo.agents.scheduling:run",
        "evals/scheduling",
        {PROMPT_FILE: FIXES / "fix" / "scheduler-system.txt"},
        0,
    ),
    Change(
        "refunds: a longer refund window (approval still skipped on email)",
        "ratchet.demo.agents.refunds:run",
        "evals/refunds",
        {POLICY_FILE: FIXES / "tweak" / "refund-policy.yaml"},
        1,
    ),
    Change(
        "refunds: the fix, every route stops for approval",
        "ratchet.demo.agents.refunds:run",
        "evals/refunds",
        {ROUTES_FILE: FIXES / "fix" / "refund-routes.yaml"},
        0,
    ),
)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Ratchet demo", "-c", "user.email=demo@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def make_repo(where: Path) -> Path:
    """A fresh repository holding the example application at its production versions."""
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(SHIPPED_APP, where, ignore=shutil.ignore_patterns("__pycache__"))
    _git(where, "init", "-q", "-b", "main")
    _git(where, "add", "-A")
    _git(where, "commit", "-q", "-m", "production: scheduler prompt v7, refund routes r3")
    return where


def gate_changes(
    repo: Path, env: dict[str, str], console: Console, reports: Path
) -> list[tuple[Change, int]]:
    """Apply each change in turn, gate it, and commit it when the gate passes."""
    results = []
    for number, change in enumerate(CHANGES, start=1):
        for name, source in change.files.items():
            (repo / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        console.rule(f"[bold]change {number}: {change.title}")
        command = [
            "ratchet", "gate", "--since", "HEAD",
            "--suite", change.suite, "--agent", change.agent,
            "--markdown", str(reports / f"gate-{number}.md"),
        ]  # fmt: skip
        console.print(f"$ {' '.join(command)}", highlight=False)
        done = subprocess.run(
            [sys.executable, "-m", "ratchet.cli.main", *command[1:]],
            cwd=repo,
            env={**env, "RATCHET_DEMO_APP": str(repo)},
            capture_output=True,
            text=True,
        )
        console.print(done.stdout.rstrip(), highlight=False, markup=False)
        if done.stderr.strip():
            console.print(done.stderr.rstrip(), highlight=False, markup=False)
        console.print(f"exit code {done.returncode}", highlight=False)
        results.append((change, done.returncode))
        if done.returncode == 0:
            _git(repo, "commit", "-q", "-am", change.title)
        else:
            _git(repo, "checkout", "-q", "--", *change.files)  # the held change does not ship
    return results


def run_release_demo(
    home: Path, database_url: str | None, console: Console
) -> list[tuple[str, int]]:
    """Gate the example changes on the demo's store; returns (change, exit code) pairs."""
    if shutil.which("git") is None:
        console.print("git is not installed: skipping the release gate part of the demo")
        return []
    # The gates run in the repository, so every path they are given must be absolute.
    home = home.resolve()
    repo = make_repo(home / "demo-app")
    reports = home / "demo-reports"
    reports.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RATCHET_")}
    env["RATCHET_HOME"] = str(home.resolve())
    env["RATCHET_PROJECT"] = "demo"
    if database_url:
        env["RATCHET_DATABASE_URL"] = database_url
    console.print(
        f"\n[bold]release gate[/]: the example app is a git repository at {repo};"
        " each change is gated with the fixtures from the two incidents"
    )
    results = gate_changes(repo, env, console, reports)
    console.print(f"\nMarkdown reports (PR comments) are in {reports}")
    wrong = [c.title for c, code in results if code != c.expect_exit]
    if wrong:
        raise RatchetError(
            f"the release demo went wrong: {'; '.join(wrong)} (see the gate output above)"
        )
    return [(change.title, code) for change, code in results]
