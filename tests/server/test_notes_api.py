"""Notes and promotions over REST, as another tool (or the UI's script) would drive them."""

from __future__ import annotations

import yaml

from ratchet.store.keys import create_key
from ratchet.store.projects import get_project
from support.live_server import LiveServer
from support.review_data import seed_traces, span_id


def _seed(server: LiveServer) -> list[str]:
    return seed_traces(server.store, get_project(server.store, server.project).id)


def test_a_note_records_its_author_and_pinned_span_and_can_be_edited(server: LiveServer) -> None:
    ids = _seed(server)
    with server.client() as c:
        resp = c.post(
            "/api/v1/notes",
            json={
                "trace_id": ids[0],
                "text": "  Booked the wrong day: 'two weeks from now' read as next week. ",
                "first_error_span_id": span_id(0, 2),
            },
        )
        assert resp.status_code == 201, resp.text
        note = resp.json()
        assert note["text"] == "Booked the wrong day: 'two weeks from now' read as next week."
        assert (note["created_by"], note["first_error_span_id"]) == ("tester", span_id(0, 2))
        edited = c.patch(f"/api/v1/notes/{note['id']}", json={"text": "Wrong day booked."})
        assert edited.json()["text"] == "Wrong day booked." and edited.json()["updated_at"]
        listed = c.get(f"/api/v1/traces/{ids[0]}/notes").json()
        assert [n["id"] for n in listed] == [note["id"]]


def test_bad_notes_are_refused_with_what_to_do_and_nothing_is_stored(server: LiveServer) -> None:
    ids = _seed(server)
    rival_key, _ = create_key(server.store, "rival", "mallory")
    with server.client(rival_key) as rival:
        resp = rival.post("/api/v1/notes", json={"trace_id": ids[0], "text": "mine now"})
        assert resp.status_code == 404 and ids[0] in resp.json()["error"]["message"]
    with server.client() as c:
        empty = c.post("/api/v1/notes", json={"trace_id": ids[0], "text": "   "})
        assert empty.status_code == 400 and "the note is empty" in empty.json()["error"]["message"]
        stray = c.post(
            "/api/v1/notes",
            json={"trace_id": ids[0], "text": "x", "first_error_span_id": span_id(1, 2)},
        )
        assert stray.status_code == 404
        assert "is not in trace" in stray.json()["error"]["message"]
        assert c.get(f"/api/v1/traces/{ids[0]}/notes").json() == []


def test_promote_drafts_from_the_trace_validates_and_stores(server: LiveServer) -> None:
    ids = _seed(server)
    with server.client() as c:
        note = c.post(
            "/api/v1/notes",
            json={
                "trace_id": ids[3],
                "text": "Refund issued although the tool failed; told the user it was done.",
                "first_error_span_id": span_id(3, 3),
            },
        ).json()
        draft = c.get(
            f"/api/v1/traces/{ids[3]}/promotion-draft",
            params={"note_id": note["id"], "owner": "payments"},
        ).json()["body"]
        assert draft.startswith("# Drafted by a review promotion from trace")
        data = yaml.safe_load(draft)
        assert data["owner"] == "payments" and data["severity"] == "blocking"
        assert data["reason"].startswith("Refund issued although the tool failed")
        assert data["expect"]["no_error_spans"] is True  # the pinned span was in error
        assert data["source"]["trace_id"] == ids[3]

        check = c.post("/api/v1/promotions/check", json={"body": draft}).json()
        assert check == {"valid": True, "fixture_id": data["id"], "problems": []}
        saved = c.post(
            "/api/v1/promotions", json={"body": draft, "trace_id": ids[3], "note_id": note["id"]}
        )
        assert saved.status_code == 201, saved.text
        assert saved.json()["created_by"] == "tester"
        listed = c.get("/api/v1/promotions").json()
        assert [p["fixture_id"] for p in listed] == [data["id"]]
        assert c.get(f"/api/v1/promotions/{data['id']}").json()["body"] == draft


def test_a_promotion_that_fails_validation_is_refused_whole(server: LiveServer) -> None:
    _seed(server)
    with server.client() as c:
        bad = "id: refund-bad\nseverity: blocking\nexpect:\n  tools_caled: [x]\n"
        check = c.post("/api/v1/promotions/check", json={"body": bad}).json()
        assert check["valid"] is False
        fields = {p["field"] for p in check["problems"]}
        assert "expect.tools_caled" in fields
        resp = c.post("/api/v1/promotions", json={"body": bad})
        assert resp.status_code == 422
        message = resp.json()["error"]["message"]
        assert "tools_caled" in message and "did you mean" in message
        ownerless = c.post("/api/v1/promotions", json={"body": "id: x\nseverity: blocking\n"})
        assert ownerless.status_code == 422 and "needs an owner" in ownerless.text
        bad_since = c.get("/api/v1/promotions", params={"since": "yesterday"})
        assert bad_since.status_code == 400 and "ISO time" in bad_since.text
        assert c.get("/api/v1/promotions").json() == []


def _fixture(fixture_id: str, trace: str | None = None, owner: str = "payments") -> str:
    source = f"source: {{trace_id: '{trace}'}}\n" if trace else ""
    return (
        f"id: '{fixture_id}'\nowner: '{owner}'\nseverity: blocking\n{source}"
        "expect:\n  no_error_spans: true\n"
    )


