"""``ratchet gate --server``: the decision reaches a running Ratchet server over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.live_server import LiveServer
from support.suites import TOY_AGENT, cli_runner, fixture, write_agent


def test_the_decision_is_posted_to_the_server(
    server: LiveServer,
    work: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "ci-home"
    cli = cli_runner(capsys, monkeypatch, f"sqlite:///{home / 'ratchet.db'}", home)
    suite, agent = work / "evals", write_agent(work, TOY_AGENT)
    fixture(suite, "refund-needs-approval", say="nope", severity="blocking", owner="payments")
    base = ("gate", "--suite", str(suite), "--agent", agent, "--change", "prompt")

    monkeypatch.delenv("RATCHET_API_KEY", raising=False)
    refused = cli(*base, "--server", server.url)
    assert refused.code == 2 and "RATCHET_API_KEY" in refused.err

    monkeypatch.setenv("RATCHET_API_KEY", server.key)
    held = cli(*base, "--server", server.url)
    assert held.code == 1
    assert f"decision posted to {server.url}" in held.err
    with server.client() as client:
        listed = client.get("/api/v1/gate-decisions").json()
    assert [d["decision"] for d in listed] == ["held"]
    assert listed[0]["held"] == ["refund-needs-approval"]
    assert listed[0]["change_types"] == ["prompt"]

    # A server that cannot be reached, when asked for, is an error, after the summary.
    gone = cli(*base, "--server", "http://127.0.0.1:9")
    assert gone.code == 2 and "could not post the decision" in gone.err
    assert "refund-needs-approval" in gone.out
