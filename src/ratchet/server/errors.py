"""Error bodies: ``{"error": {"code", "message"}}`` under /api/v1, google.rpc.Status for OTLP."""

from __future__ import annotations

import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ratchet.core.errors import RatchetError

# google.rpc.Code values used by OTLP responses.
RPC_CODES = {400: 3, 401: 16, 403: 7, 404: 5, 413: 8, 415: 3, 429: 8, 503: 14}


def api_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def rpc_status_protobuf(code: int, message: str) -> bytes:
    """A serialised google.rpc.Status (field 1 code, field 2 message).

    Two fields do not justify another dependency for the generated class.
    """
    text = message.encode()
    return b"\x08" + _varint(code) + b"\x12" + _varint(len(text)) + text


def otlp_error(
    status: int, message: str, *, protobuf: bool, retry_after: int | None = None
) -> Response:
    """An OTLP/HTTP error response in the request's encoding."""
    code = RPC_CODES.get(status, 2)
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    if protobuf:
        return Response(
            rpc_status_protobuf(code, message),
            status,
            media_type="application/x-protobuf",
            headers=headers,
        )
    body = orjson.dumps({"code": code, "message": message})
    return Response(body, status, media_type="application/json", headers=headers)


def describe_validation(exc: RequestValidationError) -> str:
    """One readable line from pydantic's errors: where, and what is expected."""
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{loc or 'body'}: {msg}")
    return "; ".join(parts) or "invalid request"


async def ratchet_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RatchetError)
    headers = {"Retry-After": "1"} if exc.status == 503 else None
    return api_error(exc.status, exc.code, exc.message, headers)


async def validation_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return api_error(422, "invalid_argument", describe_validation(exc))


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith("/api/") or request.url.path.startswith("/v1/"):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
        message = str(exc.detail)
        if exc.status_code == 404:
            message = f"no route {request.method} {request.url.path}; see /docs for the API"
        return api_error(exc.status_code, code, message)
    return JSONResponse({"detail": exc.detail}, exc.status_code)


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    """A fault of ours: logged with its traceback, answered 503 so clients retry.

    The message never repeats request data, which may hold unredacted values.
    """
    import logging

    logging.getLogger("ratchet.server").error(
        "unhandled error on %s %s", request.method, request.url.path, exc_info=exc
    )
    return api_error(
        503,
        "unavailable",
        "the server hit an internal fault; retry, and report it if it persists",
        {"Retry-After": "1"},
    )
