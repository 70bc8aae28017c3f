"""The release half of the demo works from the default, relative ``RATCHET_HOME``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from ratchet.demo.release import run_release_demo
from ratchet.store.store import open_store


def test_the_gates_run_with_a_relative_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RATCHET_DATABASE_URL", raising=False)
    open_store(home=".ratchet").close()  # as `ratchet demo` leaves it
    out = io.StringIO()
    results = run_release_demo(Path(".ratchet"), None, Console(file=out, width=200))
    assert [code for _title, code in results] == [1, 0, 1, 0], out.getvalue()
    assert (tmp_path / ".ratchet" / "demo-reports" / "gate-1.md").is_file()
