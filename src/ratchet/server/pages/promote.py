"""The promote editor: a fixture drafted from the trace, checked as one types, saved on the server.

The editor is a plain form (saving works without scripts and shows every
problem with its field and line); the page's script only adds the live
check, a debounced call to ``POST /api/v1/promotions/check`` that stores
nothing. A saved fixture waits on the server until ``ratchet fixtures
pull`` writes it into the repository's suite folder. Saving under an id
someone else promoted (or from another trace) is refused with the editor
kept as typed, naming who holds the id; a ``replace`` form field confirms.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ratchet.fixtures.parse import locate
from ratchet.fixtures.problems import Problem
from ratchet.review import promote
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
from ratchet.server.pages.trace_data import check_trace_id
from ratchet.store import notes as note_store
from ratchet.store.promotions import Promotion, PromotionTaken

router = APIRouter(include_in_schema=False)

#: What a form's ``replace`` field says when the reviewer confirmed replacing.
_YES = frozenset({"1", "on", "true", "yes"})


def _taken(body: str, existing: Promotion) -> Problem:
    """The refusal to replace someone's promotion, shown like any problem with the text."""
    who = existing.created_by or "an unnamed key"
    source = f"trace {existing.trace_id}" if existing.trace_id else "no trace"
    where = locate(body.encode(), ("id",))
    return Problem(
        "fixture.yaml",
        "id",
        f"{existing.fixture_id!r} is already promoted by {who} from {source};"
        " saving would replace their fixture",
        "change `id:` to keep both, or have it deleted on the server first",
        where[0] if where else None,
    )


def _editor(
    request: Request,
    reader: Viewer,
    trace_id: str,
    *,
    body: str,
    note_id: str | None,
    mode_id: str | None,
    problems: list[Problem] | None = None,
    saved: Promotion | None = None,
    conflict: Promotion | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "promote.html",
        reader,
        {
            "trace_id": trace_id,
            "body": body,
            "note_id": note_id,
            "mode_id": mode_id,
            "problems": problems or [],
            "saved": saved,
            # The promotion this one would replace; a form may offer "replace theirs" with it.
            "conflict": conflict,
        },
        status=status,
    )


@router.get("/promote/{trace_id}")
@html_errors
async def promote_page(
    request: Request,
    trace_id: str,
    _: Annotated[None, Depends(public)],
    note: Annotated[str | None, Query()] = None,
) -> Response:
    reader = await viewer(request)
    if reader is None:
        return to_login()
    check_trace_id(trace_id)
    state = state_of(request)
    note_id = note or None

    def draft() -> tuple[str, str | None]:
        text = promote.draft_text(
            state.store,
            reader.project_id,
            trace_id,
            today=state.clock.now().date(),
            note_id=note_id,
        )
        found = note_store.get_note(state.store, reader.project_id, note_id) if note_id else None
        return text, found.mode_ids[0] if found and found.mode_ids else None

    body, mode_id = await run_in_threadpool(draft)
    return _editor(request, reader, trace_id, body=body, note_id=note_id, mode_id=mode_id)


@router.post("/promote/{trace_id}")
@html_errors
async def save_promotion(
    request: Request,
    trace_id: str,
    _: Annotated[None, Depends(public)],
    body: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "",
    replace: Annotated[str, Form()] = "",
) -> Response:
    reader = await writer(request)
    check_trace_id(trace_id)
    state = state_of(request)
    note_id, mode_id = note.strip() or None, mode.strip() or None
    try:
        saved, _created = await run_in_threadpool(
            lambda: promote.save(
                state.store,
                reader.project_id,
                body,
                by=reader.user,
                clock=state.clock,
                trace_id=trace_id,
                note_id=note_id,
                mode_id=mode_id,
                replace=replace.strip().lower() in _YES,
            )
        )
    except PromotionTaken as exc:
        return _editor(
            request,
            reader,
            trace_id,
            body=body,
            note_id=note_id,
            mode_id=mode_id,
            problems=[_taken(body, exc.existing)],
            conflict=exc.existing,
            status=409,
        )
    except promote.PromotionInvalid as exc:
        return _editor(
            request,
            reader,
            trace_id,
            body=body,
            note_id=note_id,
            mode_id=mode_id,
            problems=exc.problems,
            status=422,
        )
    return _editor(
        request, reader, trace_id, body=saved.body, note_id=note_id, mode_id=mode_id, saved=saved
    )
