"""The REST API as a user calls it: filtered, paged trace lists; feedback and incidents."""

from __future__ import annotations

from datetime import UTC, datetime

from ratchet.core.clock import to_unix_nanos
from ratchet.store.ingest import write_spans
from ratchet.store.projects import get_project
from ratchet.store.records import SpanRecord
from support.live_server import LiveServer

BASE = datetime(2026, 4, 18, 9, 0, tzinfo=UTC)


def seed_traces(server: LiveServer, n: int = 12) -> list[str]:
    """n traces a minute apart; every third fails; services alternate."""
    project = get_project(server.store, server.project)
    records = []
    ids = []
    for i in range(n):
        trace_id = f"{i + 1:032x}"
        ids.append(trace_id)
        start = to_unix_nanos(BASE) + i * 60 * 10**9
        records.append(
            SpanRecord(
                trace_id=trace_id,
                span_id=f"{1:016x}",
                name="run",
                start_ns=start,
                end_ns=start + 10**9,
                session_id=f"sess-{i // 2}",
                service="refunds" if i % 2 else "scheduling",
                final_status="needs_human" if i % 3 == 0 else "done",
            )
        )
        records.append(
            SpanRecord(
                trace_id=trace_id,
                span_id=f"{2:016x}",
                parent_span_id=f"{1:016x}",
                type="tool",
                name="read_order",
                status="error" if i % 3 == 0 else "ok",
                start_ns=start + 1000,
                end_ns=start + 2000,
            )
        )
    with server.store.write() as conn:
        write_spans(conn, project.id, records)
    return ids


def test_trace_list_filters_and_pages(server: LiveServer) -> None:
    ids = seed_traces(server)
    with server.client() as c:
        first = c.get("/api/v1/traces", params={"limit": 5}).json()
        assert [t["trace_id"] for t in first["traces"]] == ids[::-1][:5]
        second = c.get("/api/v1/traces", params={"limit": 5, "cursor": first["next_cursor"]}).json()
        third = c.get("/api/v1/traces", params={"limit": 5, "cursor": second["next_cursor"]}).json()
        seen = [t["trace_id"] for page in (first, second, third) for t in page["traces"]]
        assert seen == ids[::-1] and third["next_cursor"] is None

        errors = c.get("/api/v1/traces", params={"status": "error"}).json()["traces"]
        assert {t["trace_id"] for t in errors} == {ids[i] for i in range(0, 12, 3)}
        refunds = c.get("/api/v1/traces", params={"service": "refunds"}).json()["traces"]
        assert {t["trace_id"] for t in refunds} == {ids[i] for i in range(1, 12, 2)}
        window = c.get(
            "/api/v1/traces",
            params={"since": "2026-04-18T09:03:00Z", "until": "2026-04-18T09:06:00Z"},
        ).json()["traces"]
        assert [t["trace_id"] for t in window] == [ids[5], ids[4], ids[3]]
        human = c.get("/api/v1/traces", params={"final_status": "needs_human"}).json()["traces"]
        assert len(human) == 4


def test_has_signal_covers_trace_and_session_feedback(server: LiveServer) -> None:
    ids = seed_traces(server)
    with server.client() as c:
        assert c.get("/api/v1/traces", params={"has_signal": True}).json()["traces"] == []
        by_trace = c.post("/api/v1/feedback", json={"trace_id": ids[0], "kind": "thumbs_down"})
        assert by_trace.status_code == 201 and by_trace.json()["trace_found"] is True
        by_session = c.post(
            "/api/v1/feedback",
            json={"session_id": "sess-3", "kind": "report", "comment": "wrong day"},
        )
        assert by_session.status_code == 201
        flagged = c.get("/api/v1/traces", params={"has_signal": True}).json()["traces"]
        assert {t["trace_id"] for t in flagged} == {ids[0], ids[6], ids[7]}
        assert all(t["signal_count"] == 1 for t in flagged)
        unflagged = c.get("/api/v1/traces", params={"has_signal": False}).json()["traces"]
        assert len(unflagged) == 9
        signals = c.get(f"/api/v1/traces/{ids[7]}/signals").json()
        assert [(s["kind"], s["comment"]) for s in signals] == [("report", "wrong day")]
        assert signals[0]["created_by"] == "tester"


