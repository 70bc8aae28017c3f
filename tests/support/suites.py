"""Suites and candidate agents written into a test's folder, for ``ratchet run`` and ``gate``.

The toy agent does what its fixture's ``input.do`` says (answer, raise, hang,
answer slowly, return a number, call an unmocked tool) and logs every call to ``calls.log``
next to it, so a test can tell whether the agent ran at all. Every agent
module gets a fresh name: the CLI runs in-process and Python caches modules
by name.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from support.cli import Result, run

DEMO_EVALS = Path(__file__).resolve().parents[2] / "src" / "ratchet" / "demo" / "app" / "evals"
_serial = itertools.count(1)

TOY_AGENT = """
import asyncio
from pathlib import Path

from ratchet.evaluate.replay import ToolError

LOG = Path(__file__).with_name("calls.log")


async def run(case, tools):
    with LOG.open("a") as log:
        log.write(case.input.get("id", "?") + "\\n")
    do = case.input.get("do", "say")
    if do == "raise":
        raise ValueError("the candidate broke on purpose")
    if do == "hang":
        await asyncio.sleep(60)
    if do == "slow":
        await asyncio.sleep(0.3)
    if do == "number":
        return 42
    if do == "unmocked":
        try:
            await tools.call("lookup_weather", city="Oslo")
        except ToolError:
            pass
    return {"output": case.input.get("say", ""), "final_status": "resolved"}
"""

# Passes on odd calls and fails on even ones: a flaky candidate, deterministically.
FLAKY_AGENT = """
CALLS = 0


async def run(case, tools):
    global CALLS
    CALLS += 1
    return "all good" if CALLS % 2 else "something broke"
"""

# Its code is compiled from a string, so there is no source file to hash.
SOURCELESS_AGENT = '''
from pathlib import Path

LOG = Path(__file__).with_name("calls.log")
exec(compile("""
async def run(case, tools):
    with LOG.open("a") as log:
        log.write("call\\\\n")
    return case.input.get("say", "")
""", "<generated>", "exec"))
'''

# Records how many replays were in flight at once.
PEAK_AGENT = """
import asyncio
from pathlib import Path

IN_FLIGHT = 0
PEAK = Path(__file__).with_name("peak.txt")


async def run(case, tools):
    global IN_FLIGHT
    IN_FLIGHT += 1
    old = int(PEAK.read_text()) if PEAK.exists() else 0
    PEAK.write_text(str(max(old, IN_FLIGHT)))
    for _ in range(5):
        await asyncio.sleep(0)
    IN_FLIGHT -= 1
    return case.input.get("say", "")
"""


def write_agent(folder: Path, source: str, stem: str = "toy") -> str:
    """Write an agent module into ``folder`` under a name no other test uses; its spec."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{stem}_agent_{os.getpid()}_{next(_serial)}"
    (folder / f"{name}.py").write_text(source.lstrip(), encoding="utf-8")
    return f"{name}:run"


def agent_file(folder: Path, spec: str) -> Path:
    return folder / (spec.split(":")[0] + ".py")


def calls(folder: Path) -> list[str]:
    """The fixture ids the toy agent was called with, in order."""
    log = folder / "calls.log"
    return log.read_text().split() if log.exists() else []


def fixture(
    folder: Path,
    fixture_id: str,
    *,
    say: str = "all good",
    do: str = "say",
    expect: dict[str, Any] | None = None,
    **fields: Any,
) -> Path:
    """A fixture for the toy agent: passes when the agent says ``all good``."""
    folder.mkdir(parents=True, exist_ok=True)
    body: dict[str, Any] = {"id": fixture_id, **fields}
    body["input"] = {"id": fixture_id, "say": say, "do": do}
    body["expect"] = expect if expect is not None else {"output_must_contain": ["all good"]}
    path = folder / f"{fixture_id}.yaml"
    path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return path


def copy_demo(dest: Path, name: str) -> Path:
    """A copy of a demo suite (refunds, scheduling), outside any git repository."""
    target = dest / name
    shutil.copytree(DEMO_EVALS / name, target)
    return target


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def forget_modules_under(folder: Path) -> None:
    """Drop agent modules imported from ``folder`` so the next test starts clean."""
    root = str(folder)
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(root):
            del sys.modules[name]


@contextmanager
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The folder the user runs ``ratchet`` in: no ratchet.toml, not a git repository."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setattr(sys, "path", [*sys.path])  # agents' folders are put on it
    try:
        yield folder
    finally:
        forget_modules_under(tmp_path)


def cli_runner(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, home: Path
) -> Callable[..., Result]:
    """``ratchet ARGS`` in-process on the store at ``url``, with no project or key preset."""
    monkeypatch.setenv("RATCHET_DATABASE_URL", url)
    monkeypatch.setenv("RATCHET_HOME", str(home))
    monkeypatch.delenv("RATCHET_PROJECT", raising=False)
    monkeypatch.delenv("RATCHET_API_KEY", raising=False)

    def invoke(*args: str) -> Result:
        return run(capsys, monkeypatch, *args)

    return invoke


def one_error_line(result: Result) -> str:
    """The single ``error:`` line a usage or configuration error prints (exit 2)."""
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    lines = [ln for ln in result.err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.err
    return lines[0]


def verdicts(path: Path) -> dict[str, dict[str, Any]]:
    """A ``--json-report`` file's verdicts by fixture id."""
    return {v["id"]: v for v in orjson.loads(path.read_bytes())["verdicts"]}
