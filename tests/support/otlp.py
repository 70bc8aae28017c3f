"""Sending spans the way applications do: the real OpenTelemetry SDK and OTLP/HTTP exporter."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import Tracer


@contextmanager
def exporting_tracer(
    endpoint: str, key: str, *, service: str = "shop-agent", resource: dict[str, str] | None = None
) -> Iterator[Tracer]:
    """A tracer whose spans are exported synchronously on end, then flushed on exit."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": service, **(resource or {})})
    )
    exporter = OTLPSpanExporter(
        endpoint=endpoint, headers={"Authorization": f"Bearer {key}"}, timeout=20
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    try:
        yield provider.get_tracer("tests")
    finally:
        provider.shutdown()


def request_bytes(spans: int = 3, *, trace_byte: int = 1, name: str = "step") -> bytes:
    """A hand-made ExportTraceServiceRequest with ``spans`` spans of one trace."""
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    req = ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    kv = rs.resource.attributes.add()
    kv.key, kv.value.string_value = "service.name", "hand-made"
    ss = rs.scope_spans.add()
    for i in range(spans):
        sp = ss.spans.add()
        sp.trace_id = bytes([trace_byte]) * 16
        sp.span_id = (i + 1).to_bytes(8, "big")
        if i:
            sp.parent_span_id = (1).to_bytes(8, "big")
        sp.name = f"{name}-{i}"
        sp.start_time_unix_nano = 1_760_000_000_000_000_000 + i * 1000
        sp.end_time_unix_nano = sp.start_time_unix_nano + 500
    return req.SerializeToString()
