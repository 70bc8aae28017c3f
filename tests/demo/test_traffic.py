"""Simulated production, sent through the real OTel exporter to a real HTTP server."""

from __future__ import annotations

import gzip
import json
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from ratchet.core import RatchetError
from ratchet.demo.traffic import TrafficReport, simulate_production

START = datetime(2026, 4, 21, 9, 0, tzinfo=UTC)
TRACES = 120
STATUS_ERROR = 2


@dataclass
class SentSpan:
    service: str
    resource: dict[str, Any]
    trace_id: str
    span_id: str
    parent: str
    name: str
    start_ns: int
    status: int
    attributes: dict[str, Any]
    events: list[str]


@dataclass
class Collector:
    """A stand-in Ratchet server: decodes OTLP, records feedback, answers like the real one."""

    url: str = ""
    spans: list[SentSpan] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    authorizations: set[str] = field(default_factory=set)
    refuse_traces: bool = False

    def by_trace(self) -> dict[str, list[SentSpan]]:
        traces: dict[str, list[SentSpan]] = {}
        for span in self.spans:
            traces.setdefault(span.trace_id, []).append(span)
        return traces


def _value(any_value: Any) -> Any:
    kind = any_value.WhichOneof("value")
    return getattr(any_value, kind) if kind else None


def _decode(raw: bytes) -> list[SentSpan]:
    request = ExportTraceServiceRequest.FromString(raw)
    spans = []
    for resource_spans in request.resource_spans:
        resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append(
                    SentSpan(
                        service=resource["service.name"],
                        resource=resource,
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent=span.parent_span_id.hex(),
                        name=span.name,
                        start_ns=span.start_time_unix_nano,
                        status=span.status.code,
                        attributes={a.key: _value(a.value) for a in span.attributes},
                        events=[event.name for event in span.events],
                    )
                )
    return spans


@pytest.fixture
def collector() -> Iterator[Collector]:
    state = Collector()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            state.authorizations.add(self.headers.get("Authorization", ""))
            if self.path == "/v1/traces" and state.refuse_traces:
                self._answer(401, b"", "application/x-protobuf")
            elif self.path == "/v1/traces":
                state.spans.extend(_decode(raw))
                body = ExportTraceServiceResponse().SerializeToString()
                self._answer(200, body, "application/x-protobuf")
            elif self.path == "/api/v1/feedback":
                signal = json.loads(raw)
                state.feedback.append(signal)
                self._answer(201, json.dumps({"id": "sig", **signal}).encode(), "application/json")
            else:
                self._answer(404, b"{}", "application/json")

        def _answer(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True).start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def simulate(collector: Collector, **kwargs: Any) -> TrafficReport:
    options: dict[str, Any] = {"traces": TRACES, "seed": 7, "start": START, **kwargs}
    return simulate_production(collector.url, "rk_demo_key", **options)


def test_every_run_arrives_as_a_trace_from_both_services(collector: Collector) -> None:
    progress: list[tuple[int, int]] = []

    report = simulate(collector, progress=lambda done, total: progress.append((done, total)))

    traces = collector.by_trace()
    assert report.traces == TRACES == len(traces)
    assert sorted(traces) == sorted(report.trace_ids)
    assert report.spans == len(collector.spans)
    assert progress[-1] == (TRACES, TRACES) and len(progress) == TRACES
    assert collector.authorizations == {"Bearer rk_demo_key"}
    services = Counter(spans[0].service for spans in traces.values())
    assert set(services) == {"scheduling-assistant", "refund-assistant"}
    assert services == Counter(report.services)
    assert report.sessions < report.traces  # some sessions have follow-up turns


def test_resources_are_stamped_with_versions(collector: Collector) -> None:
    simulate(collector, feedback=False)

    resources = {span.service: span.resource for span in collector.spans}
    refund = resources["refund-assistant"]
    assert refund["service.version"] == "3.8.0"
    assert refund["ratchet.version.prompt.refund-system"] == "v12"
    assert refund["ratchet.version.policy.refund-policy"] == "refund-policy-2026-04"
    assert refund["ratchet.version.model.refunds"]
    scheduler = resources["scheduling-assistant"]
    assert scheduler["ratchet.version.prompt.scheduler-system"] == "v7"
    assert scheduler["ratchet.version.model.scheduler"]
    assert scheduler["ratchet.version.policy.booking-rules"]


