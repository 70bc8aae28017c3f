"""Realistic agent traffic as OTLP protobuf bodies, built once and patched per request.

A load generator on the same two cores as the server must not spend its CPU
building protobuf, yet every request must look new to the server: new trace
ids, current timestamps, new session ids and new text (the redactor memoises
strings it has seen, so repeated text would flatter it). Each template body
is serialised once with distinctive placeholder values; their byte offsets
are found once; a request is a copy of a template with those bytes
overwritten in place. Lengths never change, so the protobuf stays valid.

Each request holds 100 spans: 5 agent runs of 20 OpenInference spans
(AGENT root, LLM, TOOL, RETRIEVER, CHAIN, GUARDRAIL), about 1.5 KB each, with
chat messages in ``input.value``/``output.value`` JSON strings, flattened
``llm.*_messages``, token counts, ``tool.name``, ``session.id``, and e-mail
addresses or phone numbers in some texts for the redactor to find.
"""

from __future__ import annotations

import os
import random
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

SPANS_PER_TRACE = 20
TRACES_PER_REQUEST = 5
SPANS_PER_REQUEST = SPANS_PER_TRACE * TRACES_PER_REQUEST
SERVICES = ("support-agent", "scheduling-agent", "refunds-agent")
#: Template times sit here; a request shifts them to "now".
TEMPLATE_BASE_NS = 1_700_000_000_000_000_000
#: One trace in this many has a failing tool span (the ``status=error`` filter).
ERROR_EVERY = 12
_MASK64 = (1 << 64) - 1

_TEXT = (
    "the refund for your order was approved and will arrive within five business days please "
    "confirm shipping address before we continue I checked policy threshold is 500 dollars so "
    "this needs approval from a manager customer asked about invoice tracking number we "
    "retrieved three documents knowledge base returns close after thirty days thanks summary "
    "total items status pending meeting calendar tomorrow morning reschedule available slot "
    "account balance weather forecast delivery warehouse carrier delayed apology credit"
)
_WORDS = _TEXT.split()
_SENSITIVE = (
    "jane.doe@example.com",
    "call me on +1 415 555 2671",
    "my email is m.rossi@example.org",
    "phone 020 7946 0958",
    "reach me at sam_lee@example.net or +44 7700 900123",
)
_TOOLS = ("read_order", "issue_refund", "search_calendar", "lookup_customer", "send_email")
_MODEL = "gpt-4o-mini-2024-07-18"
_SYSTEM = (
    "You are a careful support agent. Follow the refund policy; refunds over the threshold "
    "need human approval before any money moves. Never promise an outcome you cannot verify."
)


def _set(target: AnyValue, value: Any) -> None:
    if isinstance(value, bool):
        target.bool_value = value
    elif isinstance(value, int):
        target.int_value = value
    elif isinstance(value, float):
        target.double_value = value
    else:
        target.string_value = value


@dataclass
class _Placeholders:
    """Distinctive values written into a template, to be found and overwritten later."""

    rng: random.Random
    trace_ids: list[bytes] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)
    nonces: list[str] = field(default_factory=list)
    times: list[int] = field(default_factory=list)

    def nonce(self) -> str:
        # 12 characters: "REF-" + 8 hex; rewritten with the request number.
        value = f"REF-{self.rng.getrandbits(32):08x}"
        self.nonces.append(value)
        return value

    def time(self, offset_ns: int) -> int:
        # Unique and odd, so no two placeholders share their 8 bytes.
        value = TEMPLATE_BASE_NS + offset_ns * 2 + 1 + len(self.times) * 2
        self.times.append(value)
        return value


