"""What every review page shares: who is reading, the templates, and readable error pages.

Pages check the browser session themselves (a visitor without one is sent
to ``/login``) rather than through a dependency, so that a refused request
becomes a page a person can read instead of the API's JSON error. Every
form on a page carries the session's CSRF token, and every state-changing
page route verifies it before touching the store.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from ratchet.core.errors import RatchetError, Unauthenticated
from ratchet.server import browser
from ratchet.server.auth import browser_principal, session_principal
from ratchet.server.pages.span_tree import as_text
from ratchet.server.pages.static import static_url
from ratchet.server.state import ServerState
from ratchet.store.keys import Principal

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

templates = Jinja2Templates(directory=str(TEMPLATES))


def when(moment: datetime | None) -> str:
    """A time as reviewers read it: to the second, in UTC, so every reader sees the same."""
    if moment is None:
        return "—"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def duration(ms: float | None) -> str:
    """A duration short enough for a table cell: 850 ms, 2.4 s, 3 min 5 s."""
    if ms is None:
        return "—"
    if ms < 1000:
        return f"{ms:.0f} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    minutes, seconds = divmod(round(ms / 1000), 60)
    return f"{minutes} min {seconds} s"


templates.env.globals["static_url"] = static_url
templates.env.filters["when"] = when
templates.env.filters["duration"] = duration
templates.env.filters["pretty"] = as_text


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in reader of a page and the token their forms must carry."""

    principal: Principal
    csrf: str

    @property
    def project_id(self) -> int:
        return self.principal.project_id

    @property
    def user(self) -> str | None:
        return self.principal.user


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.ratchet
    return state


async def viewer(request: Request) -> Viewer | None:
    """The signed-in reader, or None when the browser has no valid session."""
    found = await session_principal(request)
    if found is None:
        return None
    principal, session = found
    secret = await run_in_threadpool(state_of(request).browser_secret)
    return Viewer(principal=principal, csrf=browser.csrf_token(secret, session))


async def writer(request: Request) -> Viewer:
    """The signed-in reader of a form post, which must carry the session's CSRF token.

    Raises:
        Unauthenticated: no valid session.
        CsrfRejected: the token is missing or belongs to another session.
    """
    await browser_principal(request, csrf=True)
    found = await viewer(request)
    if found is None:  # the session ended between the two reads
        raise Unauthenticated("not signed in, or the session expired: sign in again at /login")
    return found


def to_login() -> Response:
    return RedirectResponse("/login", status_code=303)


def render(
    request: Request,
    name: str,
    reader: Viewer | None,
    context: Mapping[str, Any],
    status: int = 200,
) -> Response:
    """Render a page with the navigation header's needs (user, project, token) filled in."""
    base: dict[str, Any] = {}
    if reader is not None:
        base = {
            "user": reader.user,
            "project": reader.principal.project,
            "csrf": reader.csrf,
        }
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    # Pages show what reviewers wrote; no other site may frame them.
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


async def error_page(request: Request, exc: RatchetError) -> Response:
    """A RatchetError as a page: the message, what to do, and the way back."""
    try:
        reader = await viewer(request)
    except RatchetError:
        reader = None
    if reader is None and exc.status == 401 and request.method in ("GET", "HEAD"):
        return to_login()
    return render(
        request,
        "error.html",
        reader,
        {"status": exc.status, "code": exc.code, "message": exc.message},
        status=exc.status,
    )


Handler = TypeVar("Handler", bound=Callable[..., Awaitable[Response]])


def html_errors(handler: Handler) -> Handler:
    """Answer a RatchetError raised by a page handler with an error page, never JSON.

    The wrapper keeps the handler's signature (FastAPI reads it through
    ``__wrapped__``), so parameters and dependencies are declared as usual;
    the handler must take ``request``.
    """

    @functools.wraps(handler)
    async def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return await handler(*args, **kwargs)
        except RatchetError as exc:
            return await error_page(kwargs["request"], exc)

    return wrapper  # type: ignore[return-value]
