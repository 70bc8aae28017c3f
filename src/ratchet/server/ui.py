"""The web UI's entry: ``/`` sends a visitor without a session to ``/login``.

The review pages arrive with the review stage; for now the UI signs a person
in with an API key and shows where the API is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ratchet.server.auth import public
from ratchet.server.state import ServerState
from ratchet.store.keys import authenticate

router = APIRouter(include_in_schema=False)

SESSION_COOKIE = "ratchet_session"

_LOGIN = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Sign in · Ratchet</title><meta name="viewport" content="width=device-width">
<style>body{{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}}
input{{width:100%;padding:.5rem;font:inherit}}button{{margin-top:1rem;padding:.5rem 1rem;font:inherit}}
.err{{color:#b00020}}</style></head><body>
<h1>Ratchet</h1><p>Sign in with an API key (<code>ratchet keys create --project NAME</code>).</p>
{error}<form method="post" action="/login"><label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="off" required>
<button type="submit">Sign in</button></form></body></html>"""

_HOME = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ratchet</title></head>
<body style="font:16px system-ui,sans-serif;max-width:40rem;margin:4rem auto">
<h1>Ratchet</h1><p>Signed in to project <strong>{project}</strong>.</p>
<p>The API is described at <a href="/docs">/docs</a>.</p></body></html>"""


@router.get("/login")
async def login_page(_: Annotated[None, Depends(public)]) -> HTMLResponse:
    return HTMLResponse(_LOGIN.format(error=""))


@router.post("/login")
async def login(
    request: Request, key: Annotated[str, Form()], _: Annotated[None, Depends(public)]
) -> Response:
    state: ServerState = request.app.state.ratchet
    principal = await run_in_threadpool(authenticate, state.store, key.strip())
    if principal is None:
        error = '<p class="err" role="alert">Unknown or revoked key.</p>'
        return HTMLResponse(_LOGIN.format(error=error), status_code=401)
    response = RedirectResponse("/", status_code=303)
    # The key itself is the session for now: it is checked on every request,
    # so revoking it signs the browser out at once.
    response.set_cookie(SESSION_COOKIE, key.strip(), httponly=True, samesite="strict")
    return response


@router.get("/")
async def home(request: Request, _: Annotated[None, Depends(public)]) -> Response:
    state: ServerState = request.app.state.ratchet
    key = request.cookies.get(SESSION_COOKIE)
    principal = await run_in_threadpool(authenticate, state.store, key) if key else None
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    return HTMLResponse(_HOME.format(project=principal.project))
