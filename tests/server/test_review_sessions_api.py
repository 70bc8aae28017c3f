"""Review sessions and counts over REST: signal-first, no trace twice, saturation always said."""

from __future__ import annotations

from ratchet.core.signals import Signal, SignalKind
from ratchet.store.projects import get_project
from ratchet.store.signals_write import add_signal
from support.live_server import LiveServer
from support.review_data import BASE, seed_traces


def _seed(server: LiveServer) -> list[str]:
    project_id = get_project(server.store, server.project).id
    ids = seed_traces(server.store, project_id, n=12)
    flagged = [
        (ids[3], SignalKind.THUMBS_DOWN, 1.0),
        (ids[0], SignalKind.TOOL_ERROR, 0.6),
        (ids[0], SignalKind.REPHRASING, 0.5),
        (ids[6], SignalKind.TOOL_ERROR, 0.6),
        (ids[8], SignalKind.THUMBS_UP, 0.0),  # praise is not evidence of a failure
    ]
    for n, (trace_id, kind, strength) in enumerate(flagged):
        add_signal(
            server.store,
            project_id,
            Signal(id=f"s{n}", kind=kind, trace_id=trace_id, strength=strength, created_at=BASE),
        )
    return ids


def test_a_session_reads_flagged_traces_first_then_blind_picks(server: LiveServer) -> None:
    ids = _seed(server)
    with server.client() as c:
        resp = c.post(
            "/api/v1/review-sessions",
            json={"size": 6, "random_share": 0.5, "seed": 7, "name": "week 47"},
        )
        assert resp.status_code == 201, resp.text
        detail = resp.json()
        assert detail["session"]["name"] == "week 47"
        assert detail["session"]["created_by"] == "tester"
        queue = detail["queue"]
        traces = [q["item"]["trace_id"] for q in queue]
        assert len(traces) == 6 and len(set(traces)) == 6
        reasons = {q["item"]["trace_id"]: q["item"]["reason"] for q in queue}
        assert reasons[ids[3]] == "signal:thumbs_down"
        assert reasons[ids[0]] == "signal:tool_error,rephrasing"
        assert reasons[ids[6]] == "signal:tool_error"
        assert sorted(r for r in reasons.values() if r == "random") == ["random"] * 3
        assert ids[8] not in reasons or reasons[ids[8]] == "random"
        assert [q["item"]["position"] for q in queue] == [1, 2, 3, 4, 5, 6]
        again = c.get(f"/api/v1/review-sessions/{detail['session']['id']}").json()
        assert [q["item"]["trace_id"] for q in again["queue"]] == traces
        assert again["session"]["items"] == 6 and again["session"]["reviewed"] == 0
        by_id = {q["item"]["trace_id"]: q for q in again["queue"]}
        assert by_id[ids[3]]["signal_kinds"] == ["thumbs_down"]


def test_reviewed_traces_are_not_drawn_again_and_counts_follow(server: LiveServer) -> None:
    ids = _seed(server)
    with server.client() as c:
        before = c.get("/api/v1/counts").json()
        assert before["reviewed"] == 0
        assert before["saturation"]["line"] == "not saturated: nothing reviewed yet"
        first = c.post("/api/v1/review-sessions", json={"size": 12, "seed": 1}).json()
        sid = first["session"]["id"]
        for trace_id in ids[:4]:
            verdict = c.put(
                f"/api/v1/review-sessions/{sid}/items/{trace_id}", json={"verdict": "pass"}
            )
            assert verdict.status_code == 200 and verdict.json()["reviewed_by"] == "tester"
        c.post("/api/v1/notes", json={"trace_id": ids[4], "text": "Wrong day", "session_id": sid})
        status = c.get("/api/v1/counts").json()
        assert status["reviewed"] == 5
        assert status["saturation"]["line"].startswith("not saturated: 5 traces reviewed")
        assert status["sessions"][0]["reviewed"] == 5
        second = c.post("/api/v1/review-sessions", json={"size": 12, "seed": 2}).json()
        drawn = {q["item"]["trace_id"] for q in second["queue"]}
        assert drawn == set(ids[5:])


def test_sessions_refuse_what_cannot_be_drawn(server: LiveServer) -> None:
    with server.client() as c:
        empty = c.post("/api/v1/review-sessions", json={"size": 10})
        assert empty.status_code == 400
        assert "no production trace left to review" in empty.json()["error"]["message"]
        _seed(server)
        for body in ({"size": 0}, {"random_share": 1.5}, {"stratify": "colour"}):
            bad = c.post("/api/v1/review-sessions", json=body)
            assert bad.status_code == 422, body
        missing = c.get("/api/v1/review-sessions/rs-nope")
        assert missing.status_code == 404 and "ratchet review status" in missing.text
        stray = c.put("/api/v1/review-sessions/rs-nope/items/" + "0" * 32, json={"verdict": "fail"})
        assert stray.status_code == 404
        assert c.get("/api/v1/review-sessions").json() == []


def test_a_trace_stays_reviewed_once_judged_or_noted(server: LiveServer) -> None:
    ids = _seed(server)
    with server.client() as c:
        sid = c.post("/api/v1/review-sessions", json={"size": 3, "seed": 4}).json()["session"]["id"]
        queue = c.get(f"/api/v1/review-sessions/{sid}").json()["queue"]
        judged, noted = queue[0]["item"]["trace_id"], queue[1]["item"]["trace_id"]
        url = f"/api/v1/review-sessions/{sid}/items/"
        first = c.put(url + judged, json={"verdict": "fail"}).json()["reviewed_at"]
        assert c.put(url + judged, json={"verdict": "pass"}).json()["reviewed_at"] == first
        c.post("/api/v1/notes", json={"trace_id": noted, "text": "wrong day", "session_id": sid})
        cleared = c.put(url + noted, json={"verdict": None}).json()
        assert cleared["verdict"] is None and cleared["reviewed_at"] is not None  # the note stays
        unjudged = c.put(url + judged, json={"verdict": None}).json()
        assert unjudged["reviewed_at"] is None  # no note: back to unread
        # A note written outside any session also keeps the trace out of later samples.
        outside = next(t for t in ids if t not in {q["item"]["trace_id"] for q in queue})
        c.post("/api/v1/notes", json={"trace_id": outside, "text": "tone is off"})
        later = c.post("/api/v1/review-sessions", json={"size": 12, "seed": 5}).json()
        drawn = {q["item"]["trace_id"] for q in later["queue"]}
        assert outside not in drawn and noted not in drawn and judged in drawn
