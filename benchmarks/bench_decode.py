"""How long OTLP decoding takes per span, for protobuf and JSON bodies.

Builds 20,000 deterministic agent spans (OpenInference-style LLM, tool and
chain spans of about 1.5 KB with 15 attributes) in requests of 100 spans,
then decodes every request several times and prints the best pass in
microseconds per span. Run: ``python benchmarks/bench_decode.py``.
"""

from __future__ import annotations

import base64
import random
import time
from collections.abc import Callable
from typing import Any

import orjson
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from ratchet.capture.otlp import decode_json, decode_protobuf
from ratchet.capture.rawspan import DecodeResult

SPANS = 20_000
BATCH = 100
PASSES = 5
SEED = 20260419

_WORDS = (
    "refund",
    "order",
    "customer",
    "policy",
    "approval",
    "amount",
    "threshold",
    "weather",
    "forecast",
    "search",
    "document",
    "context",
    "retrieve",
    "answer",
    "tool",
    "agent",
    "model",
    "reply",
    "summary",
    "invoice",
    "account",
)


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


def _span(rng: random.Random, trace_id: bytes, index: int) -> dict[str, Any]:
    """One span as plain data; both encoders below render it."""
    question = _sentence(rng, 40)
    answer = _sentence(rng, 30)
    kind = ("LLM", "TOOL", "CHAIN")[index % 3]
    attributes: dict[str, Any] = {
        "openinference.span.kind": kind,
        "session.id": f"sess-{rng.randrange(10**6):06d}",
        "input.value": orjson.dumps(
            {"messages": [{"role": "user", "content": question}], "order_id": index}
        ).decode(),
        "input.mime_type": "application/json",
        "output.value": answer,
        "output.mime_type": "text/plain",
        "llm.model_name": "gpt-4o-mini-2024-07-18",
        "llm.invocation_parameters": '{"temperature": 0.2, "max_tokens": 512}',
        "llm.token_count.prompt": rng.randrange(100, 4000),
        "llm.token_count.completion": rng.randrange(10, 800),
        "llm.token_count.total": rng.randrange(110, 4800),
        "llm.input_messages.0.message.content": question[:120],
        "llm.output_messages.0.message.content": answer[:120],
        "retry": rng.random() < 0.1,
        "latency.score": rng.random(),
    }
    start = 1_760_000_000_000_000_000 + index * 1_000_000
    return {
        "trace_id": trace_id,
        "span_id": rng.randbytes(8),
        "parent": rng.randbytes(8) if index % 10 else b"",
        "name": ("ChatCompletion", "get_weather", "agent.run")[index % 3],
        "kind": 3 if kind == "LLM" else 1,
        "start": start,
        "end": start + rng.randrange(10**6, 10**9),
        "status": 2 if index % 50 == 0 else 0,
        "attributes": attributes,
    }


def _requests(rng: random.Random) -> list[list[dict[str, Any]]]:
    batches = []
    for first in range(0, SPANS, BATCH):
        trace_id = rng.randbytes(16)
        batches.append([_span(rng, trace_id, first + i) for i in range(BATCH)])
    return batches


_RESOURCE = {"service.name": "support-agent", "service.version": "1.4.2", "deployment": "prod"}


def _set_value(target: AnyValue, value: Any) -> None:
    if isinstance(value, bool):
        target.bool_value = value
    elif isinstance(value, int):
        target.int_value = value
    elif isinstance(value, float):
        target.double_value = value
    else:
        target.string_value = value


def _protobuf(spans: list[dict[str, Any]]) -> bytes:
    request = ExportTraceServiceRequest()
    resource_spans = request.resource_spans.add()
    for key, value in _RESOURCE.items():
        _set_value(resource_spans.resource.attributes.add(key=key).value, value)
    scope_spans = resource_spans.scope_spans.add()
    scope_spans.scope.name = "openinference.instrumentation.openai"
    for spec in spans:
        span = scope_spans.spans.add(
            trace_id=spec["trace_id"],
            span_id=spec["span_id"],
            parent_span_id=spec["parent"],
            name=spec["name"],
            kind=spec["kind"],
            start_time_unix_nano=spec["start"],
            end_time_unix_nano=spec["end"],
        )
        span.status.code = spec["status"]
        for key, value in spec["attributes"].items():
            _set_value(span.attributes.add(key=key).value, value)
    return request.SerializeToString()  # type: ignore[no-any-return]


def _json_value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, bytes):
        return {"bytesValue": base64.b64encode(value).decode()}
    return {"stringValue": value}


def _json_attributes(attributes: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": key, "value": _json_value(value)} for key, value in attributes.items()]


def _json(spans: list[dict[str, Any]]) -> bytes:
    scope_spans = {
        "scope": {"name": "openinference.instrumentation.openai"},
        "spans": [
            {
                "traceId": spec["trace_id"].hex(),
                "spanId": spec["span_id"].hex(),
                "parentSpanId": spec["parent"].hex(),
                "name": spec["name"],
                "kind": spec["kind"],
                "startTimeUnixNano": str(spec["start"]),
                "endTimeUnixNano": str(spec["end"]),
                "status": {"code": spec["status"]},
                "attributes": _json_attributes(spec["attributes"]),
            }
            for spec in spans
        ],
    }
    request = {
        "resourceSpans": [
            {"resource": {"attributes": _json_attributes(_RESOURCE)}, "scopeSpans": [scope_spans]}
        ]
    }
    return orjson.dumps(request)


def _best_pass(decode: Callable[[bytes], DecodeResult], bodies: list[bytes]) -> float:
    best = float("inf")
    for _ in range(PASSES):
        started = time.perf_counter()
        decoded = 0
        for body in bodies:
            decoded += len(decode(body).spans)
        elapsed = time.perf_counter() - started
        assert decoded == SPANS, decoded
        best = min(best, elapsed)
    return best


def _reference_ms() -> float:
    """Milliseconds for a fixed pure-Python loop: puts the figures in this machine's terms."""
    best = float("inf")
    for _ in range(PASSES):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best * 1e3


def main() -> None:
    print(f"reference: 1e6 Python additions take {_reference_ms():.0f} ms on this machine")
    batches = _requests(random.Random(SEED))
    for label, encode, decode in (
        ("protobuf", _protobuf, decode_protobuf),
        ("json", _json, decode_json),
    ):
        bodies = [encode(spans) for spans in batches]
        size = sum(len(body) for body in bodies) / SPANS
        seconds = _best_pass(decode, bodies)
        print(
            f"{label:9s} {seconds / SPANS * 1e6:6.2f} µs/span  "
            f"({SPANS} spans in batches of {BATCH}, {size:.0f} bytes/span, best of {PASSES})"
        )


if __name__ == "__main__":
    main()
