"""The second form of candidate: an agent behind a URL.

For each fixture the harness POSTs to the candidate's URL::

    {"fixture_id": "…",
     "case": {"id", "input", "context", "state", "documents", "memory"},
     "tools_url": "http://127.0.0.1:PORT/tools",
     "spans_url": "http://127.0.0.1:PORT/spans",
     "token": "…"}

The candidate calls its tools back at ``tools_url`` (``{"name", "arguments"}``
→ ``{"result"}`` or ``{"error"}``, with the token as a bearer token or in the
body), may report steps at ``spans_url`` (see
:mod:`~ratchet.evaluate.replay.tool_server`), and answers with what a Python
agent returns: a JSON string, or an object with ``output`` and optionally
``stop_reason`` and ``final_status`` (a non-JSON body is the output text).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from ratchet.evaluate.replay.case import ReplayCase
from ratchet.evaluate.replay.tool_server import ToolServer
from ratchet.evaluate.replay.toolbox import Toolbox

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class CandidateError(Exception):
    """The HTTP candidate could not be reached, or answered with an error."""


class HttpAgent:
    """An HTTP candidate, called like an async Python agent: ``await agent(case, tools)``.

    Args:
        url: where the candidate listens.
        server: the tool endpoint to hand out; by default one of its own,
            started on the first call.
        connect_timeout_s: how long to wait for a connection. The replay's
            own timeout bounds the whole call.
    """

    #: No source here to hash: results of a remote candidate are never cached.
    remote = True

    def __init__(
        self, url: str, *, server: ToolServer | None = None, connect_timeout_s: float = 10.0
    ) -> None:
        self.url = url
        self._server = server or ToolServer()
        self._timeout = httpx.Timeout(None, connect=connect_timeout_s)
        # Talking to a candidate on this machine must not go through a proxy from the env.
        self._trust_env = urlsplit(url).hostname not in _LOOPBACK
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return f"HttpAgent({self.url!r})"

    async def __call__(self, case: ReplayCase, tools: Toolbox) -> Any:
        server = self._server
        await server.start()
        token = server.register(tools)
        try:
            body = orjson.dumps(
                {
                    "fixture_id": case.id,
                    "case": case.as_json(),
                    "tools_url": server.url("/tools"),
                    "spans_url": server.url("/spans"),
                    "token": token,
                },
                default=str,
                option=orjson.OPT_NON_STR_KEYS,
            )
            try:
                response = await self._http().post(
                    self.url, content=body, headers={"content-type": "application/json"}
                )
            except httpx.HTTPError as exc:
                detail = " ".join(str(exc).split()) or type(exc).__name__
                raise CandidateError(f"could not reach candidate {self.url}: {detail}") from None
        finally:
            server.unregister(token)
        if response.status_code >= 400:
            text = " ".join(response.text.split())[:200]
            raise CandidateError(
                f"candidate {self.url} answered HTTP {response.status_code}: {text}"
            )
        if "json" not in response.headers.get("content-type", ""):
            return response.text
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise CandidateError(f"candidate {self.url} answered invalid JSON") from None

    async def aclose(self) -> None:
        """Close the connection pool and the tool endpoint."""
        client, self._client = self._client, None
        if client is not None and self._client_loop is asyncio.get_running_loop():
            await client.aclose()
        await self._server.close()

    def _http(self) -> httpx.AsyncClient:
        # A client belongs to the event loop it was made in; a new loop needs a new one.
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client = httpx.AsyncClient(timeout=self._timeout, trust_env=self._trust_env)
            self._client_loop = loop
        return self._client