class _TraceBuilder:
    """One agent run's spans, appended to a scope's span list."""

    def __init__(self, rng: random.Random, ph: _Placeholders, scope: Any, slot: int) -> None:
        self.rng = rng
        self.ph = ph
        self.scope = scope
        self.trace_id = rng.randbytes(16)
        ph.trace_ids.append(self.trace_id)
        self.session = f"sess_{rng.getrandbits(48):012x}"
        ph.sessions.append(self.session)
        self.failing = rng.randrange(ERROR_EVERY) == 0
        self.slot = slot
        self.clock = 0

    def text(self, words: int) -> str:
        out = " ".join(self.rng.choice(_WORDS) for _ in range(words))
        cut = out.find(" ", len(out) // 2)
        extra = f" {self.ph.nonce()}"
        if self.rng.random() < 0.15:
            extra += f" {self.rng.choice(_SENSITIVE)}"
        return f"{out[:cut]}{extra}{out[cut:]}"

    def span(
        self, name: str, kind: str, parent: bytes, attrs: dict[str, Any], error: bool = False
    ) -> bytes:
        span_id = self.rng.randbytes(8)
        start = self.ph.time(self.clock)
        self.clock += self.rng.randrange(5_000_000, 400_000_000)
        span = self.scope.spans.add(
            trace_id=self.trace_id,
            span_id=span_id,
            parent_span_id=parent,
            name=name,
            kind=3 if kind == "LLM" else 1,
            start_time_unix_nano=start,
            end_time_unix_nano=self.ph.time(self.clock),
        )
        span.status.code = 2 if error else 1
        if error:
            span.status.message = "upstream returned 502 Bad Gateway"
        _set(span.attributes.add(key="openinference.span.kind").value, kind)
        _set(span.attributes.add(key="session.id").value, self.session)
        for key, value in attrs.items():
            _set(span.attributes.add(key=key).value, value)
        return bytes(span_id)

    def llm(self, parent: bytes) -> None:
        question, answer = self.text(52), self.text(46)
        messages = [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": question}]
        prompt, completion = self.rng.randrange(300, 3000), self.rng.randrange(20, 400)
        self.span(
            "ChatCompletion",
            "LLM",
            parent,
            {
                "llm.model_name": _MODEL,
                "llm.provider": "openai",
                "llm.invocation_parameters": '{"temperature": 0.2, "max_tokens": 512}',
                "input.value": orjson.dumps({"messages": messages, "model": _MODEL}).decode(),
                "input.mime_type": "application/json",
                "output.value": orjson.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": answer}}]}
                ).decode(),
                "output.mime_type": "application/json",
                "llm.input_messages.0.message.role": "system",
                "llm.input_messages.0.message.content": _SYSTEM,
                "llm.input_messages.1.message.role": "user",
                "llm.input_messages.1.message.content": question,
                "llm.output_messages.0.message.role": "assistant",
                "llm.output_messages.0.message.content": answer,
                "llm.token_count.prompt": prompt,
                "llm.token_count.completion": completion,
                "llm.token_count.total": prompt + completion,
            },
        )

    def tool(self, parent: bytes, error: bool) -> None:
        name = self.rng.choice(_TOOLS)
        args = {"order_id": self.ph.nonce(), "note": self.text(16)}
        result = {"status": "ok", "amount": self.rng.randrange(5, 2000), "detail": self.text(30)}
        self.span(
            name,
            "TOOL",
            parent,
            {
                "tool.name": name,
                "tool.description": f"{name.replace('_', ' ')} in the back office",
                "tool.parameters": '{"type": "object", "properties": {"order_id": {}}}',
                "input.value": orjson.dumps(args).decode(),
                "input.mime_type": "application/json",
                "output.value": orjson.dumps(result).decode(),
                "output.mime_type": "application/json",
            },
            error=error,
        )

    def retrieval(self, parent: bytes) -> None:
        self.span(
            "retrieve_policy",
            "RETRIEVER",
            parent,
            {
                "input.value": self.text(10),
                "retrieval.documents.0.document.id": "policy-refunds-2026-04",
                "retrieval.documents.0.document.score": round(self.rng.random(), 3),
                "retrieval.documents.0.document.content": self.text(40),
                "retrieval.documents.1.document.id": "faq-shipping",
                "retrieval.documents.1.document.content": self.text(30),
            },
        )

    def build(self, service: str) -> None:
        root_in, root_out = self.text(24), self.text(24)
        root = self.span(
            "support_agent.run",
            "AGENT",
            b"",
            {
                "input.value": orjson.dumps({"user_message": root_in}).decode(),
                "input.mime_type": "application/json",
                "output.value": root_out,
                "user.id": f"user_{self.rng.getrandbits(32):08x}",
                "ratchet.stop_reason": "error" if self.failing else "completed",
                "ratchet.final_status": "failed" if self.failing else "resolved",
                "ratchet.version.prompt.support": "support-2026-04-18",
                "metadata": orjson.dumps({"channel": "chat", "service": service}).decode(),
            },
        )
        self.span("guard_input", "GUARDRAIL", root, {"input.value": self.text(30)})
        self.retrieval(root)
        # 17 more spans: LLM/tool steps under a CHAIN per turn.
        remaining = SPANS_PER_TRACE - 3
        step = 0
        while step < remaining:
            if step % 6 == 0 and remaining - step > 1:
                chain = self.span("plan_step", "CHAIN", root, {"input.value": self.text(24)})
                step += 1
                continue
            if step % 2:
                self.llm(chain)
            else:
                self.tool(chain, error=self.failing and step == 2)
            step += 1


@dataclass
class Template:
    """One serialised request and where its variable bytes live."""

    body: bytes
    service: str
    trace_offsets: list[list[int]]
    session_offsets: list[list[int]]
    nonce_offsets: list[int]
    time_offsets: list[tuple[int, int]]


def _find_all(body: bytes, needle: bytes) -> list[int]:
    found, start = [], body.find(needle)
    while start >= 0:
        found.append(start)
        start = body.find(needle, start + 1)
    if not found:
        raise AssertionError(f"placeholder {needle!r} not found in the template")
    return found


def _template(seed: int, service: str) -> Template:
    rng = random.Random(seed)
    ph = _Placeholders(rng)
    request = ExportTraceServiceRequest()
    resource_spans = request.resource_spans.add()
    for key, value in (
        ("service.name", service),
        ("service.version", "1.4.2"),
        ("deployment.environment", "prod"),
        ("ratchet.version.model.main", _MODEL),
    ):
        _set(resource_spans.resource.attributes.add(key=key).value, value)
    scope = resource_spans.scope_spans.add()
    scope.scope.name = "openinference.instrumentation.openai"
    for slot in range(TRACES_PER_REQUEST):
        _TraceBuilder(rng, ph, scope, slot).build(service)
    body = request.SerializeToString()
    time_offsets = []
    for stamp in ph.times:
        offsets = _find_all(body, struct.pack("<Q", stamp))
        if len(offsets) != 1:
            raise AssertionError("a template time placeholder is not unique")
        time_offsets.append((offsets[0], stamp - TEMPLATE_BASE_NS))
    return Template(
        body=body,
        service=service,
        trace_offsets=[_find_all(body, t) for t in ph.trace_ids],
        session_offsets=[_find_all(body, s.encode()) for s in ph.sessions],
        nonce_offsets=[o for n in ph.nonces for o in _find_all(body, n.encode())],
        time_offsets=time_offsets,
    )


class Traffic:
    """Request bodies for request number ``n``: distinct ids and text, current times.

    Args:
        templates: how many distinct templates to cycle through.
        seed: fixes the template content; ids still differ per ``Traffic``
            (a random run salt) so two runs never collide in one store.
    """

    def __init__(self, templates: int = 24, seed: int = 20260419) -> None:
        self.templates = [
            _template(seed + i, SERVICES[i % len(SERVICES)]) for i in range(templates)
        ]
        self.salt = os.urandom(4)

    def trace_id(self, n: int, slot: int) -> bytes:
        # Real trace ids are random, so stores insert them all over their
        # indexes; a bijective mix of the counter gives the same spread and
        # stays unique. The salt keeps two runs apart.
        x = (n * TRACES_PER_REQUEST + slot + 1) * 0x9E3779B97F4A7C15 & _MASK64
        x ^= x >> 31
        x = x * 0xBF58476D1CE4E5B9 & _MASK64
        return struct.pack(">Q", x ^ (x >> 29)) + self.salt + struct.pack(">I", n & 0xFFFFFFFF)

    def session_id(self, n: int, slot: int) -> str:
        # Three consecutive runs share a session, as multi-turn chats do.
        return f"sess_{self.salt.hex()[:4]}{(n * TRACES_PER_REQUEST + slot) // 3:08x}"

    def service(self, n: int) -> str:
        return self.templates[n % len(self.templates)].service

    def body(self, n: int, now_ns: int) -> bytes:
        """Request ``n`` with its runs ending around ``now_ns``."""
        tpl = self.templates[n % len(self.templates)]
        out = bytearray(tpl.body)
        for slot, offsets in enumerate(tpl.trace_offsets):
            tid = self.trace_id(n, slot)
            for o in offsets:
                out[o : o + 16] = tid
        for slot, offsets in enumerate(tpl.session_offsets):
            sess = self.session_id(n, slot).encode()
            for o in offsets:
                out[o : o + 17] = sess
        nonce = f"{n & 0xFFFFFFFF:08x}".encode()
        for o in tpl.nonce_offsets:
            out[o + 4 : o + 12] = nonce
        # Runs last up to ~8 s of template time; end them a little before now.
        base = now_ns - 10_000_000_000
        pack = struct.pack_into
        for o, rel in tpl.time_offsets:
            pack("<Q", out, o, base + rel)
        return bytes(out)

    def bodies(self, start: int, count: int, now_ns: int) -> Iterator[bytes]:
        for n in range(start, start + count):
            yield self.body(n, now_ns)


def big_trace_bodies(spans: int, now_ns: int, seed: int = 7) -> tuple[str, list[bytes]]:
    """One run of ``spans`` spans (an agent looping on tools), sent as requests of 100.

    Returns:
        The trace id (hex) and the request bodies.
    """
    rng = random.Random(seed)
    trace_id = rng.randbytes(16)
    bodies = []
    builder: _TraceBuilder | None = None
    root = b""
    for first in range(0, spans, SPANS_PER_REQUEST):
        request = ExportTraceServiceRequest()
        resource_spans = request.resource_spans.add()
        _set(resource_spans.resource.attributes.add(key="service.name").value, SERVICES[0])
        scope = resource_spans.scope_spans.add()
        ph = _Placeholders(rng)
        clock = builder.clock if builder else 0
        builder = _TraceBuilder(rng, ph, scope, 0)
        builder.trace_id, builder.clock, builder.failing = trace_id, clock, False
        count = min(SPANS_PER_REQUEST, spans - first)
        for i in range(count):
            if first == 0 and i == 0:
                root = builder.span("support_agent.run", "AGENT", b"", {"input.value": "go"})
            elif i % 2:
                builder.llm(root)
            else:
                builder.tool(root, error=False)
        body = bytearray(request.SerializeToString())
        for value in ph.times:
            (o,) = _find_all(bytes(body), struct.pack("<Q", value))
            struct.pack_into("<Q", body, o, now_ns - 60_000_000_000 + value - TEMPLATE_BASE_NS)
        bodies.append(bytes(body))
    return trace_id.hex(), bodies
