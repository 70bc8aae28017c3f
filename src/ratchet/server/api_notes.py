"""``/api/v1/notes`` and ``/api/v1/promotions``: what reviewers write, and what they promote.

Who wrote a note or promoted a fixture is the caller: the key's user, or
the name signed in with in the browser. The project always comes from the
key, so a note on another project's trace is refused as an unknown trace.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.core.errors import RatchetError
from ratchet.core.ids import RandomIds
from ratchet.core.review import Note, ReviewItem, Verdict
from ratchet.review import notes as reviewing
from ratchet.review import promote
from ratchet.server.auth import READ, WRITE, requires
from ratchet.server.state import ServerState
from ratchet.store import notes as note_store
from ratchet.store import promotions as promotion_store
from ratchet.store.keys import Principal

router = APIRouter(prefix="/api/v1", tags=["review"])


class NoteIn(BaseModel):
    trace_id: str = Field(min_length=1, max_length=32)
    text: str
    session_id: str | None = None
    first_error_span_id: str | None = Field(default=None, max_length=16)


class NotePatch(BaseModel):
    text: str | None = None
    first_error_span_id: str | None = Field(default=None, max_length=16)
    clear_first_error: bool = False


class VerdictIn(BaseModel):
    verdict: Verdict | None


class PromotionIn(BaseModel):
    body: str = Field(description="The fixture file's text (YAML or JSON)")
    # The store's column widths: a longer value names nothing and must not reach the database.
    trace_id: str | None = Field(default=None, max_length=32)
    note_id: str | None = Field(default=None, max_length=40)
    mode_id: str | None = Field(default=None, max_length=40)
    replace: bool = Field(
        default=False,
        description="Replace a promotion of the same id made by someone else or from another"
        " trace (without it that is refused with 409)",
    )


class PromotionOut(BaseModel):
    fixture_id: str
    owner: str
    severity: str
    body: str
    trace_id: str | None
    note_id: str | None
    mode_id: str | None
    created_at: str
    updated_at: str
    created_by: str | None


class ProblemOut(BaseModel):
    field: str
    message: str
    hint: str
    line: int | None


class CheckOut(BaseModel):
    valid: bool
    fixture_id: str | None
    problems: list[ProblemOut]


def _state(request: Request) -> ServerState:
    return request.app.state.ratchet  # type: ignore[no-any-return]


def _promotion_out(p: promotion_store.Promotion) -> PromotionOut:
    return PromotionOut(
        fixture_id=p.fixture_id,
        owner=p.owner,
        severity=p.severity,
        body=p.body,
        trace_id=p.trace_id,
        note_id=p.note_id,
        mode_id=p.mode_id,
        created_at=from_unix_nanos(p.created_ns).isoformat(),
        updated_at=from_unix_nanos(p.updated_ns).isoformat(),
        created_by=p.created_by,
    )


@router.post("/notes", status_code=201, response_model=Note, summary="Write a note on a trace")
async def post_note(
    request: Request, body: NoteIn, principal: Annotated[Principal, Depends(requires(WRITE))]
) -> Note:
    state = _state(request)
    return await run_in_threadpool(
        reviewing.write_note,
        state.store,
        principal.project_id,
        body.trace_id,
        body.text,
        by=principal.user,
        clock=state.clock,
        ids=RandomIds(),
        session_id=body.session_id,
        first_error_span_id=body.first_error_span_id,
    )


@router.patch("/notes/{note_id}", response_model=Note, summary="Edit a note or its pinned span")
async def patch_note(
    request: Request,
    note_id: str,
    body: NotePatch,
    principal: Annotated[Principal, Depends(requires(WRITE))],
) -> Note:
    state = _state(request)
    return await run_in_threadpool(
        lambda: reviewing.edit_note(
            state.store,
            principal.project_id,
            note_id,
            clock=state.clock,
            text=body.text,
            first_error_span_id=body.first_error_span_id,
            clear_first_error=body.clear_first_error,
        )
    )


@router.get("/notes/{note_id}", response_model=Note, summary="One note with its codes")
async def get_note(
    request: Request, note_id: str, principal: Annotated[Principal, Depends(requires(READ))]
) -> Note:
    return await run_in_threadpool(
        note_store.get_note, _state(request).store, principal.project_id, note_id
    )


@router.get("/traces/{trace_id}/notes", response_model=list[Note], summary="A trace's notes")
async def trace_notes(
    request: Request, trace_id: str, principal: Annotated[Principal, Depends(requires(READ))]
) -> list[Note]:
    return await run_in_threadpool(
        note_store.notes_for_trace, _state(request).store, principal.project_id, trace_id
    )


@router.put(
    "/review-sessions/{session_id}/items/{trace_id}",
    response_model=ReviewItem,
    summary="Pass or fail a trace of a review session (null clears it)",
)
async def put_verdict(
    request: Request,
    session_id: str,
    trace_id: str,
    body: VerdictIn,
    principal: Annotated[Principal, Depends(requires(WRITE))],
) -> ReviewItem:
    state = _state(request)
    return await run_in_threadpool(
        lambda: reviewing.judge(
            state.store,
            principal.project_id,
            session_id,
            trace_id,
            body.verdict,
            by=principal.user,
            clock=state.clock,
        )
    )


@router.get(
    "/traces/{trace_id}/promotion-draft",
    summary="The fixture drafted from a trace, for the promote editor",
)
async def promotion_draft(
    request: Request,
    trace_id: str,
    principal: Annotated[Principal, Depends(requires(READ))],
    note_id: Annotated[str | None, Query()] = None,
    mode_id: Annotated[str | None, Query()] = None,
    owner: Annotated[str | None, Query()] = None,
) -> dict[str, str]:
    state = _state(request)
    text = await run_in_threadpool(
        lambda: promote.draft_text(
            state.store,
            principal.project_id,
            trace_id,
            today=state.clock.now().date(),
            note_id=note_id,
            mode_id=mode_id,
            owner=owner,
        )
    )
    return {"body": text}


@router.post(
    "/promotions/check", response_model=CheckOut, summary="Validate a fixture's text, store nothing"
)
async def check_promotion(
    body: PromotionIn, _: Annotated[Principal, Depends(requires(READ))]
) -> CheckOut:
    fixture, problems = promote.check_text(body.body)
    return CheckOut(
        valid=fixture is not None,
        fixture_id=fixture.id if fixture else None,
        problems=[
            ProblemOut(field=p.field, message=p.message, hint=p.hint, line=p.line) for p in problems
        ],
    )


@router.post(
    "/promotions", status_code=201, response_model=PromotionOut, summary="Promote a fixture"
)
async def post_promotion(
    request: Request, body: PromotionIn, principal: Annotated[Principal, Depends(requires(WRITE))]
) -> PromotionOut:
    state = _state(request)
    stored, _ = await run_in_threadpool(
        lambda: promote.save(
            state.store,
            principal.project_id,
            body.body,
            by=principal.user,
            clock=state.clock,
            trace_id=body.trace_id,
            note_id=body.note_id,
            mode_id=body.mode_id,
            replace=body.replace,
        )
    )
    return _promotion_out(stored)


@router.get(
    "/promotions",
    response_model=list[PromotionOut],
    summary="Promoted fixtures, oldest change first",
)
async def list_promotions(
    request: Request,
    principal: Annotated[Principal, Depends(requires(READ))],
    since: Annotated[str | None, Query(description="ISO time: only those changed after")] = None,
) -> list[PromotionOut]:
    since_ns = None
    if since:
        try:
            since_ns = to_unix_nanos(datetime.fromisoformat(since))
        except ValueError:
            raise RatchetError(
                f"since={since!r} is not an ISO time such as 2026-11-20T09:00:00+00:00"
            ) from None
    rows = await run_in_threadpool(
        promotion_store.list_promotions, _state(request).store, principal.project_id, since_ns
    )
    return [_promotion_out(p) for p in rows]


@router.get("/promotions/{fixture_id}", response_model=PromotionOut, summary="One promoted fixture")
async def get_promotion(
    request: Request, fixture_id: str, principal: Annotated[Principal, Depends(requires(READ))]
) -> PromotionOut:
    found = await run_in_threadpool(
        promotion_store.get_promotion, _state(request).store, principal.project_id, fixture_id
    )
    return _promotion_out(found)


@router.delete(
    "/promotions/{fixture_id}",
    status_code=204,
    summary="Withdraw a promoted fixture (to rename it: delete, then promote again)",
)
async def delete_promotion(
    request: Request, fixture_id: str, principal: Annotated[Principal, Depends(requires(WRITE))]
) -> Response:
    await run_in_threadpool(promote.delete, _state(request).store, principal.project_id, fixture_id)
    return Response(status_code=204)
