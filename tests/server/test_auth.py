"""Auth is on by default: every route refuses unauthenticated calls and other projects' data,
and every route declares its permission."""

from __future__ import annotations

import httpx
import pytest
from fastapi.routing import APIRoute

from ratchet.server.app import create_app
from ratchet.server.auth import Permission, Public
from ratchet.store.keys import create_key, revoke_key
from ratchet.store.store import Store
from support.live_server import LiveServer
from support.otlp import request_bytes
from support.review_ui import flat_routes

PB = {"Content-Type": "application/x-protobuf"}
TRACE = "05" * 16
GATE_REPORT = {
    "decision": "held",
    "exit_code": 1,
    "change": {"types": ["prompt"], "source": "--change prompt", "key": "k1"},
    "verdicts": [
        {"id": "refund-approval", "severity": "blocking", "outcome": "failed", "held": True}
    ],
}

# Every route of the API with a request that would succeed for the owner.
ROUTES = [
    ("POST", "/v1/traces", {"content": request_bytes(2, trace_byte=5), "headers": PB}),
    ("GET", "/api/v1/traces", {}),
    ("GET", f"/api/v1/traces/{TRACE}", {}),
    ("GET", f"/api/v1/traces/{TRACE}/signals", {}),
    ("POST", "/api/v1/feedback", {"json": {"trace_id": TRACE, "kind": "thumbs_down"}}),
    ("POST", "/api/v1/incidents", {"json": {"severity": "sev2", "title": "refund promised"}}),
    ("GET", "/api/v1/incidents", {}),
    ("POST", "/api/v1/gate-decisions", {"json": GATE_REPORT}),
    ("GET", "/api/v1/gate-decisions", {}),
    ("POST", "/api/v1/review-sessions", {"json": {"size": 5}}),
    ("POST", "/api/v1/notes", {"json": {"trace_id": TRACE, "text": "wrong day"}}),
    ("GET", f"/api/v1/traces/{TRACE}/notes", {}),
    ("GET", f"/api/v1/traces/{TRACE}/promotion-draft", {}),
    ("POST", "/api/v1/promotions/check", {"json": {"body": "id: x\n"}}),
    ("POST", "/api/v1/promotions", {"json": {"body": "id: x\n"}}),
    ("GET", "/api/v1/promotions", {}),
    ("GET", "/api/v1/promotions/x", {}),
    ("GET", "/api/v1/review-sessions", {}),
    ("GET", "/api/v1/counts", {}),
    ("GET", "/api/v1/failure-modes", {}),
    (
        "POST",
        "/api/v1/taxonomy/operations",
        {"json": {"op": "add", "name": "x", "taxonomy_version": 0}},
    ),
    ("GET", "/api/v1/taxonomy/operations", {}),
    ("POST", "/api/v1/suggestions", {"json": {"text": "wrong day"}}),
    (
        "PUT",
        "/api/v1/online-rules/no-errors",
        {"json": {"expect": {"no_error_spans": True}, "sample_rate": 0.5}},
    ),
    ("GET", "/api/v1/online-rules", {}),
    ("DELETE", "/api/v1/online-rules/no-errors", {}),
]
# Routes naming a resource made at run time: every one must still refuse a caller without a key.
ID_ROUTES = [
    ("PATCH", "/api/v1/notes/n1", {"json": {"text": "x"}}),
    ("GET", "/api/v1/notes/n1", {}),
    ("PUT", "/api/v1/notes/n1/codes", {"json": {"mode_ids": [], "taxonomy_version": 0}}),
    ("GET", "/api/v1/notes/n1/suggestions", {}),
    ("DELETE", "/api/v1/promotions/x", {}),
    ("GET", "/api/v1/review-sessions/rs1", {}),
    ("PUT", f"/api/v1/review-sessions/rs1/items/{TRACE}", {"json": {"verdict": "pass"}}),
]


def declared_permission(route: APIRoute) -> object:
    marker = getattr(route.endpoint, "__ratchet_permission__", None)
    if marker:
        return marker
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Permission | Public):
            return dep.call
        stack.extend(dep.dependencies)
    return None


