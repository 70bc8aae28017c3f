"""The web UI's entry: sign in with a name and a key, sign out, and the home page.

``/`` sends a visitor without a session to ``/login``. The sign-in form is
itself protected from cross-site posting by a double-submit token: the page
sets a random cookie and repeats it in a hidden field, and a post whose two
copies differ is refused.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from ratchet.server import browser
from ratchet.server.auth import browser_principal, public, session_principal
from ratchet.server.state import ServerState
from ratchet.store.keys import authenticate

router = APIRouter(include_in_schema=False)

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

_NAME_LIMIT = 200


def _secure(request: Request) -> bool:
    """Cookies only over HTTPS when the request came so, or when the operator says so.

    Behind a TLS-terminating proxy the server sees plain HTTP: set
    RATCHET_SECURE_COOKIES=1 there (or let uvicorn trust the proxy's
    forwarded headers) so browsers never send the session in clear.
    """
    forced = os.environ.get("RATCHET_SECURE_COOKIES", "").strip().lower() in {"1", "true", "yes"}
    return forced or request.url.scheme == "https"


def _login_form(
    request: Request, error: str | None = None, name: str = "", status: int = 200
) -> Response:
    token = secrets.token_hex(16)
    response = templates.TemplateResponse(
        request,
        "login.html",
        {"error": error, "login_token": token, "name": name},
        status_code=status,
    )
    response.set_cookie(
        browser.LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=3600,
    )
    return response


@router.get("/login")
async def login_page(request: Request, _: Annotated[None, Depends(public)]) -> Response:
    return _login_form(request)


@router.post("/login")
async def login(
    request: Request,
    _: Annotated[None, Depends(public)],
    key: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    login_token: Annotated[str, Form()] = "",
) -> Response:
    expected = request.cookies.get(browser.LOGIN_COOKIE)
    if not expected or not secrets.compare_digest(expected, login_token):
        return _login_form(
            request, "The sign-in form expired. Please try again.", name.strip(), status=403
        )
    state: ServerState = request.app.state.ratchet
    name = name.strip()[:_NAME_LIMIT]
    principal = await run_in_threadpool(authenticate, state.store, key.strip())
    if principal is None or principal.key_id is None:
        return _login_form(request, "Unknown or revoked key.", name, status=401)
    if principal.user and name and name != principal.user:
        return _login_form(
            request,
            f"This key belongs to {principal.user}: sign in as {principal.user}, or use your"
            " own key.",
            name,
            status=401,
        )
    user = principal.user or name
    if not user:
        return _login_form(
            request,
            "Enter your name: this key does not name its user, and notes record who wrote them.",
            status=400,
        )
    secret = await run_in_threadpool(state.browser_secret)
    cookie = browser.issue(secret, principal.key_id, user, state.clock.now().timestamp())
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        browser.COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=browser.TTL_S,
    )
    response.delete_cookie(browser.LOGIN_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, _: Annotated[None, Depends(public)]) -> Response:
    await browser_principal(request, csrf=True)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(browser.COOKIE)
    return response


@router.get("/")
async def home(request: Request, _: Annotated[None, Depends(public)]) -> Response:
    found = await session_principal(request)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    principal, session = found
    state: ServerState = request.app.state.ratchet
    secret = await run_in_threadpool(state.browser_secret)
    return templates.TemplateResponse(
        request,
        "home.html",
        {
            "project": principal.project,
            "user": principal.user,
            "csrf": browser.csrf_token(secret, session),
        },
    )
