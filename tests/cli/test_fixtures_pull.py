"""``ratchet fixtures pull``: promoted fixtures land in the suite as files; local edits are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from ratchet.core.clock import ManualClock
from ratchet.fixtures.load import load_suite
from ratchet.fixtures.pull import STATE_FILE
from ratchet.review import promote
from ratchet.store.projects import ensure_project
from ratchet.store.store import Store
from support.live_server import LiveServer
from support.review_data import BASE, seed_traces
from support.suites import one_error_line

BODY = """# promoted from a review
id: refund-tool-error
owner: payments
severity: blocking
reason: Refund reported done although the tool failed.
input: {user_message: "Please refund order ord_0003"}
expect:
  no_error_spans: true
"""


def _promote(store: Store, text: str = BODY) -> None:
    project_id = ensure_project(store, "acme").id
    seed_traces(store, project_id, n=4)
    promote.save(store, project_id, text, by="dana", clock=ManualClock(BASE))


def test_pull_from_the_server_then_keep_local_edits(
    server: LiveServer, work: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _promote(server.store)
    monkeypatch.setenv("RATCHET_API_KEY", server.key)
    suite = work / "evals"
    first = cli("fixtures", "pull", "--suite", str(suite), "--server", server.url)
    assert first.code == 0, first.err
    path = suite / "refund-tool-error.yaml"
    assert path.read_text() == BODY
    assert "1 promoted fixture from " in first.err and "1 new" in first.err
    assert (suite / STATE_FILE).is_file()
    assert [f.id for f in load_suite(suite).files] == ["refund-tool-error"]

    again = cli("fixtures", "pull", "--suite", str(suite), "--server", server.url)
    assert "1 unchanged" in again.err

    # The server's copy changes: a file untouched here follows it.
    _promote(server.store, BODY.replace("blocking", "warning"))
    updated = cli("fixtures", "pull", "--suite", str(suite), "--server", server.url)
    assert "1 updated" in updated.err and "severity: warning" in path.read_text()

    # Edited here, then changed on the server: the local edit wins unless forced.
    path.write_text(path.read_text() + "# checked by the payments team\n")
    _promote(server.store, BODY.replace("Refund reported", "Refund claimed"))
    kept = cli("fixtures", "pull", "--suite", str(suite), "--server", server.url)
    assert kept.code == 0 and "1 kept" in kept.err
    assert "edited here since the last pull" in kept.err
    assert "# checked by the payments team" in path.read_text()
    forced = cli("fixtures", "pull", "--suite", str(suite), "--server", server.url, "--force")
    assert "1 updated" in forced.err and "Refund claimed" in path.read_text()


def test_pull_from_the_local_store_and_clear_errors(work: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ratchet.store.store import open_store

    home = tmp_path / "home"
    store = open_store(url=f"sqlite:///{home / 'ratchet.db'}", home=str(home))
    try:
        _promote(store)
    finally:
        store.close()
    done = cli("fixtures", "pull", "--suite", "evals", "--project", "acme")
    assert done.code == 0, done.err
    assert (work / "evals" / "refund-tool-error.yaml").read_text() == BODY
    assert "from the local store" in done.err
    no_key = cli("fixtures", "pull", "--server", "http://127.0.0.1:9")
    assert "needs a key" in one_error_line(no_key)
    (work / "evals" / STATE_FILE).write_text("{not json")
    broken = cli("fixtures", "pull", "--suite", "evals", "--project", "acme")
    assert "is not valid JSON" in one_error_line(broken)


def test_an_id_promoted_before_ids_were_checked_stops_the_pull_whole(  # type: ignore[no-untyped-def]
    work: Path, cli, tmp_path: Path
) -> None:
    from ratchet.store.promotions import Promotion, save_promotion
    from ratchet.store.store import open_store

    home = tmp_path / "home"
    store = open_store(url=f"sqlite:///{home / 'ratchet.db'}", home=str(home))
    try:
        _promote(store)
        # Stored straight into the table, as a server older than the id check could have.
        bad = Promotion("../escaped", "payments", "warning", "id: ../escaped\n", 1, 1)
        save_promotion(store, ensure_project(store, "acme").id, bad)
    finally:
        store.close()
    refused = one_error_line(cli("fixtures", "pull", "--suite", "evals", "--project", "acme"))
    assert "'../escaped'" in refused and "Nothing was written" in refused
    assert "delete it (DELETE /api/v1/promotions/ID) and promote it again" in refused
    assert not (work / "evals").exists() and not (work / "escaped.yaml").exists()