def test_every_route_declares_a_permission(store: Store) -> None:
    app = create_app(store)
    routes = list(flat_routes(app.routes))
    # Included routers are nested: the walk must reach them (it once saw only /healthz).
    assert {"/review", "/api/v1/notes", "/v1/traces", "/login"} <= {r.path for r in routes}
    undeclared = [f"{sorted(r.methods)} {r.path}" for r in routes if declared_permission(r) is None]
    assert undeclared == []
    api_paths = {r.path for r in routes}
    tested = {_template(path) for _, path, _ in ROUTES + ID_ROUTES}
    untested = {p for p in api_paths if p.startswith(("/api/", "/v1/"))} - tested
    assert untested <= {"/api/v1/incidents/{incident_id}"}, f"add to ROUTES: {untested}"


def _template(path: str) -> str:
    return (
        path.replace(TRACE, "{trace_id}")
        .replace("/notes/n1", "/notes/{note_id}")
        .replace("/review-sessions/rs1", "/review-sessions/{session_id}")
        .replace("/promotions/x", "/promotions/{fixture_id}")
        .replace("/online-rules/no-errors", "/online-rules/{rule_id}")
    )


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    ROUTES + ID_ROUTES,
    ids=[f"{m} {p}" for m, p, _ in ROUTES + ID_ROUTES],
)
def test_unauthenticated_calls_are_401(
    server: LiveServer, method: str, path: str, kwargs: dict[str, object]
) -> None:
    for headers in ({}, {"Authorization": "Bearer rk_nope_nope"}, {"x-api-key": "wrong"}):
        merged = {**kwargs, "headers": {**kwargs.get("headers", {}), **headers}}  # type: ignore[dict-item]
        resp = httpx.request(method, server.url + path, **merged)  # type: ignore[arg-type]
        assert resp.status_code == 401, (headers, resp.text)


def test_the_owner_succeeds_and_another_project_sees_nothing(server: LiveServer) -> None:
    other_key, _ = create_key(server.store, "rival", "mallory")
    with server.client() as owner:
        for method, path, kwargs in ROUTES:
            resp = owner.request(method, path, **kwargs)  # type: ignore[arg-type]
            assert resp.status_code < 300, (method, path, resp.text)
    with server.client(other_key) as rival:
        assert rival.get("/api/v1/traces").json()["traces"] == []
        assert rival.get(f"/api/v1/traces/{TRACE}").status_code == 404
        assert rival.get(f"/api/v1/traces/{TRACE}/signals").status_code == 404
        assert rival.get("/api/v1/incidents").json() == []
        assert rival.get("/api/v1/gate-decisions").json() == []
        assert rival.get("/api/v1/review-sessions").json() == []
        assert rival.get("/api/v1/promotions").json() == []
        assert rival.get("/api/v1/promotions/x").status_code == 404
        assert rival.get(f"/api/v1/traces/{TRACE}/notes").status_code == 200
        assert rival.get(f"/api/v1/traces/{TRACE}/notes").json() == []
        assert rival.get("/api/v1/failure-modes").json() == {"version": 0, "modes": []}
        assert rival.get("/api/v1/counts").json()["reviewed"] == 0
        incident_id = owner_incident_id(server)
        assert rival.get(f"/api/v1/incidents/{incident_id}").status_code == 404
        # The body cannot choose the project: the rival's spans land in the rival's project.
        rival.post("/v1/traces", content=request_bytes(2, trace_byte=6), headers=PB)
    with server.client() as owner:
        assert owner.get("/api/v1/traces/" + "06" * 16).status_code == 404


def owner_incident_id(server: LiveServer) -> str:
    with server.client() as owner:
        return str(owner.get("/api/v1/incidents").json()[0]["id"])


def test_a_key_revoked_from_the_cli_stops_working_at_once(server: LiveServer) -> None:
    key, _ = create_key(server.store, server.project, "temp")
    with server.client(key) as client:
        assert client.get("/api/v1/traces").status_code == 200
        revoke_key(server.store, key)
        resp = client.get("/api/v1/traces")
        assert resp.status_code == 401
        assert resp.json()["error"]["message"] == "unknown or revoked API key"
        resp = client.post("/v1/traces", content=request_bytes(1), headers=PB)
        assert resp.status_code == 401


def test_x_api_key_header_works(server: LiveServer) -> None:
    resp = httpx.get(server.url + "/api/v1/traces", headers={"x-api-key": server.key})
    assert resp.status_code == 200


def test_healthz_needs_no_key(server: LiveServer) -> None:
    assert httpx.get(server.url + "/healthz").json()["status"] == "ok"


def test_ui_sends_a_visitor_without_session_to_login(server: LiveServer) -> None:
    resp = httpx.get(server.url + "/", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/login"
    assert "API key" in httpx.get(server.url + "/login").text
