"""Bad OTLP input gets the documented status and a clear message; the server stays up
and everything acknowledged before is still stored exactly once."""

from __future__ import annotations

import gzip
import io

import orjson
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from support.live_server import LiveServer
from support.otlp import request_bytes

PB = {"Content-Type": "application/x-protobuf"}
JS = {"Content-Type": "application/json"}


def rpc_status(body: bytes) -> tuple[int, str]:
    """Decode a google.rpc.Status (code = field 1, message = field 2) by hand."""
    from google.protobuf.internal.decoder import _DecodeVarint  # type: ignore[attr-defined]

    code, message, pos = 0, "", 0
    while pos < len(body):
        tag, pos = _DecodeVarint(body, pos)
        if tag == 0x08:
            code, pos = _DecodeVarint(body, pos)
        elif tag == 0x12:
            size, pos = _DecodeVarint(body, pos)
            message = body[pos : pos + size].decode()
            pos += size
        else:
            raise AssertionError(f"unexpected tag {tag}")
    return code, message


def json_span(trace_id: str, span_id: str, **extra: object) -> dict[str, object]:
    return {
        "traceId": trace_id,
        "spanId": span_id,
        "name": "lookup",
        "startTimeUnixNano": "1760000000000000000",
        "endTimeUnixNano": "1760000000000001000",
        **extra,
    }


def json_request(*spans: dict[str, object]) -> bytes:
    return orjson.dumps(
        {
            "resourceSpans": [
                {"resource": {"attributes": []}, "scopeSpans": [{"spans": list(spans)}]}
            ]
        }
    )


@pytest.fixture
def acknowledged(server: LiveServer) -> str:
    """A batch stored before the bad input arrives; it must survive untouched."""
    with server.client() as client:
        assert (
            client.post(
                "/v1/traces", content=request_bytes(4, trace_byte=9), headers=PB
            ).status_code
            == 200
        )
    return "09" * 16


def assert_still_stored_once(server: LiveServer, trace_id: str) -> None:
    with server.client() as client:
        assert client.get("/healthz").status_code == 200
        trace = client.get(f"/api/v1/traces/{trace_id}").json()
    assert trace["span_count"] == 4 and len(trace["spans"]) == 4


def test_truncated_protobuf_is_400_with_rpc_status(server: LiveServer, acknowledged: str) -> None:
    body = request_bytes(3)[:-7]
    with server.client() as client:
        resp = client.post("/v1/traces", content=body, headers=PB)
    assert resp.status_code == 400
    assert resp.headers["content-type"] == "application/x-protobuf"
    code, message = rpc_status(resp.content)
    assert code == 3 and "protobuf" in message.lower()
    assert_still_stored_once(server, acknowledged)


def test_json_with_base64_ids_is_refused_and_says_hex(
    server: LiveServer, acknowledged: str
) -> None:
    body = json_request(json_span("AAECAwQFBgcICQoLDA0ODw==", "AAECAwQFBgc="))
    with server.client() as client:
        resp = client.post("/v1/traces", content=body, headers=JS)
    assert resp.status_code == 400
    assert resp.headers["content-type"].startswith("application/json")
    assert "hex" in resp.json()["message"] and "base64" in resp.json()["message"]
    assert_still_stored_once(server, acknowledged)


def test_ids_of_the_wrong_length_reject_that_span_only(
    server: LiveServer, acknowledged: str
) -> None:
    good = json_span("ab" * 16, "cd" * 8)
    short = json_span("ab" * 15, "ce" * 8)
    with server.client() as client:
        resp = client.post("/v1/traces", content=json_request(good, short), headers=JS)
        assert resp.status_code == 200
        partial = resp.json()["partialSuccess"]
        assert partial["rejectedSpans"] == "1" and "traceId" in partial["errorMessage"]
        assert client.get("/api/v1/traces/" + "ab" * 16).json()["span_count"] == 1
    assert_still_stored_once(server, acknowledged)


def test_unknown_json_fields_are_ignored(server: LiveServer) -> None:
    span = json_span("ef" * 16, "01" * 8, futureField={"x": 1})
    body = orjson.loads(json_request(span))
    body["somethingNew"] = True
    with server.client() as client:
        resp = client.post("/v1/traces", content=orjson.dumps(body), headers=JS)
        assert resp.status_code == 200 and resp.json() == {}
        assert client.get("/api/v1/traces/" + "ef" * 16).status_code == 200


def test_wrong_content_type_is_415(server: LiveServer, acknowledged: str) -> None:
    with server.client() as client:
        resp = client.post("/v1/traces", content=b"hello", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 415
    assert "application/x-protobuf" in rpc_status(resp.content)[1]
    assert_still_stored_once(server, acknowledged)


def test_a_30_mib_body_is_413(server: LiveServer, acknowledged: str) -> None:
    with server.client() as client:
        resp = client.post("/v1/traces", content=b"\0" * (30 * 1024 * 1024), headers=PB)
    assert resp.status_code == 413
    assert "smaller batches" in rpc_status(resp.content)[1]
    assert_still_stored_once(server, acknowledged)


def test_a_gzip_bomb_is_413_and_the_server_stays_up(server: LiveServer, acknowledged: str) -> None:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(200):  # 200 MiB of zeros, about 200 KiB compressed
            gz.write(chunk)
    with server.client() as client:
        resp = client.post(
            "/v1/traces", content=buf.getvalue(), headers={**PB, "Content-Encoding": "gzip"}
        )
    assert resp.status_code == 413
    assert "decompressed" in rpc_status(resp.content)[1]
    assert_still_stored_once(server, acknowledged)


def test_gzip_bodies_are_accepted(server: LiveServer) -> None:
    body = gzip.compress(request_bytes(2, trace_byte=3))
    with server.client() as client:
        resp = client.post("/v1/traces", content=body, headers={**PB, "Content-Encoding": "gzip"})
        assert resp.status_code == 200
        assert (
            ExportTraceServiceResponse.FromString(resp.content).partial_success.rejected_spans == 0
        )
        assert client.get("/api/v1/traces/" + "03" * 16).json()["span_count"] == 2


def _with_attributes(count: int, depth: int = 0) -> bytes:
    req = ExportTraceServiceRequest.FromString(request_bytes(2, trace_byte=7))
    bad = req.resource_spans[0].scope_spans[0].spans[1]
    for i in range(count):
        kv = bad.attributes.add()
        kv.key, kv.value.string_value = f"attr.{i}", "x"
    if depth:
        kv = bad.attributes.add()
        kv.key = "nested"
        value = kv.value
        for _ in range(depth):
            inner = value.kvlist_value.values.add()
            inner.key = "k"
            value = inner.value
        value.string_value = "deep"
    return req.SerializeToString()


@pytest.mark.parametrize(("count", "depth", "words"), [(10_000, 0, "attributes"), (0, 40, "nest")])
def test_spans_breaking_limits_are_refused_through_partial_success(
    server: LiveServer, acknowledged: str, count: int, depth: int, words: str
) -> None:
    with server.client() as client:
        resp = client.post("/v1/traces", content=_with_attributes(count, depth), headers=PB)
        assert resp.status_code == 200
        partial = ExportTraceServiceResponse.FromString(resp.content).partial_success
        assert partial.rejected_spans == 1
        assert words in partial.error_message
        assert client.get("/api/v1/traces/" + "07" * 16).json()["span_count"] == 1
    assert_still_stored_once(server, acknowledged)
