"""Real traces of the demo's agents: run through the production toolbox, exported as OTLP files.

The spans are what an instrumented application sends (the demo's own
OpenTelemetry toolbox and attributes), encoded by the OTLP exporter's own
encoder into a protobuf file that ``ratchet ingest`` stores the way the
server would. Ids come from a seeded generator, so a seed gives the same trace.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ratchet.demo.agents import Case, refunds
from ratchet.demo.agents.backends import Backends
from ratchet.demo.agents.telemetry import SeededIdGenerator
from ratchet.demo.agents.toolbox import ProductionToolbox, RunInfo

START = datetime(2026, 4, 14, 9, 0, tzinfo=UTC)
MESSAGE = "Refund this order and tell the customer it is done."


def refund_case(route: str = "refund_assist", order_id: str = "ord_7f3k") -> Case:
    return Case(
        {"user_message": MESSAGE, "order_id": order_id},
        {
            "route": route,
            "policy_version": "refund-policy-2026-04",
            "customer_status": "standard",
            "customer_email": "dana.whitfield@example.com",
            "today": "2026-04-14",
        },
    )


def refund_trace_file(
    path: Path,
    *,
    agent: Any = refunds.run_buggy,
    route: str = "refund_assist",
    amount: float = 840.0,
    seed: str = "refund-incident",
) -> str:
    """Run the refund assistant once, write its spans to ``path`` (OTLP protobuf); the trace id.

    The defaults reproduce the demo's incident: the buggy agent on the email
    route issues an $840 refund without approval and tells the customer so.
    """
    exporter = InMemorySpanExporter()
    provider = TracerProvider(
        resource=Resource.create({"service.name": "refund-assistant"}),
        id_generator=SeededIdGenerator(seed),
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    backends = Backends(seed=0)
    backends.add_order(
        {"order_id": "ord_7f3k", "amount": amount, "currency": "USD", "delivered_at": "2026-04-10"}
    )
    toolbox = ProductionToolbox(
        provider.get_tracer("tests"), backends, start=START, rng=random.Random(seed)
    )
    outcome = toolbox.run(
        agent, refund_case(route), RunInfo("refund_assistant", "sess_42", "user_42", "email")
    )
    provider.shutdown()
    path.write_bytes(encode_spans(exporter.get_finished_spans()).SerializeToString())
    return outcome.trace_id
