"""Authentication and per-route permissions.

Every route declares what it needs with ``Depends(requires(PERMISSION))`` (or
``Depends(public)``); a test walks the app and fails when a route declares
nothing, so a new route cannot ship open by accident. The project always
comes from the key, never from the request body.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ratchet.core.errors import RatchetError, Unauthenticated
from ratchet.server import browser
from ratchet.store.keys import Principal, authenticate, principal_for_key_id

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
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
        if key is None and request.cookies.get(browser.COOKIE):
            return await browser_principal(request, csrf=request.method not in SAFE_METHODS)
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


class CsrfRejected(RatchetError):
    code = "csrf_rejected"
    status = 403


async def session_principal(request: Request) -> tuple[Principal, browser.BrowserSession] | None:
    """The principal and session of the browser's cookie, or None when there is no valid one.

    The person is the session's: the key's own user when it names one, else
    the name typed at sign-in.
    """
    state = request.app.state.ratchet
    secret = await run_in_threadpool(state.browser_secret)
    session = browser.read(
        secret, request.cookies.get(browser.COOKIE), state.clock.now().timestamp()
    )
    if session is None:
        return None
    principal = await run_in_threadpool(principal_for_key_id, state.store, session.key_id)
    if principal is None:
        return None
    return replace(principal, user=principal.user or session.user), session


async def browser_principal(request: Request, *, csrf: bool) -> Principal:
    """The signed-in person; with ``csrf``, the request must carry the session's token."""
    found = await session_principal(request)
    if found is None:
        raise Unauthenticated("not signed in, or the session expired: sign in again at /login")
    principal, session = found
    if csrf:
        secret = await run_in_threadpool(request.app.state.ratchet.browser_secret)
        presented = request.headers.get(browser.CSRF_HEADER)
        if presented is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            presented = (await request.form()).get("csrf")  # type: ignore[assignment]
        if not browser.csrf_ok(secret, session, presented):
            raise CsrfRejected(
                "this form is missing its security token or the token is stale:"
                " reload the page and submit again"
            )
    return principal


def requires(name: str) -> Permission:
    return Permission(name)


@dataclass(frozen=True)
class Public:
    """Marks a route that needs no key (health checks, the login page)."""

    async def __call__(self) -> None:
        return None


public = Public()
