"""The review loop from the command line: detect, sample, note, code, count, online checks."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from ratchet.store.projects import ensure_project
from ratchet.store.store import open_store
from support.review_data import seed_traces
from support.suites import one_error_line

TOML = """
project = "acme"

[[online_checks]]
id = "refunds-resolved"
sample_rate = 1.0
filter = { surface = "refunds" }
expect = { final_status = "resolved" }
"""


@pytest.fixture
def seeded(work: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    home = tmp_path / "home"
    monkeypatch.setenv("RATCHET_USER", "dana")
    store = open_store(url=f"sqlite:///{home / 'ratchet.db'}", home=str(home))
    try:
        return seed_traces(store, ensure_project(store, "acme").id)
    finally:
        store.close()


def test_the_review_loop_from_the_command_line(cli, work: Path, seeded: list[str]) -> None:  # type: ignore[no-untyped-def]
    (work / "ratchet.toml").write_text(TOML)
    pushed = cli("online-checks", "push")
    assert pushed.code == 0, pushed.err
    assert "stored 1 online checks: refunds-resolved" in pushed.out
    detected = cli("signals", "detect", "--settle", "0", "--session-idle", "0", "-p", "acme")
    assert detected.code == 0, detected.err
    assert "read 12 traces" in detected.out and "(2 from online checks)" in detected.out

    status = cli("review", "status", "-p", "acme")
    assert "not saturated: nothing reviewed yet" in status.out

    started = cli("review", "start", "--size", "4", "--seed", "3", "-p", "acme", "--json")
    assert started.code == 0, started.err
    session = orjson.loads(started.out)
    first = session["items"][0]
    assert first["reason"].startswith("signal:")

    mode = cli("taxonomy", "add", "tool-failure", "--why", "seen in week 47", "-p", "acme")
    mode_id = mode.out.strip()
    assert mode_id.startswith("fm")
    note = cli(
        "review",
        "note",
        first["trace_id"],
        "The booking tool failed and the user was told it worked.",
        "--session",
        session["session"]["id"],
        "-p",
        "acme",
    )
    assert note.code == 0, note.err
    coded = cli("review", "code", note.out.strip(), mode_id, "-p", "acme")
    assert coded.code == 0 and f"coded as: {mode_id}" in coded.err
    listed = cli("taxonomy", "list", "-p", "acme", "--json")
    assert orjson.loads(listed.out)["version"] == 1

    log = cli("taxonomy", "log", "-p", "acme")
    assert "dana" in log.out and "seen in week 47" in log.out
    after = cli("review", "status", "-p", "acme")
    assert "reviewed traces: 1" in after.out
    assert "tool-failure: 1 of 1, 21–100%" in after.out
    assert "not saturated: 1 trace reviewed" in after.out


def test_command_line_mistakes_are_one_clear_line(cli, work: Path, seeded: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert "no [[online_checks]]" in one_error_line(cli("online-checks", "push"))
    (work / "ratchet.toml").write_text(
        '[[online_checks]]\nid = "bad"\nexpect = { tools_caled = ["x"] }\n'
    )
    assert "tools_caled" in one_error_line(cli("online-checks", "push"))
    assert "--stratify colour" in one_error_line(
        cli("review", "start", "--stratify", "colour", "-p", "acme")
    )
    split = cli("taxonomy", "split", "fm1", "--part", "a", "--part", "b", "--assign", "n1=3")
    assert "NOTE_ID=N with N from 1 to 2" in one_error_line(split)
    assert "no failure mode" in one_error_line(cli("taxonomy", "retire", "fm-none", "-p", "acme"))