def test_spans_carry_the_conventions_capture_maps(collector: Collector) -> None:
    simulate(collector, feedback=False)

    roots = [s for s in collector.spans if not s.parent]
    assert len(roots) == TRACES
    for root in roots:
        assert root.attributes["openinference.span.kind"] == "AGENT"
        assert root.attributes["session.id"].startswith("sess_")
        assert root.attributes["user.id"].startswith("u_")
        assert root.attributes["ratchet.surface"] in {"web", "email"}
        assert root.attributes["ratchet.stop_reason"] and root.attributes["ratchet.final_status"]
    model = next(s for s in collector.spans if s.attributes.get("openinference.span.kind") == "LLM")
    assert model.attributes["llm.input_messages.0.message.role"] == "system"
    assert model.attributes["llm.output_messages.0.message.content"]
    assert model.attributes["llm.token_count.total"] == (
        model.attributes["llm.token_count.prompt"] + model.attributes["llm.token_count.completion"]
    )
    tools = [s for s in collector.spans if s.attributes.get("openinference.span.kind") == "TOOL"]
    assert {"read_order", "issue_refund", "read_calendar", "create_event"} <= {
        s.attributes["tool.name"] for s in tools
    }
    failed = [s for s in tools if s.status == STATUS_ERROR]
    assert failed and all("exception" in s.events for s in failed)
    statuses = Counter(
        (s.attributes["ratchet.span.type"], s.attributes["ratchet.span.status"])
        for s in collector.spans
        if "ratchet.span.type" in s.attributes
    )
    assert statuses[("approval", "waiting")] > 0
    assert statuses[("policy", "denied")] > 0
    texts = " ".join(str(s.attributes.get("input.value", "")) for s in roots)
    assert "@example." in texts and "555" in texts  # personal data for redaction to find
    week_before = START - timedelta(days=7)
    starts = [s.start_ns for s in collector.spans]
    assert week_before.timestamp() * 1e9 <= min(starts) < max(starts) < START.timestamp() * 1e9


def test_buggy_refunds_over_the_threshold_on_the_email_route_skip_approval(
    collector: Collector,
) -> None:
    report = simulate(collector, feedback=False)

    bypassed: list[tuple[str, bool, bool]] = []
    guarded: list[tuple[str, bool, bool]] = []
    for trace_id, spans in collector.by_trace().items():
        refs = {(s.attributes.get("ratchet.span.type"), s.name) for s in spans}
        over = any(
            s.name == "refund_threshold" and "needs_approval" in s.attributes["output.value"]
            for s in spans
        )
        if not over:
            continue
        issued = any(s.attributes.get("tool.name") == "issue_refund" for s in spans)
        has_approval = ("approval", "required") in refs
        surface = next(s for s in spans if not s.parent).attributes["ratchet.surface"]
        (bypassed if surface == "email" else guarded).append((trace_id, issued, has_approval))
    assert bypassed and guarded
    assert all(not has_approval for _, _, has_approval in bypassed)
    assert any(issued for _, issued, _ in bypassed)
    assert all(has_approval and not issued for _, issued, has_approval in guarded)
    skipped = {t for t, mode in report.failure_modes.items() if mode == "skipped-approval"}
    assert skipped == {t for t, issued, _ in bypassed if issued}


def test_the_same_seed_sends_the_same_traces(collector: Collector) -> None:
    first = simulate(collector)
    first_spans = [(s.trace_id, s.span_id, s.name, s.start_ns) for s in collector.spans]
    first_feedback = list(collector.feedback)
    collector.spans.clear()
    collector.feedback.clear()

    second = simulate(collector)
    other = simulate(collector, seed=8, feedback=False)

    assert second.trace_ids == first.trace_ids
    assert sorted(first_spans) == sorted(
        (s.trace_id, s.span_id, s.name, s.start_ns)
        for s in collector.spans
        if s.trace_id in set(first.trace_ids)
    )
    assert collector.feedback == first_feedback
    assert not set(other.trace_ids) & set(first.trace_ids)


def test_feedback_refers_to_traces_that_were_sent(collector: Collector) -> None:
    report = simulate(collector)

    sent = set(report.trace_ids)
    sessions = {s.attributes["session.id"] for s in collector.spans if not s.parent}
    assert report.feedback_posted == len(collector.feedback) > 0
    on_traces = [f["trace_id"] for f in collector.feedback if "trace_id" in f]
    assert on_traces == report.trace_ids_with_feedback
    assert set(on_traces) <= sent
    assert {f["session_id"] for f in collector.feedback if "session_id" in f} <= sessions
    kinds = Counter(f["kind"] for f in collector.feedback)
    assert {"thumbs_down", "thumbs_up", "report"} <= set(kinds)
    for signal in collector.feedback:
        if signal["kind"] in {"report", "correction", "escalation", "override"}:
            assert signal["trace_id"] in report.failure_modes
            assert signal["comment"]
        if signal["kind"] == "correction":
            assert "booked for a follow-up on" in signal["corrected_output"]
    assert report.failures == len(report.failure_modes) > 0


def test_a_server_refusing_spans_is_reported(collector: Collector) -> None:
    collector.refuse_traces = True

    with pytest.raises(RatchetError, match=r"spans could not be delivered to http://127\.0\.0\.1"):
        simulate(collector, traces=5)

    assert collector.feedback == []
