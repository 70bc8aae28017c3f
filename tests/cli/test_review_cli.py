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


def test_user_text_is_printed_as_written_never_as_markup(
    cli, work: Path, seeded: list[str]
) -> None:  # type: ignore[no-untyped-def]
    # Rich would read '[/]' as a closing tag and fail after the session was stored.
    started = cli("review", "start", "--size", "2", "--name", "[/] week [bold]47", "-p", "acme")
    assert started.code == 0, started.err
    assert "([/] week [bold]47): 2 traces" in started.err
    listed = cli("online-checks", "list", "-p", "acme")
    assert "add [[online_checks]] to ratchet.toml" in listed.out


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('sample_rate = "x"', "online check 'bad': sample_rate is 'x', not a number"),
        ("sample_rate = true", "online check 'bad': sample_rate is True, not a number"),
        ('enabled = "false"', "online check 'bad': enabled is 'false'; write enabled = true"),
        ('filter = "refunds"', "online check 'bad': filter is 'refunds', not a table"),
    ],
)
def test_a_badly_typed_online_check_is_one_line_naming_the_check_and_field(  # type: ignore[no-untyped-def]
    cli, work: Path, seeded: list[str], line: str, words: str
) -> None:
    (work / "ratchet.toml").write_text(
        f'[[online_checks]]\nid = "bad"\n{line}\nexpect = {{ final_status = "resolved" }}\n'
    )
    assert words in one_error_line(cli("online-checks", "push", "-p", "acme"))
    assert "no online checks" in cli("online-checks", "list", "-p", "acme").out
