"""The loopback endpoint an HTTP candidate calls its tools through.

A deliberately small HTTP/1.1 server (asyncio streams, keep-alive, bodies
with Content-Length) bound to 127.0.0.1 on a free port, in the replay's own
event loop. Each replay in flight registers its toolbox under a random
token; a request with any other token gets 403.

- ``POST /tools`` ``{"name", "arguments"}`` → ``{"result": …}`` or ``{"error": "…"}``
  (a tool error is an answer, so it comes with 200);
- ``POST /spans`` ``{"type", "name", "status"?, "output"?, "attributes"?}``
  records a step (an approval, a policy decision…) → ``{"recorded": true}``.

The token goes in ``Authorization: Bearer <token>`` or as ``"token"`` in the body.
"""

from __future__ import annotations

import asyncio
import contextvars
from dataclasses import dataclass
from typing import Any

import orjson

from ratchet.core.ids import IdSource, RandomIds
from ratchet.evaluate.replay.errors import ToolError
from ratchet.evaluate.replay.toolbox import Toolbox

MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_HEADERS = 100
_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Content Too Large",
}


class _Refused(Exception):
    """A request this server answers with an error status, then closes the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class _Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


class ToolServer:
    """Serves the tools of the replays in flight; started on first use, in the running loop."""

    def __init__(self, *, ids: IdSource | None = None) -> None:
        self._ids = ids or RandomIds()
        self._boxes: dict[str, Toolbox] = {}
        self._server: asyncio.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[Any]] = set()
        self.port = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def start(self) -> None:
        """Listen, unless already listening in this event loop."""
        loop = asyncio.get_running_loop()
        if self._server is not None and self._loop is loop:
            return
        # Started in an empty context: connection handlers inherit the context the
        # server starts in, which is otherwise the first replay's (its current step).
        listen = asyncio.start_server(self._serve, "127.0.0.1", 0)
        self._server = await asyncio.create_task(listen, context=contextvars.Context())
        self._loop = loop
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stop listening and end open connections (candidates keep theirs alive)."""
        server, self._server = self._server, None
        for writer in list(self._writers):
            writer.close()
        if server is not None and self._loop is asyncio.get_running_loop():
            server.close()
            await server.wait_closed()
            if self._handlers:
                await asyncio.wait(list(self._handlers), timeout=1.0)

    def register(self, box: Toolbox) -> str:
        token = self._ids.token(24)
        self._boxes[token] = box
        return token

    def unregister(self, token: str) -> None:
        self._boxes.pop(token, None)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        handler = asyncio.current_task()
        if handler is not None:
            self._handlers.add(handler)
        try:
            while True:
                try:
                    request = await _read(reader)
                except _Refused as refused:
                    writer.write(_response(refused.status, {"error": refused.message}, False))
                    await writer.drain()
                    return
                if request is None:
                    return
                status, payload = self._answer(request)
                writer.write(_response(status, payload, request.keep_alive))
                await writer.drain()
                if not request.keep_alive:
                    return
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return
        except asyncio.CancelledError:
            # The loop is shutting down under an idle keep-alive connection: the
            # connection simply ends (a cancelled handler only makes asyncio log noise).
            return
        finally:
            self._writers.discard(writer)
            self._handlers.discard(handler)
            writer.close()

    def _answer(self, request: _Request) -> tuple[int, dict[str, Any]]:
        route = request.path.split("?", 1)[0]
        if route not in ("/tools", "/spans"):
            return 404, {"error": f"no endpoint {route}: POST /tools or /spans"}
        if request.method != "POST":
            return 405, {"error": f"{request.method} {route}: only POST is served"}
        try:
            data = orjson.loads(request.body)
        except orjson.JSONDecodeError:
            return 400, {"error": "the body is not JSON"}
        if not isinstance(data, dict):
            return 400, {"error": "the body must be a JSON object"}
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else data.get("token")
        box = self._boxes.get(token) if isinstance(token, str) else None
        if box is None:
            return 403, {"error": "unknown token: use the token of the replay request"}
        if route == "/tools":
            return _call(box, data)
        return _step(box, data)


def _call(box: Toolbox, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    name, arguments = data.get("name"), data.get("arguments") or {}
    if not isinstance(name, str) or not name:
        return 400, {"error": "`name` (the tool's name) is required"}
    if not isinstance(arguments, dict):
        return 400, {"error": "`arguments` must be a JSON object"}
    try:
        return 200, {"result": box.call_now(name, arguments)}
    except ToolError as exc:
        return 200, {"error": exc.message}


def _step(box: Toolbox, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    attributes = data.get("attributes")
    if not isinstance(data.get("type"), str) or not isinstance(data.get("name"), str):
        return 400, {"error": "`type` and `name` of the step are required"}
    if attributes is not None and not isinstance(attributes, dict):
        return 400, {"error": "`attributes` must be a JSON object"}
    try:
        box.record_step(
            data["type"],
            data["name"],
            status=str(data.get("status") or "ok"),
            output=data.get("output"),
            attributes=attributes,
        )
    except ValueError as exc:
        return 400, {"error": str(exc)}
    return 200, {"recorded": True}


async def _read(reader: asyncio.StreamReader) -> _Request | None:
    """The next request on a connection; None when the client closed it."""
    line = await reader.readline()
    if not line:
        return None
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _Refused(400, "malformed request line")
    method, path, version = parts
    headers: dict[str, str] = {}
    while True:
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        if len(headers) >= MAX_HEADERS:
            raise _Refused(400, "too many headers")
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raise _Refused(411, "send the body with a Content-Length")
    try:
        length = int(headers.get("content-length") or 0)
    except ValueError:
        raise _Refused(400, "bad Content-Length") from None
    if length < 0 or length > MAX_BODY_BYTES:
        raise _Refused(413, f"bodies are limited to {MAX_BODY_BYTES} bytes")
    body = await reader.readexactly(length) if length else b""
    connection = headers.get("connection", "").lower()
    keep_alive = connection != "close" and (version != "HTTP/1.0" or connection == "keep-alive")
    return _Request(method.upper(), path, headers, body, keep_alive)


def _response(status: int, payload: dict[str, Any], keep_alive: bool) -> bytes:
    body = orjson.dumps(payload, default=str, option=orjson.OPT_NON_STR_KEYS)
    lines = [
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
    ]
    if not keep_alive:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
