"""An HTTP candidate: replayed by POST, calling its tools back on a loopback endpoint."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from ratchet.core.clock import ManualClock
from ratchet.core.ids import SequentialIds
from ratchet.core.spans import SpanStatus
from ratchet.evaluate.replay import ReplayOutcome, load_agent, replay
from ratchet.evaluate.replay.http_adapter import HttpAgent
from ratchet.evaluate.results import FindingKind
from tests.evaluate.replay.helpers import fixture, refs, span

Handler = Callable[[dict[str, Any]], tuple[int, str, bytes]]
MOCKS = {
    "read_order": {"returns": {"order_id": "o1", "amount": 840}},
    "issue_refund": {"side_effect": True},
}
received: list[dict[str, Any]] = []


def _json(status: int, body: Any) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(body).encode()


def refund_candidate(request: dict[str, Any]) -> tuple[int, str, bytes]:
    """A candidate in another language would do the same: call tools, report a step, answer."""
    auth = {"Authorization": f"Bearer {request['token']}"}
    with httpx.Client(timeout=5) as client:
        order = client.post(
            request["tools_url"],
            json={
                "name": "read_order",
                "arguments": {"order_id": request["case"]["input"]["order_id"]},
            },
            headers=auth,
        ).json()["result"]
        client.post(
            request["spans_url"],
            json={
                "type": "approval",
                "name": "required",
                "status": "waiting",
                "token": request["token"],
            },
        ).raise_for_status()
        missing = client.post(
            request["tools_url"], json={"name": "lookup_customer", "arguments": {}}, headers=auth
        ).json()
        forged = client.post(
            request["tools_url"],
            json={"name": "read_order", "arguments": {}},
            headers={"Authorization": "Bearer not-the-token"},
        )
    return _json(
        200,
        {
            "output": f"amount {order['amount']}; {missing['error']}; forged {forged.status_code}",
            "stop_reason": "needs_human_approval",
            "final_status": "needs_human",
        },
    )


class _Candidate(BaseHTTPRequestHandler):
    handle_request: Handler  # set per candidate by the fixture

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        received.append(body)
        status, kind, payload = type(self).handle_request(body)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def candidate() -> Iterator[Callable[[Handler], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(handler: Handler) -> str:
        handler_class = type("H", (_Candidate,), {"handle_request": staticmethod(handler)})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/replay"

    received.clear()
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def replay_http(fx: Any, url: str, **options: Any) -> ReplayOutcome:
    async def go() -> ReplayOutcome:
        agent = load_agent(url)
        try:
            return await replay(fx, agent, clock=ManualClock(), ids=SequentialIds(), **options)
        finally:
            assert isinstance(agent, HttpAgent)
            await agent.aclose()

    return asyncio.run(go())


def test_an_http_candidate_calls_its_tools_back_and_answers_like_a_function(
    candidate: Callable[[Handler], str],
) -> None:
    url = candidate(refund_candidate)
    fx = fixture(
        id="refund-http", input={"order_id": "o1"}, context={"route": "email"}, tools=MOCKS
    )

    outcome = replay_http(fx, url)

    assert outcome.error is None
    assert outcome.output == (
        "amount 840; no mock for tool 'lookup_customer' in fixture 'refund-http'; forged 403"
    )
    assert (outcome.stop_reason, outcome.final_status) == ("needs_human_approval", "needs_human")
    assert refs(outcome) == ["tool:read_order", "approval:required", "tool:lookup_customer"]
    assert span(outcome, "approval:required").status is SpanStatus.WAITING
    assert span(outcome, "tool:read_order").tool.arguments == {"order_id": "o1"}
    assert [f.kind for f in outcome.findings] == [FindingKind.UNMOCKED_TOOL]
    request = received[0]
    assert request["fixture_id"] == "refund-http"
    assert request["case"]["input"] == {"order_id": "o1"}
    assert request["case"]["context"] == {"route": "email"}
    assert request["tools_url"].startswith("http://127.0.0.1:")
    assert request["token"]


def test_a_text_reply_is_the_output_and_a_number_is_refused(
    candidate: Callable[[Handler], str],
) -> None:
    text = candidate(lambda request: (200, "text/plain", b"all done"))
    number = candidate(lambda request: _json(200, 7))

    assert replay_http(fixture(), text).output == "all done"
    assert replay_http(fixture(), number).error == (
        "agent returned int; expected a string or a mapping with `output`"
    )


def test_an_http_error_or_an_unreachable_candidate_is_an_error(
    candidate: Callable[[Handler], str],
) -> None:
    failing = candidate(lambda request: (500, "text/plain", b"Traceback: boom"))
    outcome = replay_http(fixture(), failing)
    assert (
        outcome.error
        == f"agent raised CandidateError: candidate {failing} answered HTTP 500: Traceback: boom"
    )

    unreachable = replay_http(fixture(), "http://127.0.0.1:9/replay")
    assert unreachable.error is not None
    assert unreachable.error.startswith(
        "agent raised CandidateError: could not reach candidate http://127.0.0.1:9/replay"
    )


def test_a_slow_candidate_times_out(candidate: Callable[[Handler], str]) -> None:
    release = threading.Event()

    def slow(request: dict[str, Any]) -> tuple[int, str, bytes]:
        release.wait(10)
        return _json(200, "late")

    url = candidate(slow)
    try:
        assert replay_http(fixture(), url, timeout_s=0.2).error == "timed out after 0.2 s"
    finally:
        release.set()


def test_the_tool_endpoint_refuses_what_it_does_not_serve(
    candidate: Callable[[Handler], str],
) -> None:
    answers: list[Any] = []

    def probing(request: dict[str, Any]) -> tuple[int, str, bytes]:
        tools_url, token = request["tools_url"], request["token"]
        base = tools_url.rsplit("/", 1)[0]
        with httpx.Client(timeout=5) as client:
            answers.append(client.post(tools_url, json={"name": "read_order"}).status_code)
            answers.append(client.get(tools_url).status_code)
            answers.append(client.post(base + "/other", json={}).status_code)
            answers.append(
                client.post(
                    tools_url, content=b"{not json", headers={"Authorization": f"Bearer {token}"}
                ).status_code
            )
            answers.append(
                client.post(tools_url, json={"token": token, "arguments": {}}).status_code
            )
            bad_step = client.post(
                request["spans_url"], json={"token": token, "type": "guardrail", "name": "x"}
            )
            answers.append((bad_step.status_code, bad_step.json()["error"][:25]))
            answers.append(
                client.post(tools_url, json={"token": token, "name": "read_order"}).json()
            )
        return _json(200, "probed")

    outcome = replay_http(fixture(tools=MOCKS), candidate(probing))

    assert outcome.output == "probed"
    assert answers == [
        403,
        405,
        404,
        400,
        400,
        (400, "unknown span type 'guardr"),
        {"result": {"order_id": "o1", "amount": 840}},
    ]
