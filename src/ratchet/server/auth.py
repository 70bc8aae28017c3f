"""Authentication and per-route permissions.

Every route declares what it needs with ``Depends(requires(PERMISSION))`` (or
``Depends(public)``); a test walks the app and fails when a route declares
nothing, so a new route cannot ship open by accident. The project always
comes from the key, never from the request body.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ratchet.core.errors import Unauthenticated
from ratchet.store.keys import Principal, authenticate

INGEST = "ingest"
READ = "read"
WRITE = "write"


def presented_key(request: Request) -> str | None:
    """The key from ``Authorization: Bearer …`` or ``x-api-key``."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    key = request.headers.get("x-api-key")
    return key.strip() if key else None


@dataclass(frozen=True)
class Permission:
    """A dependency that authenticates the caller and names what the route needs."""

    name: str

    async def __call__(self, request: Request) -> Principal:
        key = presented_key(request)
        if key is None:
            raise Unauthenticated(
                "missing API key: send 'Authorization: Bearer <key>' or 'x-api-key: <key>'"
                " (create one with `ratchet keys create --project NAME`)"
            )
        state = request.app.state.ratchet
        principal = await run_in_threadpool(authenticate, state.store, key)
        if principal is None:
            raise Unauthenticated("unknown or revoked API key")
        return principal


def requires(name: str) -> Permission:
    return Permission(name)


@dataclass(frozen=True)
class Public:
    """Marks a route that needs no key (health checks, the login page)."""

    async def __call__(self) -> None:
        return None


public = Public()
