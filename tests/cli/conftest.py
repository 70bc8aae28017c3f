"""Fixtures of the suite-running commands' tests (`run`, `gate`, `gate merge`).

A test module that defines its own ``cli`` (the older command tests) keeps it:
a module's fixture wins over this file's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.suites import TOY_AGENT, cli_runner, workdir, write_agent


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The folder the user runs ``ratchet`` in: no ratchet.toml, not a git repository."""
    with workdir(tmp_path, monkeypatch) as folder:
        yield folder


@pytest.fixture
def cli(
    work: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):  # type: ignore[no-untyped-def]
    """``ratchet ARGS`` in-process, from ``work``, on an SQLite store of its own."""
    home = tmp_path / "home"
    return cli_runner(capsys, monkeypatch, f"sqlite:///{home / 'ratchet.db'}", home)


@pytest.fixture
def cli_db(
    work: Path,
    db_url: str,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):  # type: ignore[no-untyped-def]
    """``cli`` on SQLite and on PostgreSQL."""
    return cli_runner(capsys, monkeypatch, db_url, home)


@pytest.fixture
def toy(work: Path) -> tuple[Path, str]:
    """A suite folder (empty) and the toy agent's spec."""
    return work / "evals", write_agent(work, TOY_AGENT)
