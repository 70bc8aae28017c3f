"""``/api/v1/review-sessions`` and ``/api/v1/counts``: samples to read, and where review stands."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ratchet.core.ids import RandomIds
from ratchet.core.review import ReviewItem, ReviewSession
from ratchet.review.counts import Share
from ratchet.review.sessions import MAX_SIZE, start_session
from ratchet.review.status import review_status
from ratchet.server.auth import READ, WRITE, requires
from ratchet.server.state import ServerState
from ratchet.store import review_sessions as session_store
from ratchet.store.keys import Principal

router = APIRouter(prefix="/api/v1", tags=["review"])


class SessionIn(BaseModel):
    size: int = Field(default=100, ge=1, le=MAX_SIZE)
    random_share: float = Field(default=0.2, ge=0, le=1)
    stratify: Literal["surface", "version"] | None = None
    since: datetime | None = None
    until: datetime | None = None
    surface: str | None = None
    service: str | None = None
    name: str | None = Field(default=None, max_length=200)
    seed: int | None = None


class QueueItem(BaseModel):
    item: ReviewItem
    name: str | None
    surface: str | None
    start_ns: int | None
    error_count: int
    final_status: str | None
    signal_kinds: list[str]
    noted: bool


class SessionDetail(BaseModel):
    session: ReviewSession
    queue: list[QueueItem]


class ShareOut(BaseModel):
    count: int
    n: int
    share: float
    low: float
    high: float

    @classmethod
    def of(cls, share: Share) -> ShareOut:
        return cls(count=share.count, n=share.n, share=share.share, low=share.low, high=share.high)


class ModeCountOut(BaseModel):
    mode_id: str
    name: str
    line: str
    overall: ShareOut
    by_surface: dict[str, ShareOut]
    by_version: dict[str, ShareOut]
    by_week: dict[str, ShareOut]


class SaturationOut(BaseModel):
    saturated: bool
    line: str
    window: int
    reviewed: int
    modes: int
    points: list[tuple[int, int]]


class CountsOut(BaseModel):
    taxonomy_version: int
    reviewed: int
    modes: list[ModeCountOut]
    saturation: SaturationOut
    sessions: list[ReviewSession]


def _state(request: Request) -> ServerState:
    return request.app.state.ratchet  # type: ignore[no-any-return]


@router.post(
    "/review-sessions",
    status_code=201,
    response_model=SessionDetail,
    summary="Start a review session: signal-first, with a random share",
)
async def post_session(
    request: Request, body: SessionIn, principal: Annotated[Principal, Depends(requires(WRITE))]
) -> SessionDetail:
    state = _state(request)
    session = await run_in_threadpool(
        lambda: start_session(
            state.store,
            principal.project_id,
            by=principal.user,
            clock=state.clock,
            ids=RandomIds(),
            size=body.size,
            random_share=body.random_share,
            stratify=body.stratify,
            since=body.since,
            until=body.until,
            surface=body.surface,
            service=body.service,
            name=body.name,
            seed=body.seed,
        )
    )
    return await _detail(state, principal.project_id, session.id)


async def _detail(state: ServerState, project_id: int, session_id: str) -> SessionDetail:
    def read() -> SessionDetail:
        session = session_store.get_session(state.store, project_id, session_id)
        rows = session_store.queue(state.store, project_id, session_id)
        return SessionDetail(
            session=session,
            queue=[
                QueueItem(
                    item=r.item,
                    name=r.name,
                    surface=r.surface,
                    start_ns=r.start_ns,
                    error_count=r.error_count,
                    final_status=r.final_status,
                    signal_kinds=list(r.signal_kinds),
                    noted=r.noted,
                )
                for r in rows
            ],
        )

    return await run_in_threadpool(read)


@router.get(
    "/review-sessions", response_model=list[ReviewSession], summary="Review sessions, newest first"
)
async def list_sessions(
    request: Request,
    principal: Annotated[Principal, Depends(requires(READ))],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[ReviewSession]:
    return await run_in_threadpool(
        session_store.list_sessions, _state(request).store, principal.project_id, limit
    )


@router.get(
    "/review-sessions/{session_id}",
    response_model=SessionDetail,
    summary="A session and its queue in reading order",
)
async def get_session(
    request: Request, session_id: str, principal: Annotated[Principal, Depends(requires(READ))]
) -> SessionDetail:
    return await _detail(_state(request), principal.project_id, session_id)


@router.get(
    "/counts",
    response_model=CountsOut,
    summary="Failure-mode counts with 95% Wilson intervals, and saturation",
)
async def counts(
    request: Request,
    principal: Annotated[Principal, Depends(requires(READ))],
    window: Annotated[int, Query(ge=1, le=10_000, description="saturation window")] = 20,
) -> CountsOut:
    status = await run_in_threadpool(
        lambda: review_status(_state(request).store, principal.project_id, window=window)
    )
    sat = status.saturation
    return CountsOut(
        taxonomy_version=status.version,
        reviewed=status.counts.reviewed,
        modes=[
            ModeCountOut(
                mode_id=m.mode_id,
                name=m.name,
                line=m.line,
                overall=ShareOut.of(m.overall),
                by_surface={k: ShareOut.of(v) for k, v in m.by_surface.items()},
                by_version={k: ShareOut.of(v) for k, v in m.by_version.items()},
                by_week={k: ShareOut.of(v) for k, v in m.by_week.items()},
            )
            for m in status.counts.modes
        ],
        saturation=SaturationOut(
            saturated=sat.saturated,
            line=sat.line,
            window=sat.window,
            reviewed=sat.reviewed,
            modes=sat.modes,
            points=list(sat.points),
        ),
        sessions=status.sessions,
    )
