"""The web UI's entry: ``/`` sends a visitor without a session to ``/login``.

The review pages arrive with the review stage; for now the UI signs a person
in with an API key and shows where the API is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from ratchet.server.auth import public
from ratchet.server.state import ServerState
from ratchet.store.keys import authenticate

router = APIRouter(include_in_schema=False)

SESSION_COOKIE = "ratchet_session"

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


@router.get("/login")
async def login_page(request: Request, _: Annotated[None, Depends(public)]) -> Response:
    return templates.TemplateResponse(request, "login.html", {"error": None})


@router.post("/login")
async def login(
    request: Request, key: Annotated[str, Form()], _: Annotated[None, Depends(public)]
) -> Response:
    state: ServerState = request.app.state.ratchet
    principal = await run_in_threadpool(authenticate, state.store, key.strip())
    if principal is None:
        return templates.TemplateResponse(
            request, "login.html", {"error": "Unknown or revoked key."}, status_code=401
        )
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
    return templates.TemplateResponse(request, "home.html", {"project": principal.project})
