"""The trace view: read one trace, write what went wrong, judge it, code the note.

Writing a note is a plain form post (it works without scripts, and the
page comes back with the note listed and its suggested modes); pass/fail,
pinning the first upstream error and coding are small calls to the REST
API made by the page's script with the session's CSRF token.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ratchet.core.errors import RatchetError
from ratchet.core.ids import RandomIds
from ratchet.review.notes import write_note
from ratchet.server.auth import public
from ratchet.server.pages.common import (
    Viewer,
    html_errors,
    render,
    state_of,
    to_login,
    viewer,
    writer,
)
from ratchet.server.pages.span_tree import trace_duration_ms
from ratchet.server.pages.trace_data import check_trace_id, load_trace_view

router = APIRouter(include_in_schema=False)


def trace_url(trace_id: str, session_id: str | None) -> str:
    return f"/traces/{trace_id}" + (f"?session={quote(session_id)}" if session_id else "")


async def _render(
    request: Request,
    reader: Viewer,
    trace_id: str,
    session_id: str | None,
    *,
    note_error: str | None = None,
    note_text: str = "",
    status: int = 200,
) -> Response:
    view = await run_in_threadpool(
        load_trace_view, state_of(request).store, reader.project_id, trace_id, session_id
    )
    place = view.place
    return render(
        request,
        "trace.html",
        reader,
        {
            "view": view,
            "trace": view.trace,
            "place": place,
            "session_id": place.session.id if place else None,
            "duration_ms": trace_duration_ms(view.trace),
            "next_url": trace_url(place.next, place.session.id) if place and place.next else None,
            "previous_url": (
                trace_url(place.previous, place.session.id) if place and place.previous else None
            ),
            "note_error": note_error,
            "note_text": note_text,
        },
        status=status,
    )


@router.get("/traces/{trace_id}")
@html_errors
async def trace_page(
    request: Request,
    trace_id: str,
    _: Annotated[None, Depends(public)],
    session: Annotated[str | None, Query()] = None,
) -> Response:
    reader = await viewer(request)
    if reader is None:
        return to_login()
    return await _render(request, reader, trace_id, session or None)


@router.post("/traces/{trace_id}/notes")
@html_errors
async def note_form(
    request: Request,
    trace_id: str,
    _: Annotated[None, Depends(public)],
    text: Annotated[str, Form()] = "",
    session: Annotated[str, Form()] = "",
    first_error_span_id: Annotated[str, Form()] = "",
) -> Response:
    reader = await writer(request)
    check_trace_id(trace_id)
    state = state_of(request)
    session_id = session.strip() or None
    try:
        await run_in_threadpool(
            lambda: write_note(
                state.store,
                reader.project_id,
                trace_id,
                text,
                by=reader.user,
                clock=state.clock,
                ids=RandomIds(),
                session_id=session_id,
                first_error_span_id=first_error_span_id.strip() or None,
            )
        )
    except RatchetError as exc:
        if exc.status != 400:
            raise
        # Keep what was typed: the reviewer fixes the note instead of retyping it.
        return await _render(
            request,
            reader,
            trace_id,
            session_id,
            note_error=exc.message,
            note_text=text,
            status=400,
        )
    return RedirectResponse(trace_url(trace_id, session_id) + "#notes", 303)
