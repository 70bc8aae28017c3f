"""The SDK's feedback and incident helpers against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from ratchet.core import RatchetError, VersionManifest
from ratchet.sdk import FeedbackError, feedback, incident, version_attributes

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"

Reply = tuple[int, bytes, str]


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeServer:
    """A tiny HTTP server that records each request and answers with ``reply``."""

    url: str
    requests: list[Recorded] = field(default_factory=list)
    reply: Callable[[Recorded], Reply] = lambda request: (
        201,
        json.dumps({"id": "sig_1", **request.body}).encode(),
        "application/json",
    )


@pytest.fixture
def recorder() -> Iterator[FakeServer]:
    state = FakeServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            request = Recorded(
                method="POST",
                path=self.path,
                headers={key.lower(): value for key, value in self.headers.items()},
                body=json.loads(raw) if raw else None,
            )
            state.requests.append(request)
            status, payload, content_type = state.reply(request)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_feedback_posts_the_signal_with_the_bearer_key(recorder: FakeServer) -> None:
    created = feedback(
        "correction",
        trace_id=TRACE_ID.upper(),
        comment="Booked the wrong Tuesday",
        corrected_output={"date": "2026-04-28"},
        url=recorder.url + "/",
        api_key="rk_test_123",
    )

    [request] = recorder.requests
    assert request.path == "/api/v1/feedback"
    assert request.headers["authorization"] == "Bearer rk_test_123"
    assert request.headers["content-type"] == "application/json"
    assert request.body == {
        "kind": "correction",
        "trace_id": TRACE_ID,
        "comment": "Booked the wrong Tuesday",
        "corrected_output": {"date": "2026-04-28"},
    }
    assert created == {"id": "sig_1", **request.body}


def test_feedback_on_a_session_omits_fields_not_given(recorder: FakeServer) -> None:
    feedback("thumbs_down", session_id="sess_42", url=recorder.url, api_key="k")

    assert recorder.requests[0].body == {"kind": "thumbs_down", "session_id": "sess_42"}


def test_url_and_key_default_to_the_environment(
    recorder: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATCHET_URL", recorder.url)
    monkeypatch.setenv("RATCHET_API_KEY", "rk_from_env")

    feedback("thumbs_up", trace_id=TRACE_ID)

    assert recorder.requests[0].headers["authorization"] == "Bearer rk_from_env"


def test_a_given_client_is_used(recorder: FakeServer) -> None:
    with httpx.Client(base_url=recorder.url, headers={"x-app": "scheduler"}) as client:
        feedback("report", trace_id=TRACE_ID, comment="wrong day", api_key="k", client=client)

    assert recorder.requests[0].headers["x-app"] == "scheduler"
    assert recorder.requests[0].path == "/api/v1/feedback"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"kind": "meh", "trace_id": TRACE_ID}, "unknown feedback kind 'meh'"),
        ({"kind": "thumbs_down"}, "needs trace_id= (one run) or session_id="),
        ({"kind": "thumbs_down", "trace_id": "abc"}, "not an OTel trace id"),
    ],
)
def test_invalid_feedback_is_refused_before_sending(
    recorder: FakeServer, kwargs: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(FeedbackError, match=re.escape(fragment)):
        feedback(**kwargs, url=recorder.url, api_key="k")

    assert recorder.requests == []


def test_missing_url_or_key_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RATCHET_URL", raising=False)
    monkeypatch.delenv("RATCHET_API_KEY", raising=False)

    with pytest.raises(FeedbackError, match="RATCHET_API_KEY"):
        feedback("thumbs_up", trace_id=TRACE_ID, url="http://127.0.0.1:9")
    with pytest.raises(FeedbackError, match="RATCHET_URL"):
        feedback("thumbs_up", trace_id=TRACE_ID, api_key="k")


def test_the_servers_error_message_is_raised(recorder: FakeServer) -> None:
    error = {"error": {"code": "not_found", "message": "no trace 4bf92f35… in project demo"}}
    recorder.reply = lambda request: (404, json.dumps(error).encode(), "application/json")

    with pytest.raises(FeedbackError) as caught:
        feedback("thumbs_down", trace_id=TRACE_ID, url=recorder.url, api_key="k")

    assert caught.value.message == "no trace 4bf92f35… in project demo"
    assert caught.value.code == "not_found"
    assert caught.value.status == 404
    assert isinstance(caught.value, RatchetError)


def test_a_server_error_without_json_is_described(recorder: FakeServer) -> None:
    recorder.reply = lambda request: (502, b"upstream exploded", "text/plain")

    with pytest.raises(FeedbackError, match="HTTP 502 Bad Gateway: upstream exploded"):
        feedback("thumbs_down", trace_id=TRACE_ID, url=recorder.url, api_key="k")


def test_an_unreachable_server_gets_a_clear_message() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The port was free a moment ago and nothing listens on it now.
    url = f"http://127.0.0.1:{port}"

    with pytest.raises(FeedbackError, match=f"cannot reach the Ratchet server at {url}") as caught:
        feedback("thumbs_down", trace_id=TRACE_ID, url=url, api_key="k", timeout=2)

    assert caught.value.code == "unavailable"


def test_incident_posts_severity_title_and_linked_traces(recorder: FakeServer) -> None:
    incident(
        "sev2",
        "Refund approved without a lead",
        description="Over-threshold refunds on the email route skip approval.",
        trace_ids=[TRACE_ID],
        url=recorder.url,
        api_key="k",
    )

    [request] = recorder.requests
    assert request.path == "/api/v1/incidents"
    assert request.headers["authorization"] == "Bearer k"
    assert request.body == {
        "severity": "sev2",
        "title": "Refund approved without a lead",
        "description": "Over-threshold refunds on the email route skip approval.",
        "trace_ids": [TRACE_ID],
    }


def test_incident_with_unknown_severity_is_refused(recorder: FakeServer) -> None:
    with pytest.raises(FeedbackError, match="use one of sev1, sev2, sev3, sev4"):
        incident("critical", "x", url=recorder.url, api_key="k")
    assert recorder.requests == []


def test_version_attributes_from_a_mapping_and_a_manifest() -> None:
    assert version_attributes(
        {"prompt": {"refund_system": "v12"}, "model": {"planner": "lm-2026-03"}}
    ) == {
        "ratchet.version.prompt.refund_system": "v12",
        "ratchet.version.model.planner": "lm-2026-03",
    }
    manifest = VersionManifest(policy={"refunds": "2026-04"}, service="1.4.0")
    assert version_attributes(manifest) == {
        "service.version": "1.4.0",
        "ratchet.version.policy.refunds": "2026-04",
    }


def test_version_attributes_refuses_an_unknown_kind() -> None:
    with pytest.raises(RatchetError, match="unknown artifact kind 'prompts'"):
        version_attributes({"prompts": {"a": "1"}})
