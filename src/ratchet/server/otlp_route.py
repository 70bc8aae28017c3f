"""``POST /v1/traces``: OTLP/HTTP, protobuf or JSON, optionally gzip, per the OTLP spec.

A request is acknowledged (200) only after its spans are committed. Errors
use google.rpc.Status in the request's encoding; a busy store or a full
queue answers 503 with Retry-After so exporters retry; a span breaking a
limit is refused through ``partial_success`` while the rest are stored.
"""

from __future__ import annotations

import asyncio

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from starlette.concurrency import run_in_threadpool

from ratchet.capture.otlp import BodyTooLarge, UndecodableBody, UnsupportedEncoding
from ratchet.capture.pipeline import MAX_BODY_BYTES, PROTOBUF, Prepared, media_type
from ratchet.core.errors import RatchetError, StoreBusy, Unauthenticated
from ratchet.server.auth import INGEST, requires
from ratchet.server.errors import otlp_error
from ratchet.server.state import ServerState
from ratchet.store.keys import Principal
from ratchet.store.writer import Overloaded

router = APIRouter()

RETRY_AFTER_SECONDS = 2


class _TooLarge(Exception):
    pass


async def _read_limited(request: Request, limit: int) -> bytes:
    """The body, refusing as soon as it passes ``limit`` (never buffering a huge upload)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _success(protobuf: bool, prepared: Prepared) -> Response:
    message = "; ".join(prepared.errors)
    if prepared.rejected and len(prepared.errors) < prepared.rejected:
        message += f" (and {prepared.rejected - len(prepared.errors)} more)"
    if protobuf:
        resp = ExportTraceServiceResponse()
        if prepared.rejected:
            resp.partial_success.rejected_spans = prepared.rejected
            resp.partial_success.error_message = message
        return Response(resp.SerializeToString(), 200, media_type=PROTOBUF)
    body: dict[str, object] = {}
    if prepared.rejected:
        body["partialSuccess"] = {"rejectedSpans": str(prepared.rejected), "errorMessage": message}
    return Response(orjson.dumps(body), 200, media_type="application/json")


def _decode_and_prepare(
    state: ServerState,
    project_id: int,
    body: bytes,
    content_type: str | None,
    encoding: str | None,
) -> Prepared:
    decoded = state.pipeline.decode(body, content_type=content_type, content_encoding=encoding)
    return state.pipeline.prepare(project_id, decoded)


@router.post("/v1/traces", summary="Receive spans (OTLP/HTTP)", tags=["otlp"])
async def export_traces(request: Request) -> Response:
    state: ServerState = request.app.state.ratchet
    content_type = request.headers.get("content-type")
    protobuf = "json" not in (content_type or "").lower()
    try:
        principal: Principal = await requires(INGEST)(request)
        media_type(content_type)
        body = await _read_limited(request, MAX_BODY_BYTES)
        encoding = request.headers.get("content-encoding")
        # One trip to a worker thread for all the CPU work of the request.
        prepared = await run_in_threadpool(
            _decode_and_prepare, state, principal.project_id, body, content_type, encoding
        )
        if not prepared.records and prepared.rejected:
            return otlp_error(400, "; ".join(prepared.errors), protobuf=protobuf)
        if prepared.records:
            future = state.writer.submit(principal.project_id, prepared.records)
            await asyncio.wrap_future(future)
    except _TooLarge:
        return otlp_error(
            413,
            f"request body exceeds {MAX_BODY_BYTES} bytes; send smaller batches",
            protobuf=protobuf,
        )
    except BodyTooLarge:
        return otlp_error(
            413,
            f"decompressed body exceeds {MAX_BODY_BYTES} bytes; send smaller batches",
            protobuf=protobuf,
        )
    except (UndecodableBody, UnsupportedEncoding) as exc:
        status = 415 if isinstance(exc, UnsupportedEncoding) else 400
        return otlp_error(status, str(exc), protobuf=protobuf)
    except (Overloaded, StoreBusy) as exc:
        return otlp_error(503, exc.message, protobuf=protobuf, retry_after=RETRY_AFTER_SECONDS)
    except Unauthenticated as exc:
        return otlp_error(401, exc.message, protobuf=protobuf)
    except RatchetError as exc:
        return otlp_error(exc.status, exc.message, protobuf=protobuf)
    return _success(protobuf, prepared)


# Declared for the route-permission audit: the handler authenticates itself
# (above) so that its errors keep the OTLP encoding.
export_traces.__ratchet_permission__ = INGEST  # type: ignore[attr-defined]
