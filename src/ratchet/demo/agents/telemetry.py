"""How the demo's applications set up OpenTelemetry: the way a real app would.

Each application gets its own TracerProvider (never the global one, so the
demo can run inside a process that has its own tracing), a Resource stamped
with ``service.name`` and its artifact versions, and the standard OTLP/HTTP
exporter with a bearer key. Two demo-specific touches: ids come from a
seeded generator so a seed reproduces the data, and the exporter counts what
the server acknowledged so the demo can say when nothing arrived.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import Tracer

from ratchet import __version__
from ratchet.core import VersionManifest
from ratchet.sdk import version_attributes

#: Seconds the exporter keeps retrying one batch before giving up.
EXPORT_TIMEOUT_S = 10.0


class SeededIdGenerator(IdGenerator):
    """Trace and span ids from a seeded generator, so a seed reproduces the demo's ids."""

    def __init__(self, seed: str) -> None:
        self._rng = random.Random(seed)

    def generate_span_id(self) -> int:
        return self._nonzero(64)

    def generate_trace_id(self) -> int:
        return self._nonzero(128)

    def is_trace_id_random(self) -> bool:
        return True

    def _nonzero(self, bits: int) -> int:
        value = 0
        while value == 0:
            value = self._rng.getrandbits(bits)
        return value


class CountingExporter(SpanExporter):
    """Passes spans to another exporter and counts what it delivered and what it lost."""

    def __init__(self, inner: SpanExporter) -> None:
        self._inner = inner
        self.exported = 0
        self.lost = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        if self.lost:
            # After one failure, fail fast: each retry against a dead server costs seconds.
            self.lost += len(spans)
            return SpanExportResult.FAILURE
        result = self._inner.export(spans)
        if result is SpanExportResult.SUCCESS:
            self.exported += len(spans)
        else:
            self.lost += len(spans)
        return result

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)


@dataclass
class AppTelemetry:
    """One application's tracing: its provider, tracer, and delivery counts."""

    endpoint: str
    provider: TracerProvider
    tracer: Tracer
    exporter: CountingExporter

    @classmethod
    def connect(
        cls,
        service: str,
        versions: VersionManifest,
        *,
        endpoint: str,
        api_key: str,
        id_seed: str,
        max_queue_size: int = 2048,
    ) -> AppTelemetry:
        """Tracing for ``service`` that exports to ``endpoint`` (a full ``…/v1/traces`` URL)."""
        resource = Resource.create(
            {
                "service.name": service,
                "deployment.environment.name": "production",
                **version_attributes(versions),
            }
        )
        exporter = CountingExporter(
            OTLPSpanExporter(
                endpoint=endpoint,
                headers={"Authorization": f"Bearer {api_key}"},
                timeout=EXPORT_TIMEOUT_S,
            )
        )
        provider = TracerProvider(
            resource=resource, id_generator=SeededIdGenerator(id_seed), shutdown_on_exit=False
        )
        provider.add_span_processor(
            BatchSpanProcessor(
                exporter,
                max_queue_size=max_queue_size,
                schedule_delay_millis=200,
                max_export_batch_size=512,
            )
        )
        return cls(endpoint, provider, provider.get_tracer("ratchet.demo", __version__), exporter)

    @property
    def exported(self) -> int:
        return self.exporter.exported

    @property
    def lost(self) -> int:
        return self.exporter.lost

    def close(self) -> None:
        """Send what is queued and stop; the counts are final afterwards."""
        self.provider.force_flush(timeout_millis=int(EXPORT_TIMEOUT_S * 3000))
        self.provider.shutdown()
