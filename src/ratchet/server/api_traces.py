"""``/api/v1/traces``: the trace list (filters, cursor paging) and one trace with its spans."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ratchet.core.errors import RatchetError
from ratchet.core.ids import is_trace_id
from ratchet.core.signals import Signal
from ratchet.core.traces import Trace
from ratchet.server.auth import READ, requires
from ratchet.server.state import ServerState
from ratchet.store.keys import Principal
from ratchet.store.signals_write import signals_for_trace
from ratchet.store.traces_read import TraceFilter, get_trace, list_traces

router = APIRouter(prefix="/api/v1", tags=["traces"])


class TraceList(BaseModel):
    traces: list[dict[str, Any]]
    next_cursor: str | None


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.ratchet
    return state


def check_trace_id(trace_id: str) -> str:
    if not is_trace_id(trace_id):
        raise RatchetError(
            # The bad value is not echoed: a pasted value may be anything, secrets included.
            "trace_id is not 32 lowercase hex characters (e.g. '4bf92f3577b34da6a3ce929d0e0e4736')"
        )
    return trace_id


@router.get("/traces", response_model=TraceList, summary="List traces, newest first")
async def traces_list(
    request: Request,
    principal: Annotated[Principal, Depends(requires(READ))],
    since: Annotated[
        datetime | None, Query(description="ISO 8601; traces that started at or after")
    ] = None,
    until: Annotated[
        datetime | None, Query(description="ISO 8601; traces that started before")
    ] = None,
    service: Annotated[str | None, Query(description="service.name of the app")] = None,
    status: Annotated[str | None, Query(description="'error' (a span failed) or 'ok'")] = None,
    final_status: Annotated[str | None, Query(description="the root span's final status")] = None,
    session_id: Annotated[str | None, Query()] = None,
    has_signal: Annotated[
        bool | None, Query(description="only traces with (or without) feedback or signals")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> dict[str, Any]:
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise RatchetError(f"{name} needs a timezone, e.g. 2026-04-18T09:00:00Z")
    flt = TraceFilter(
        since=since,
        until=until,
        service=service,
        status=status,
        final_status=final_status,
        session_id=session_id,
        has_signal=has_signal,
    )
    page = await run_in_threadpool(
        list_traces, _state(request).store, principal.project_id, flt, limit=limit, cursor=cursor
    )
    return {
        "traces": [t.model_dump(mode="json", exclude={"spans"}) for t in page.traces],
        "next_cursor": page.next_cursor,
    }


@router.get("/traces/{trace_id}", response_model=Trace, summary="One trace with all its spans")
async def trace_detail(
    request: Request,
    trace_id: str,
    principal: Annotated[Principal, Depends(requires(READ))],
) -> Trace:
    check_trace_id(trace_id)
    return await run_in_threadpool(get_trace, _state(request).store, principal.project_id, trace_id)


@router.get(
    "/traces/{trace_id}/signals",
    response_model=list[Signal],
    summary="Feedback and signals about one trace (posted on it or its session)",
)
async def trace_signals(
    request: Request,
    trace_id: str,
    principal: Annotated[Principal, Depends(requires(READ))],
) -> list[Signal]:
    check_trace_id(trace_id)
    store = _state(request).store
    trace = await run_in_threadpool(get_trace, store, principal.project_id, trace_id)
    return await run_in_threadpool(
        signals_for_trace, store, principal.project_id, trace_id, trace.session_id
    )
