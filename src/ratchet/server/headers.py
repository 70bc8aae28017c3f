"""Security headers on the web UI's pages, added without slowing the API down.

A plain ASGI wrapper rather than an HTTP middleware class: ingest requests
pass straight through, and only responses that are HTML pages get the
headers. The pages use no inline script, so the policy can forbid it;
FastAPI's own /docs pages load their viewer from a CDN and are left alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
_PAGE_HEADERS = [
    (b"content-security-policy", POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
_SKIP = ("/docs", "/redoc")


class PageHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_SKIP):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers):
                    message["headers"] = [*headers, *_PAGE_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
