"""The review sessions page and a session's queue: what there is to read, and in what order.

The queue is the page a reviewer returns to between traces, so it stays
cheap: two indexed reads (the session, then its items with their traces'
summaries, signals and notes) whatever the store's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ratchet.core.clock import from_unix_nanos
from ratchet.core.errors import RatchetError
from ratchet.core.ids import RandomIds
from ratchet.core.review import ReviewSession
from ratchet.review.sampling import STRATIFY_BY
from ratchet.review.sessions import MAX_SIZE, start_session
from ratchet.server.auth import public
from ratchet.server.pages.common import (
    html_errors,
    render,
    state_of,
    to_login,
    viewer,
    writer,
)
from ratchet.store import review_sessions as session_store
from ratchet.store.review_sessions import QUEUE_STATES, QueueFilter, QueueRow
from ratchet.store.store import Store

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class QueuePage:
    session: ReviewSession
    rows: list[QueueRow]
    shown: list[QueueRow]
    signals: list[str]
    surfaces: list[str]

    @property
    def next_unread(self) -> QueueRow | None:
        """Where to pick up reading: the first trace without a verdict or a note."""
        return next((r for r in self.rows if r.item.reviewed_at is None), None)


def _queue_page(store: Store, project_id: int, session_id: str, flt: QueueFilter) -> QueuePage:
    session = session_store.get_session(store, project_id, session_id)
    rows = session_store.queue(store, project_id, session_id)
    return QueuePage(
        session,
        rows,
        [r for r in rows if flt.keep(r)],
        sorted({k for r in rows for k in r.signal_kinds}),
        sorted({r.surface for r in rows if r.surface}),
    )


def _number(text: str, field: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise RatchetError(f"{field} {text[:40]!r} is not a number") from None


def _whole(text: str, field: str) -> int:
    value = _number(text, field)
    if not value.is_integer():
        raise RatchetError(f"{field} {text[:40]!r} is not a whole number of traces")
    return int(value)


@router.get("/review")
@html_errors
async def sessions_page(request: Request, _: Annotated[None, Depends(public)]) -> Response:
    reader = await viewer(request)
    if reader is None:
        return to_login()
    sessions = await run_in_threadpool(
        session_store.list_sessions, state_of(request).store, reader.project_id
    )
    return render(
        request,
        "review_sessions.html",
        reader,
        {"sessions": sessions, "stratify_by": STRATIFY_BY, "max_size": MAX_SIZE},
    )


@router.post("/review/sessions")
@html_errors
async def start_session_form(
    request: Request,
    _: Annotated[None, Depends(public)],
    size: Annotated[str, Form()] = "100",
    random_share: Annotated[str, Form()] = "0.2",
    stratify: Annotated[str, Form()] = "",
    surface: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
) -> Response:
    reader = await writer(request)
    state = state_of(request)
    session = await run_in_threadpool(
        lambda: start_session(
            state.store,
            reader.project_id,
            by=reader.user,
            clock=state.clock,
            ids=RandomIds(),
            size=_whole(size, "size"),
            random_share=_number(random_share, "random share"),
            stratify=stratify.strip() or None,
            surface=surface.strip() or None,
            name=name.strip()[:200] or None,
        )
    )
    return RedirectResponse(f"/review/sessions/{session.id}", status_code=303)


@router.get("/review/sessions/{session_id}")
@html_errors
async def queue_page(
    request: Request,
    session_id: str,
    _: Annotated[None, Depends(public)],
    signal: str = "",
    surface: str = "",
    state: str = "",
) -> Response:
    reader = await viewer(request)
    if reader is None:
        return to_login()
    flt = QueueFilter(signal.strip() or None, surface.strip() or None, state.strip() or None)
    page = await run_in_threadpool(
        _queue_page, state_of(request).store, reader.project_id, session_id, flt
    )
    return render(
        request,
        "queue.html",
        reader,
        {
            "page": page,
            "session": page.session,
            "resume": page.next_unread,
            "started": from_unix_nanos,
            "flt": flt,
            "states": QUEUE_STATES,
        },
    )
