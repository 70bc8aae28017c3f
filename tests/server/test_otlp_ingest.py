"""Spans sent by the real OpenTelemetry exporter are stored, mapped and readable at once."""

from __future__ import annotations

from opentelemetry.trace import Status, StatusCode

from support.live_server import LiveServer
from support.otlp import exporting_tracer


def test_exporter_spans_are_readable_as_soon_as_acknowledged(server: LiveServer) -> None:
    with exporting_tracer(
        server.otlp_endpoint, server.key, resource={"ratchet.version.prompt.refund_reply": "v7"}
    ) as tracer:
        with tracer.start_as_current_span(
            "refund run",
            attributes={
                "openinference.span.kind": "AGENT",
                "session.id": "sess-42",
                "user.id": "u_4821",
                "ratchet.stop_reason": "needs_human_approval",
                "ratchet.final_status": "needs_human",
            },
        ) as root:
            trace_id = format(root.get_span_context().trace_id, "032x")
            with tracer.start_as_current_span(
                "tools.read_order",
                attributes={
                    "openinference.span.kind": "TOOL",
                    "tool.name": "read_order",
                    "input.value": '{"order_id": "ord_1"}',
                    "output.value": '{"amount": 840}',
                },
            ):
                pass
            with tracer.start_as_current_span(
                "approval",
                attributes={"ratchet.span.type": "approval", "ratchet.span.name": "required"},
            ) as approval:
                approval.set_status(Status(StatusCode.ERROR, "approver unreachable"))

    with server.client() as client:
        listed = client.get("/api/v1/traces").json()["traces"]
        assert [t["trace_id"] for t in listed] == [trace_id]
        body = client.get(f"/api/v1/traces/{trace_id}").json()

    assert body["trace_id"] == trace_id
    assert body["name"] == "refund run"
    assert body["service"] == "shop-agent"
    assert body["session_id"] == "sess-42"
    assert body["stop_reason"] == "needs_human_approval"
    assert body["final_status"] == "needs_human"
    assert body["versions"]["prompt"] == {"refund_reply": "v7"}
    assert body["span_count"] == 3 and body["error_count"] == 1
    refs = {s["ref"] for s in body["spans"]}
    assert refs == {"agent:refund run", "tool:read_order", "approval:required"}
    tool = next(s for s in body["spans"] if s["type"] == "tool")
    assert tool["name"] == "read_order"
    assert tool["attributes"]["otel.span_name"] == "tools.read_order"
    assert tool["tool"]["arguments"] == {"order_id": "ord_1"}
    assert tool["tool"]["result"] == {"amount": 840}
    failed = next(s for s in body["spans"] if s["type"] == "approval")
    assert failed["status"] == "error" and failed["status_message"] == "approver unreachable"


def test_a_trace_split_over_requests_in_any_order_is_assembled(server: LiveServer) -> None:
    # Children arrive first (each span exported on its own as it ends), the root last.
    with exporting_tracer(server.otlp_endpoint, server.key) as tracer:
        with tracer.start_as_current_span(
            "root", attributes={"ratchet.final_status": "done"}
        ) as root:
            trace_id = format(root.get_span_context().trace_id, "032x")
            for i in range(3):
                with tracer.start_as_current_span(f"child-{i}"):
                    pass
            with server.client() as client:
                partial = client.get(f"/api/v1/traces/{trace_id}").json()
            assert partial["span_count"] == 3
            assert partial["name"] is None and partial["final_status"] is None
    with server.client() as client:
        whole = client.get(f"/api/v1/traces/{trace_id}").json()
    assert whole["span_count"] == 4
    assert whole["name"] == "root" and whole["final_status"] == "done"


def test_a_resent_batch_is_stored_once(server: LiveServer) -> None:
    from support.otlp import request_bytes

    body = request_bytes(5)
    with server.client() as client:
        for _ in range(3):
            resp = client.post(
                "/v1/traces", content=body, headers={"Content-Type": "application/x-protobuf"}
            )
            assert resp.status_code == 200
        trace = client.get("/api/v1/traces/" + "01" * 16).json()
    assert trace["span_count"] == 5
    assert len(trace["spans"]) == 5
