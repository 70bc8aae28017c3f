"""A replayed Trace as the store's span rows, so replays are browsable like production."""

from __future__ import annotations

from ratchet.core.clock import to_unix_nanos
from ratchet.core.traces import ARTIFACT_KINDS, Trace
from ratchet.store.records import SpanRecord


def span_records(trace: Trace) -> list[SpanRecord]:
    versions = {
        kind: dict(getattr(trace.versions, kind))
        for kind in ARTIFACT_KINDS
        if getattr(trace.versions, kind)
    }
    records = []
    for span in trace.spans:
        is_root = span.parent_span_id is None
        tokens = span.tokens
        records.append(
            SpanRecord(
                trace_id=span.trace_id,
                span_id=span.span_id,
                name=span.name,
                start_ns=to_unix_nanos(span.start),
                end_ns=to_unix_nanos(span.end) if span.end else None,
                parent_span_id=span.parent_span_id,
                type=span.type.value,
                status=span.status.value,
                status_message=span.status_message,
                input=span.input,
                output=span.output,
                attributes=span.attributes,
                events=span.events,
                model=span.model,
                input_tokens=tokens.input if tokens else None,
                output_tokens=tokens.output if tokens else None,
                total_tokens=tokens.total if tokens else None,
                cost=span.cost,
                tool_arguments=span.tool.arguments if span.tool else None,
                tool_result=span.tool.result if span.tool else None,
                session_id=trace.session_id if is_root else None,
                service=trace.service if is_root else None,
                versions=versions if is_root else {},
                service_version=trace.versions.service if is_root else None,
                stop_reason=trace.stop_reason if is_root else None,
                final_status=trace.final_status if is_root else None,
                source=trace.source.value,
            )
        )
    return records
