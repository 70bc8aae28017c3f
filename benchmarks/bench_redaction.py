"""How long redaction takes per span, on realistic OpenInference spans.

Generates 5,000 deterministic spans of about 1.5 KB each (LLM, tool and chain
spans: ``input.value``/``output.value`` JSON strings holding chat messages,
flattened ``llm.*`` message attributes, token counts and a few numbers; the
system prompt is one of a few fixed ones, as in a real application; about
one span in six carries an e-mail, phone, card, IP or key somewhere), then
redacts copies of them with a fresh Redactor per pass (cold caches, as for
new traffic) and prints the best pass in microseconds per span, with a
calibration figure for comparing machines.

It then does the same with the ingest benchmark's own traffic (``spans.py``:
60 requests of 100 spans, decoded and mapped as the server does, unique text
in every request), and prints the best pass, the first one (which also pays
for loading phone numbering plans once per process) and the best in CPU
time, which a busy machine disturbs less.
Run: ``python benchmarks/bench_redaction.py``.
"""

from __future__ import annotations

import copy
import random
import statistics
import time
from typing import Any

import orjson
from spans import Traffic

from ratchet.capture.conventions import map_span
from ratchet.capture.otlp import decode_protobuf
from ratchet.capture.redaction import Redactor
from ratchet.store.records import SpanRecord

SPANS = 5_000
PASSES = 5
SEED = 20261101
SECRET = b"bench-project-secret"
TRAFFIC_REQUESTS = 60
TRAFFIC_NOW_NS = 1_760_000_000_000_000_000

_PROSE = (
    "the refund for your order was approved and will arrive within five business days "
    "please confirm the shipping address before we continue I checked the policy and "
    "the threshold is 500 dollars so this needs approval from a manager on 2026-04-18 "
    "at 10:30 the customer asked about invoice INV-20931 and tracking 1Z999AA1 we "
    "retrieved 3 documents from the knowledge base version v2.4.1 says returns close "
    "after 30 days ok thanks summary: $840.00 total, 2 items, status=pending"
)
_WORDS = _PROSE.split()

_SENSITIVE = (
    "jane.doe@example.com",
    "+1 (415) 555-2671",
    "4111 1111 1111 1111",
    "203.0.113.7 and 10.20.30.40",
    "sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4",
    "DE89 3704 0044 0532 0130 00",
)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    if rng.random() < 0.09:
        cut = text.find(" ", len(text) // 2)
        text = f"{text[:cut]} {rng.choice(_SENSITIVE)}{text[cut:]}"
    return text


# An application has a handful of system prompts, sent with every model call.
_SYSTEM_PROMPTS = tuple(
    " ".join(random.Random(SEED + n).choice(_WORDS) for _ in range(30)) for n in range(4)
)


def _record(rng: random.Random, index: int) -> SpanRecord:
    system = rng.choice(_SYSTEM_PROMPTS)
    question = _sentence(rng, 30)
    answer = _sentence(rng, 28)
    kind = ("LLM", "TOOL", "CHAIN")[index % 3]
    messages = [{"role": "system", "content": system}, {"role": "user", "content": question}]
    attributes: dict[str, Any] = {
        "openinference.span.kind": kind,
        "session.id": f"sess-{rng.randrange(10**6):06d}",
        "user.id": f"user-{rng.randrange(10**4)}",
        "input.value": orjson.dumps({"messages": messages, "order_id": index}).decode(),
        "input.mime_type": "application/json",
        "output.value": orjson.dumps(
            {"choices": [{"message": {"role": "assistant", "content": answer}}]}
        ).decode(),
        "output.mime_type": "application/json",
        "llm.model_name": "gpt-4o-mini-2024-07-18",
        "llm.provider": "openai",
        "llm.invocation_parameters": '{"temperature": 0.2, "max_tokens": 512}',
        "llm.token_count.prompt": rng.randrange(100, 4000),
        "llm.token_count.completion": rng.randrange(10, 800),
        "llm.token_count.total": rng.randrange(110, 4800),
        "llm.input_messages.0.message.role": "user",
        "llm.input_messages.0.message.content": question[:160],
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.content": answer[:160],
        "retry.count": rng.randrange(3),
        "cache.hit": rng.random() < 0.5,
    }
    trace_id = f"{rng.getrandbits(128):032x}"
    return SpanRecord(
        trace_id=trace_id,
        span_id=f"{rng.getrandbits(64):016x}",
        name=("ChatCompletion", "read_order", "agent.run")[index % 3],
        start_ns=1_760_000_000_000_000_000 + index,
        end_ns=1_760_000_000_500_000_000 + index,
        type=("model", "tool", "workflow")[index % 3],
        attributes=attributes,
        input=attributes["input.value"],
        output=attributes["output.value"],
        model="gpt-4o-mini-2024-07-18",
        session_id=attributes["session.id"],
        user_id=attributes["user.id"],
    )


def _has_detected_value(record: SpanRecord) -> bool:
    """Whether redaction found more than the user id (which every span carries)."""
    blob = orjson.dumps([record.attributes, record.input, record.output]).decode()
    return "<" in blob and any(
        f"<{e}:" in blob for e in ("EMAIL", "PHONE", "CARD", "IP", "SECRET", "IBAN")
    )


def _calibration_us() -> float:
    """A fixed pure-Python workload, to compare figures across machines."""
    best = float("inf")
    for _ in range(20):
        started = time.perf_counter()
        sum(range(1000))
        best = min(best, time.perf_counter() - started)
    return best * 1e6


def _traffic() -> tuple[list[float], list[float]]:
    """Wall and CPU µs/span per pass over the ingest benchmark's traffic."""
    bodies = list(Traffic().bodies(0, TRAFFIC_REQUESTS, TRAFFIC_NOW_NS))
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(PASSES):
        records = [map_span(raw) for body in bodies for raw in decode_protobuf(body).spans]
        redactor = Redactor(SECRET)
        started, started_cpu = time.perf_counter(), time.process_time()
        for record in records:
            redactor.redact_record(record)
        wall.append((time.perf_counter() - started) / len(records) * 1e6)
        cpu.append((time.process_time() - started_cpu) / len(records) * 1e6)
    return wall, cpu


def main() -> None:
    rng = random.Random(SEED)
    records = [_record(rng, i) for i in range(SPANS)]
    sizes = [len(orjson.dumps(r.attributes)) for r in records]
    timings: list[float] = []
    batch: list[SpanRecord] = []
    for _ in range(PASSES):
        batch = copy.deepcopy(records)
        redactor = Redactor(SECRET)
        started = time.perf_counter()
        for record in batch:
            redactor.redact_record(record)
        timings.append((time.perf_counter() - started) / SPANS * 1e6)
    detected = sum(_has_detected_value(record) for record in batch)
    print(f"spans: {SPANS}, mean attribute size: {statistics.mean(sizes):.0f} bytes")
    print(f"spans with a detected value: {detected} ({detected / SPANS:.0%})")
    print(f"redaction: best {min(timings):.1f} µs/span, median {statistics.median(timings):.1f}")
    wall, cpu = _traffic()
    print(
        f"ingest traffic ({TRAFFIC_REQUESTS} requests of spans.py): best {min(wall):.1f} µs/span,"
        f" first pass {wall[0]:.1f}, best in CPU time {min(cpu):.1f}"
    )
    print(f"calibration: sum(range(1000)) takes {_calibration_us():.1f} µs on this machine")


if __name__ == "__main__":
    main()
