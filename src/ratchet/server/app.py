"""The FastAPI application: OTLP in, REST API, health, and the web UI's entry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

import ratchet
from ratchet.capture.pipeline import IngestPipeline
from ratchet.core.clock import Clock, SystemClock
from ratchet.core.errors import RatchetError
from ratchet.server import (
    api_feedback,
    api_gates,
    api_notes,
    api_online,
    api_review,
    api_taxonomy,
    api_traces,
    otlp_route,
    pages,
    ui,
)
from ratchet.server.auth import public
from ratchet.server.errors import (
    http_error_handler,
    ratchet_error_handler,
    unexpected_error_handler,
    validation_error_handler,
)
from ratchet.server.headers import PageHeaders
from ratchet.server.state import ServerState
from ratchet.server.watcher import watching
from ratchet.store.store import Store
from ratchet.store.writer import BatchWriter


def create_app(
    store: Store,
    *,
    clock: Clock | None = None,
    max_pending_spans: int = 50_000,
    migrate: bool = True,
    watch_every_s: float | None = None,
) -> FastAPI:
    """Build the app over an open store; the schema is migrated at start-up.

    With ``watch_every_s``, signal detection and online checks run in the
    background at that interval (``ratchet serve`` turns it on).
    """
    clock = clock or store.clock or SystemClock()
    writer = BatchWriter(store, max_pending_spans=max_pending_spans)
    state = ServerState(
        store=store, pipeline=IngestPipeline(store, clock=clock), writer=writer, clock=clock
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            store.upgrade()
        writer.start()
        try:
            async with watching(state, watch_every_s):
                yield
        finally:
            writer.close()

    app = FastAPI(
        title="Ratchet",
        version=ratchet.__version__,
        summary="Production traces in; owned regression fixtures and release gates out.",
        lifespan=lifespan,
    )
    app.state.ratchet = state
    app.add_middleware(PageHeaders)
    app.add_exception_handler(RatchetError, ratchet_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
    app.include_router(otlp_route.router)
    app.include_router(api_traces.router)
    app.include_router(api_feedback.router)
    app.include_router(api_gates.router)
    app.include_router(api_notes.router)
    app.include_router(api_review.router)
    app.include_router(api_taxonomy.router)
    app.include_router(api_online.router)
    app.include_router(ui.router)
    app.include_router(pages.router)

    @app.get("/healthz", tags=["health"], summary="Liveness; needs no key")
    async def healthz(_: Annotated[None, Depends(public)]) -> dict[str, str]:
        return {"status": "ok", "version": ratchet.__version__}

    return app
