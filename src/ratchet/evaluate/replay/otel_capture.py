"""Spans an instrumented agent emits through OpenTelemetry during a replay, captured.

One SpanProcessor, added to the process's SDK TracerProvider (installed when
the global one is still the API's no-op proxy), hears every span start. A
span belongs to the replay whose step is current (``CURRENT``) in the
context that starts it, so replays running concurrently in one event loop
never see each other's spans, and spans started outside any replay are left
alone. Captured spans go through the same convention mapping as production
spans, then take the replay's trace id, ids from its IdSource and times from
its Clock, so a replayed trace is the same every run. The content is the
fixture's, already redacted: nothing is redacted again.

Limits: a span is seen only if it is started through the global provider
(or one passed to :func:`install`) in the replay's context, so threads the
agent starts without copying its context are not followed; and spans still
open when the agent returns are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opentelemetry import trace as otel_trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace import Span as SdkSpan
from opentelemetry.trace import ProxyTracerProvider

from ratchet.capture.conventions import map_span
from ratchet.capture.rawspan import RawSpan
from ratchet.core.clock import to_unix_nanos
from ratchet.core.spans import Span, SpanStatus, SpanType, TokenUsage
from ratchet.evaluate.replay.recording import (
    CURRENT,
    OtelOpen,
    Recording,
    make_span,
    tool_call,
)

_TYPES = {t.value: t for t in SpanType}
_STATUSES = {s.value: s for s in SpanStatus}


class ReplayCapture(SpanProcessor):
    """Attributes each OTel span to the replay current where it starts."""

    def __init__(self) -> None:
        # OTel span id → its replay entry, for ``on_end`` (which may run in any context).
        self._open: dict[int, OtelOpen] = {}
        # Resources are shared by every span of a provider: converted once each.
        self._resources: dict[int, tuple[Resource, dict[str, Any]]] = {}

    def on_start(self, span: SdkSpan, parent_context: Context | None = None) -> None:
        frame = CURRENT.get()
        if frame is None:
            return
        rec, frame_id = frame
        if not rec.admit():
            return
        otel_id = span.get_span_context().span_id
        parent_id = frame_id
        parent = span.parent
        if parent is not None:
            above = rec.otel_open.get(parent.span_id)
            # An OTel parent counts only if no toolbox step opened since it started.
            if above is not None and above.frame_id == frame_id:
                parent_id = above.span_id
        start = rec.clock.now()
        span_id = rec.ids.hex(8)
        # A placeholder holds the span's place in start order until it ends.
        placeholder = make_span(
            rec, span_id, parent_id, SpanType.OTHER, span.name, SpanStatus.UNSET, start, None
        )
        rec.spans.append(placeholder)
        entry = OtelOpen(rec, span_id, frame_id, parent_id, start, placeholder)
        rec.otel_open[otel_id] = entry
        self._open[otel_id] = entry

    def on_end(self, span: ReadableSpan) -> None:
        context = span.context
        if context is None:
            return
        entry = self._open.pop(context.span_id, None)
        if entry is None:
            return
        rec = entry.recording
        rec.otel_open.pop(context.span_id, None)
        if not rec.closed:
            self._fill(entry, span, rec.clock.now())

    def shutdown(self) -> None:
        self._open.clear()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True

    def forget(self, rec: Recording) -> None:
        """Drop a finished replay's spans that never ended."""
        for otel_id in rec.otel_open:
            self._open.pop(otel_id, None)
        rec.otel_open.clear()

    def _fill(self, entry: OtelOpen, span: ReadableSpan, end: Any) -> None:
        rec = entry.recording
        end_ns = to_unix_nanos(end)
        scope = span.instrumentation_scope
        record = map_span(
            RawSpan(
                trace_id=rec.trace_id,
                span_id=entry.span_id,
                parent_span_id=entry.parent_id,
                name=span.name,
                kind=span.kind.value + 1,  # the SDK counts from INTERNAL, OTLP from UNSPECIFIED
                start_ns=to_unix_nanos(entry.start),
                end_ns=end_ns,
                status_code=span.status.status_code.value,
                status_message=span.status.description or "",
                attributes=_plain(span.attributes),
                events=[
                    {"name": e.name, "time_ns": end_ns, "attributes": _plain(e.attributes)}
                    for e in span.events
                ],
                resource=self._resource(span.resource),
                scope=scope.name if scope is not None else "",
            )
        )
        # Filled in place: the placeholder already sits at its place in start order,
        # and other threads of the agent may be appending meanwhile.
        target: Span = entry.placeholder
        target.type = _TYPES.get(record.type, SpanType.OTHER)
        target.name = record.name
        target.status = _STATUSES.get(record.status, SpanStatus.UNSET)
        target.status_message = record.status_message
        target.end = end
        target.input = record.input
        target.output = record.output
        target.attributes = record.attributes
        target.events = record.events
        target.model = record.model
        target.cost = record.cost
        if (
            record.input_tokens is not None
            or record.output_tokens is not None
            or record.total_tokens is not None
        ):
            target.tokens = TokenUsage.model_construct(
                input=record.input_tokens, output=record.output_tokens, total=record.total_tokens
            )
        if target.type is SpanType.TOOL:
            target.tool = tool_call(record.name, record.tool_arguments, record.tool_result)
        for kind, entries in record.versions.items():
            rec.versions.setdefault(kind, {}).update(entries)
        if record.stop_reason is not None:
            rec.stop_reason = record.stop_reason
        if record.final_status is not None:
            rec.final_status = record.final_status

    def _resource(self, resource: Resource) -> dict[str, Any]:
        cached = self._resources.get(id(resource))
        if cached is None or cached[0] is not resource:
            cached = (resource, _plain(resource.attributes))
            self._resources[id(resource)] = cached
        return cached[1]


def _plain(attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    """Attribute values as the OTLP decoders hand them over: sequences as lists."""
    if not attributes:
        return {}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in attributes.items()}


PROCESSOR = ReplayCapture()
_attached: list[TracerProvider] = []
_global: list[object] = []  # the global provider last seen with the processor attached


def install(provider: TracerProvider | None = None) -> bool:
    """Capture spans started through ``provider`` (default: the global one) during replays.

    With no SDK provider set globally, one is installed (once); when the
    application already set its own, the processor is added to it. Returns
    False when the global provider is not the SDK's (nothing can be captured).
    """
    if provider is None:
        current = otel_trace.get_tracer_provider()
        if _global and current is _global[0]:
            return True
        if isinstance(current, ProxyTracerProvider):
            otel_trace.set_tracer_provider(TracerProvider())
            current = otel_trace.get_tracer_provider()
        if not isinstance(current, TracerProvider):
            return False
        provider = current
        _global[:] = [current]
    if not any(p is provider for p in _attached):
        provider.add_span_processor(PROCESSOR)
        _attached.append(provider)
    return True


def innermost(rec: Recording, parent: str) -> str:
    """``parent``, or the OTel span current in this context when it opened inside ``parent``."""
    otel_id = otel_trace.get_current_span().get_span_context().span_id
    entry = rec.otel_open.get(otel_id)
    if entry is not None and entry.frame_id == parent:
        return entry.span_id
    return parent
