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
