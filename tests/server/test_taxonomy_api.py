"""The taxonomy over REST: versioned, codes follow merges and splits, bad changes refused."""

from __future__ import annotations

from typing import Any

import httpx

from ratchet.store.projects import get_project
from support.live_server import LiveServer
from support.review_data import seed_traces


def _op(c: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    version = c.get("/api/v1/failure-modes").json()["version"]
    return c.post("/api/v1/taxonomy/operations", json={"taxonomy_version": version, **body})


def _note(c: httpx.Client, trace_id: str, text: str) -> str:
    resp = c.post("/api/v1/notes", json={"trace_id": trace_id, "text": text})
    assert resp.status_code == 201, resp.text
    return str(resp.json()["id"])


def _code(c: httpx.Client, note_id: str, *mode_ids: str) -> httpx.Response:
    version = c.get("/api/v1/failure-modes").json()["version"]
    return c.put(
        f"/api/v1/notes/{note_id}/codes",
        json={"mode_ids": list(mode_ids), "taxonomy_version": version},
    )


def _counts(c: httpx.Client) -> dict[str, int]:
    return {m["name"]: m["overall"]["count"] for m in c.get("/api/v1/counts").json()["modes"]}


def test_codes_follow_a_merge_and_a_split_and_the_log_says_who_and_why(
    server: LiveServer,
) -> None:
    ids = seed_traces(server.store, get_project(server.store, server.project).id)
    with server.client() as c:
        added = _op(c, {"op": "add", "name": "date-handling", "definition": "wrong day"})
        assert added.status_code == 201, added.text
        dates = added.json()["modes"][0]["id"]
        tz = _op(c, {"op": "add", "name": "timezone", "why": "seen twice"}).json()["modes"][0]["id"]
        n1 = _note(c, ids[0], "Booked next week instead of two weeks from now.")
        n2 = _note(c, ids[1], "Booked 9am in UTC, user is in Lisbon.")
        n3 = _note(c, ids[2], "Read 'end of next week' as Monday.")
        assert _code(c, n1, dates).json()["mode_ids"] == [dates]
        _code(c, n2, tz)
        _code(c, n3, dates)
        assert _counts(c) == {"date-handling": 2, "timezone": 1}
        line = next(m["line"] for m in c.get("/api/v1/counts").json()["modes"])
        assert line.startswith("date-handling: 2 of 3, ")

        merged = _op(c, {"op": "merge", "source_ids": [tz], "into_id": dates, "why": "same cause"})
        assert merged.status_code == 201, merged.text
        assert _counts(c) == {"date-handling": 3}
        assert c.get(f"/api/v1/notes/{n2}").json()["mode_ids"] == [dates]

        split = _op(
            c,
            {
                "op": "split",
                "mode_id": dates,
                "parts": [{"name": "relative-dates"}, {"name": "time-zones"}],
                "assignment": {n1: [0], n2: [1], n3: [0]},
                "why": "two causes",
            },
        )
        assert split.status_code == 201, split.text
        assert _counts(c) == {"relative-dates": 2, "time-zones": 1}

        log = c.get("/api/v1/taxonomy/operations").json()
        assert [(o["version"], o["kind"]) for o in log] == [
            (1, "add"),
            (2, "add"),
            (3, "merge"),
            (4, "split"),
        ]
        assert log[2]["by"] == "tester" and log[2]["why"] == "same cause"
        modes = {m["mode"]["name"]: m for m in c.get("/api/v1/failure-modes").json()["modes"]}
        assert modes["timezone"]["mode"]["status"] == "merged"
        assert modes["date-handling"]["mode"]["status"] == "split"


def test_bad_changes_are_refused_and_leave_the_taxonomy_as_it_was(server: LiveServer) -> None:
    ids = seed_traces(server.store, get_project(server.store, server.project).id)
    with server.client() as c:
        keep = _op(c, {"op": "add", "name": "tone"}).json()["modes"][0]["id"]
        old = _op(c, {"op": "add", "name": "refund-policy"}).json()["modes"][0]["id"]
        note = _note(c, ids[0], "Promised a refund the policy does not allow.")
        _code(c, note, old)
        unexplained = _op(c, {"op": "retire", "mode_id": keep})
        assert unexplained.status_code == 400 and "say why" in unexplained.text
        assert (
            _op(c, {"op": "retire", "mode_id": keep, "why": "not seen since v8"}).status_code == 201
        )
        before = c.get("/api/v1/failure-modes").json()

        into_retired = _op(c, {"op": "merge", "source_ids": [old], "into_id": keep, "why": "x"})
        assert into_retired.status_code == 400 and "retired" in into_retired.text
        unassigned = _op(
            c,
            {
                "op": "split",
                "mode_id": old,
                "parts": [{"name": "a"}, {"name": "b"}],
                "assignment": {},
                "why": "x",
            },
        )
        assert unassigned.status_code == 400 and note in unassigned.text
        stale = c.post(
            "/api/v1/taxonomy/operations",
            json={"op": "add", "name": "late", "taxonomy_version": 1},
        )
        assert stale.status_code == 409 and "reload" in stale.text
        duplicate = _op(c, {"op": "add", "name": " Refund-Policy "})
        assert duplicate.status_code == 400
        coded_retired = _code(c, note, keep)
        assert coded_retired.status_code == 400 and "retired" in coded_retired.text
        stale_code = c.put(
            f"/api/v1/notes/{note}/codes", json={"mode_ids": [old], "taxonomy_version": 0}
        )
        assert stale_code.status_code == 409
        assert c.get("/api/v1/failure-modes").json() == before


def test_suggestions_come_from_similar_coded_notes(server: LiveServer) -> None:
    ids = seed_traces(server.store, get_project(server.store, server.project).id)
    with server.client() as c:
        dates = _op(c, {"op": "add", "name": "date-handling"}).json()["modes"][0]["id"]
        refunds = _op(c, {"op": "add", "name": "refund-policy"}).json()["modes"][0]["id"]
        for i, (text, mode) in enumerate(
            [
                ("Booked the wrong day: two weeks read as one week.", dates),
                ("Wrong day booked for 'next Thursday'.", dates),
                ("Refunded 900 without the approval the policy requires.", refunds),
            ]
        ):
            _code(c, _note(c, ids[i], text), mode)
        fresh = _note(c, ids[5], "Booked the session on the wrong day again.")
        found = c.get(f"/api/v1/notes/{fresh}/suggestions").json()
        assert found[0]["name"] == "date-handling"
        assert found[0]["reason"].startswith("like note ")
        typed = c.post("/api/v1/suggestions", json={"text": "refund approval skipped"}).json()
        assert typed[0]["mode_id"] == refunds