def test_feedback_before_its_trace_arrives_is_kept(server: LiveServer) -> None:
    late = "f" * 32
    with server.client() as c:
        resp = c.post(
            "/api/v1/feedback",
            json={
                "trace_id": late,
                "kind": "correction",
                "corrected_output": {"date": "2026-05-02"},
            },
        )
        assert resp.status_code == 201 and resp.json()["trace_found"] is False
    project = get_project(server.store, server.project)
    with server.store.write() as conn:
        write_spans(
            conn, project.id, [SpanRecord(trace_id=late, span_id="1" * 16, name="run", start_ns=1)]
        )
    with server.client() as c:
        trace = c.get(f"/api/v1/traces/{late}").json()
        assert trace["signal_count"] == 1
        signal = c.get(f"/api/v1/traces/{late}/signals").json()[0]
        assert signal["corrected_output"] == {"date": "2026-05-02"}


def test_bad_feedback_names_the_field_and_what_to_do(server: LiveServer) -> None:
    with server.client() as c:
        cases = {
            "unknown kind": ({"trace_id": "a" * 32, "kind": "meh"}, "thumbs_down"),
            "no target": ({"kind": "thumbs_up"}, "trace_id or session_id"),
            "bad id": ({"trace_id": "XYZ", "kind": "report"}, "32 lowercase hex"),
            "correction without answer": (
                {"trace_id": "a" * 32, "kind": "correction"},
                "corrected_output",
            ),
            "project in body": (
                {"trace_id": "a" * 32, "kind": "report", "project": "x"},
                "project",
            ),
        }
        for name, (payload, words) in cases.items():
            resp = c.post("/api/v1/feedback", json=payload)
            assert resp.status_code == 422, name
            assert words in resp.json()["error"]["message"], (name, resp.json())
        resp = c.post(
            "/api/v1/feedback", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert resp.status_code == 422 and "error" in resp.json()


def test_incidents_are_stored_with_their_traces(server: LiveServer) -> None:
    ids = seed_traces(server, 3)
    with server.client() as c:
        resp = c.post(
            "/api/v1/incidents",
            json={
                "id": "INC-2026-04-18",
                "severity": "high",
                "title": "Refund promised before approval",
                "trace_ids": ids[:2],
                "opened_at": "2026-04-18T10:00:00Z",
            },
        )
        assert resp.status_code == 201
        assert resp.json()["severity"] == "sev2"
        again = c.post(
            "/api/v1/incidents", json={"id": "INC-2026-04-18", "severity": "sev1", "title": "x"}
        )
        assert again.status_code == 409 and "already exists" in again.json()["error"]["message"]
        got = c.get("/api/v1/incidents/INC-2026-04-18").json()
        assert got["trace_ids"] == ids[:2] and got["title"] == "Refund promised before approval"
        bad = c.post("/api/v1/incidents", json={"severity": "urgent", "title": "x"})
        assert bad.status_code == 422 and "sev1" in bad.json()["error"]["message"]
        assert c.get("/api/v1/incidents/nope").status_code == 404


def test_unknown_trace_and_malformed_id(server: LiveServer) -> None:
    with server.client() as c:
        missing = c.get("/api/v1/traces/" + "0" * 31 + "1")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        bad = c.get("/api/v1/traces/NOT-AN-ID")
        assert bad.status_code == 400 and "32 lowercase hex" in bad.json()["error"]["message"]
        cursor = c.get("/api/v1/traces", params={"cursor": "!!"})
        assert cursor.status_code == 400 and "cursor" in cursor.json()["error"]["message"]
        nowhere = c.get("/api/v1/nothing-here")
        assert nowhere.status_code == 404 and "error" in nowhere.json()


def test_gate_decisions_posted_by_ci_are_listed_newest_first(server: LiveServer) -> None:
    report = {
        "decision": "held",
        "exit_code": 1,
        "agent": "app.agent:run",
        "change": {"types": ["policy", "prompt"], "source": "git diff origin/main", "key": "c1"},
        "verdicts": [
            {"id": "refund-approval", "severity": "blocking", "outcome": "failed", "held": True},
            {"id": "small-refund", "severity": "warning", "outcome": "passed"},
        ],
    }
    with server.client() as client:
        first = client.post("/api/v1/gate-decisions", json=report)
        assert first.status_code == 201
        assert first.json()["held"] == ["refund-approval"]
        passed = {**report, "decision": "passed", "exit_code": 0, "verdicts": []}
        assert client.post("/api/v1/gate-decisions", json=passed).status_code == 201
        listed = client.get("/api/v1/gate-decisions").json()
        assert [d["decision"] for d in listed] == ["passed", "held"]
        assert listed[1]["change_types"] == ["policy", "prompt"]
        assert listed[1]["agent"] == "app.agent:run"
        bad = client.post("/api/v1/gate-decisions", json={"decision": "held"})
        assert bad.status_code == 422 or bad.status_code == 400
        assert "error" in bad.json()
