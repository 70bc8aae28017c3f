"""A local OpenAI-compatible chat server with scripted replies, for tests.

Tests that exercise a real OpenAI client (instrumented agents, judges) need a
server that speaks the real HTTP protocol but answers deterministically. This
one runs on 127.0.0.1 on a free port in a background thread and serves
``POST /v1/chat/completions``, both as one JSON body and as a ``stream: true``
server-sent event stream.

What it answers is a script: a list of replies consumed in order, or a
callable that builds a reply from the request body::

    with ScriptedOpenAIServer([tool_call_reply("read_order", {"order_id": "o1"}),
                               text_reply("Your order ships today.")]) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        ...
        assert server.requests[0]["messages"][0]["role"] == "system"

A plain string in the list is shorthand for ``text_reply(string)``. With no
script the server echoes the last user message. When a list runs out the
server answers HTTP 500 with a message saying so, so a test that calls the
model more often than it scripted fails loudly.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: ``created`` timestamp of every completion: fixed so replies are reproducible.
CREATED = 1_767_225_600


@dataclass(frozen=True)
class ToolCall:
    """One function call the scripted assistant asks for."""

    name: str
    arguments: str
    id: str = "call_1"


@dataclass(frozen=True)
class Reply:
    """One scripted answer.

    Token counts default to whitespace word counts of the request's messages
    and of the reply, so they are deterministic without a tokenizer.
    ``status`` other than 200 makes the server answer with an OpenAI-style
    error body carrying ``error_message``.
    """

    content: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str | None = None
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    status: int = 200
    error_message: str = "scripted error"


def text_reply(content: str, **options: Any) -> Reply:
    """An assistant message with text content."""
    return Reply(content=content, **options)


def tool_call_reply(
    name: str,
    arguments: Mapping[str, Any] | str,
    *,
    call_id: str = "call_1",
    content: str | None = None,
    **options: Any,
) -> Reply:
    """An assistant message asking for one tool call (arguments as a mapping or JSON text)."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return Reply(
        content=content, tool_calls=(ToolCall(name=name, arguments=args, id=call_id),), **options
    )


def error_reply(status: int, message: str) -> Reply:
    """An HTTP error answer, to test how callers handle a failing model."""
    return Reply(status=status, error_message=message)


Script = Callable[[dict[str, Any]], Reply | str] | Iterable[Reply | str]


def _words(value: Any) -> int:
    if isinstance(value, str):
        return len(value.split())
    if isinstance(value, list):
        return sum(_words(part.get("text")) for part in value if isinstance(part, dict))
    return 0


def _echo(body: dict[str, Any]) -> Reply:
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    last = users[-1].get("content") if users else ""
    return Reply(content=f"echo: {last}" if isinstance(last, str) else "echo")


@dataclass
class _Exchange:
    """The completion a reply becomes, computed once for both response shapes."""

    reply: Reply
    body: dict[str, Any]
    number: int
    finish_reason: str = field(init=False)
    usage: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        reply = self.reply
        self.finish_reason = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
        prompt = reply.prompt_tokens
        if prompt is None:
            prompt = sum(_words(m.get("content")) for m in self.body.get("messages", []))
        completion = reply.completion_tokens
        if completion is None:
            completion = _words(reply.content) + sum(
                1 + _words(c.arguments) for c in reply.tool_calls
            )
        self.usage = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }

    @property
    def id(self) -> str:
        return f"chatcmpl-{self.number:04d}"

    @property
    def model(self) -> str:
        return self.reply.model or str(self.body.get("model", "scripted-model"))

    def _tool_calls(self, with_index: bool) -> list[dict[str, Any]]:
        calls = []
        for i, call in enumerate(self.reply.tool_calls):
            item: dict[str, Any] = {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            if with_index:
                item["index"] = i
            calls.append(item)
        return calls

    def completion(self) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": self.reply.content}
        if self.reply.tool_calls:
            message["tool_calls"] = self._tool_calls(with_index=False)
        return {
            "id": self.id,
            "object": "chat.completion",
            "created": CREATED,
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": self.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": self.usage,
        }

    def chunks(self) -> Iterator[dict[str, Any]]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {
                "id": self.id,
                "object": "chat.completion.chunk",
                "created": CREATED,
                "model": self.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }

        yield chunk({"role": "assistant", "content": ""})
        # Split text in two pieces so clients really have to join deltas.
        text = self.reply.content or ""
        if text:
            half = len(text) // 2
            for piece in (text[:half], text[half:]):
                if piece:
                    yield chunk({"content": piece})
        if self.reply.tool_calls:
            yield chunk({"tool_calls": self._tool_calls(with_index=True)})
        yield chunk({}, self.finish_reason)
        options = self.body.get("stream_options") or {}
        if options.get("include_usage"):
            yield {
                "id": self.id,
                "object": "chat.completion.chunk",
                "created": CREATED,
                "model": self.model,
                "choices": [],
                "usage": self.usage,
            }


class ScriptedOpenAIServer:
    """A threaded HTTP server answering chat completions from a script.

    Use it as a context manager; ``base_url`` is what ``openai.OpenAI`` takes.
    ``requests`` holds every request body received, in order, so a test can
    assert what the client sent.
    """

    def __init__(self, script: Script | None = None, *, host: str = "127.0.0.1") -> None:
        self._lock = threading.Lock()
        self._count = 0
        self.requests: list[dict[str, Any]] = []
        if script is None:
            self._next: Callable[[dict[str, Any]], Reply | str | None] = _echo
        elif callable(script):
            self._next = script
        else:
            queue = iter(list(script))
            self._next = lambda _body: next(queue, None)
        self._httpd = ThreadingHTTPServer((host, 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        host = self._httpd.server_address[0]
        return f"http://{host!s}:{self.port}/v1"

    def start(self) -> ScriptedOpenAIServer:
        # A short poll keeps shutdown (and so each test) quick.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _exchange(self, body: dict[str, Any]) -> _Exchange | None:
        with self._lock:
            self.requests.append(body)
            reply = self._next(body)
            self._count += 1
            number = self._count
        if reply is None:
            return None
        if isinstance(reply, str):
            reply = Reply(content=reply)
        return _Exchange(reply=reply, body=body, number=number)


def _handler_for(server: ScriptedOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

        def _send_json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, message: str) -> None:
            self._send_json(
                status, {"error": {"message": message, "type": "scripted", "code": status}}
            )

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._error(404, f"no route {self.path}")
                return
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                self._error(400, "request body is not JSON")
                return
            exchange = server._exchange(body)
            if exchange is None:
                self._error(500, "the scripted server has no reply left for this request")
            elif exchange.reply.status != 200:
                self._error(exchange.reply.status, exchange.reply.error_message)
            elif body.get("stream"):
                self._stream(exchange)
            else:
                self._send_json(200, exchange.completion())

        def _stream(self, exchange: _Exchange) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            events = [f"data: {json.dumps(c)}\n\n" for c in exchange.chunks()]
            events.append("data: [DONE]\n\n")
            for event in events:
                data = event.encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    return Handler