def test_an_id_that_cannot_name_a_file_is_refused_on_the_id_field(server: LiveServer) -> None:
    _seed(server)
    with server.client() as c:
        for bad in ("../../evil", "a/b", "x" * 300):
            check = c.post("/api/v1/promotions/check", json={"body": _fixture(bad)}).json()
            assert check["valid"] is False, bad
            (problem,) = check["problems"]
            assert problem["field"] == "id" and problem["line"] == 1
            assert "cannot name a file" in problem["message"]
            assert "no slashes, up to 200 characters" in problem["hint"]
            saved = c.post("/api/v1/promotions", json={"body": _fixture(bad)})
            assert saved.status_code == 422 and "cannot name a file" in saved.text
        long_owner = c.post("/api/v1/promotions", json={"body": _fixture("ok", owner="o" * 201)})
        assert (
            long_owner.status_code == 422
            and "owner: the owner is 201 characters" in (long_owner.json()["error"]["message"])
        )
        assert c.get("/api/v1/promotions").json() == []


def test_a_promotion_links_only_to_a_mode_and_a_note_of_its_trace(server: LiveServer) -> None:
    ids = _seed(server)
    with server.client() as c:
        note = c.post("/api/v1/notes", json={"trace_id": ids[1], "text": "wrong day"}).json()
        body = _fixture("refund-links", ids[0])
        unknown = c.post("/api/v1/promotions", json={"body": body, "mode_id": "fm-nothing"})
        assert unknown.status_code == 404
        assert "no failure mode 'fm-nothing'" in unknown.json()["error"]["message"]
        # Longer than any mode id: refused before it reaches the store (PostgreSQL gave a 503).
        too_long = c.post("/api/v1/promotions", json={"body": body, "mode_id": "m" * 41})
        assert too_long.status_code == 422 and "mode_id" in too_long.text
        elsewhere = c.post("/api/v1/promotions", json={"body": body, "note_id": note["id"]})
        assert elsewhere.status_code == 400
        assert elsewhere.json()["error"]["message"].startswith(
            f"note {note['id']} is on trace {ids[1]}, not on {ids[0]}"
        )
        assert c.get("/api/v1/promotions").json() == []


def test_a_promotion_is_deleted_to_rename_it(server: LiveServer) -> None:
    ids = _seed(server)
    with server.client() as c:
        assert c.post("/api/v1/promotions", json={"body": _fixture("old-name", ids[0])}).is_success
        gone = c.delete("/api/v1/promotions/old-name")
        assert gone.status_code == 204 and gone.content == b""
        assert c.get("/api/v1/promotions/old-name").status_code == 404
        again = c.delete("/api/v1/promotions/old-name")
        assert again.status_code == 404
        assert "no promoted fixture 'old-name'" in again.json()["error"]["message"]
        renamed = c.post("/api/v1/promotions", json={"body": _fixture("new-name", ids[0])})
        assert renamed.status_code == 201
        assert [p["fixture_id"] for p in c.get("/api/v1/promotions").json()] == ["new-name"]


def test_another_reviewers_promotion_is_not_replaced_silently(server: LiveServer) -> None:
    ids = _seed(server)
    rival_key, _ = create_key(server.store, server.project, "mallory")
    with server.client() as c, server.client(rival_key) as rival:
        first = c.post("/api/v1/promotions", json={"body": _fixture("refund-x", ids[0])})
        assert first.status_code == 201
        # The editor saving again (same person, same trace) updates in place.
        edited = _fixture("refund-x", ids[0]) + "reason: edited\n"
        assert c.post("/api/v1/promotions", json={"body": edited}).status_code == 201

        taken = rival.post("/api/v1/promotions", json={"body": _fixture("refund-x", ids[0])})
        assert taken.status_code == 409
        message = taken.json()["error"]["message"]
        assert f"already promoted by tester from trace {ids[0]}" in message
        assert '"replace": true' in message
        other_trace = c.post("/api/v1/promotions", json={"body": _fixture("refund-x", ids[1])})
        assert other_trace.status_code == 409 and f"from trace {ids[0]}" in other_trace.text
        assert c.get("/api/v1/promotions/refund-x").json()["body"] == edited

        replaced = rival.post(
            "/api/v1/promotions", json={"body": _fixture("refund-x", ids[2]), "replace": True}
        )
        assert replaced.status_code == 201, replaced.text
        now = c.get("/api/v1/promotions/refund-x").json()
        assert (now["created_by"], now["trace_id"]) == ("mallory", ids[2])


def test_a_note_names_only_a_session_that_holds_its_trace(server: LiveServer) -> None:
    ids = _seed(server)
    with server.client() as c:
        started = c.post("/api/v1/review-sessions", json={"size": 2, "seed": 1}).json()
        session_id = started["session"]["id"]
        held = {row["item"]["trace_id"] for row in started["queue"]}
        outside = next(t for t in ids if t not in held)
        refused = c.post(
            "/api/v1/notes", json={"trace_id": outside, "text": "x", "session_id": session_id}
        )
        assert refused.status_code == 400
        assert refused.json()["error"]["message"].startswith(
            f"trace {outside} is not in review session {session_id}"
        )
        assert c.get(f"/api/v1/traces/{outside}/notes").json() == []
        inside = sorted(held)[0]
        ok = c.post(
            "/api/v1/notes", json={"trace_id": inside, "text": "x", "session_id": session_id}
        )
        assert ok.status_code == 201 and ok.json()["session_id"] == session_id
