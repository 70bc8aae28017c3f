"""``POST /api/v1/feedback`` and ``/api/v1/incidents``: people's word on how runs went.

Feedback may name a trace that has not arrived yet (exporters batch, feedback
is often faster): it is stored all the same and joins the trace when it comes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.concurrency import run_in_threadpool

from ratchet.core.errors import RatchetError
from ratchet.core.ids import is_trace_id
from ratchet.core.signals import (
    EXPLICIT_FEEDBACK_KINDS,
    Incident,
    IncidentSeverity,
    Signal,
    SignalKind,
)
from ratchet.server.auth import READ, WRITE, requires
from ratchet.server.state import ServerState
from ratchet.store.keys import Principal
from ratchet.store.signals_write import add_incident, add_signal, get_incident, list_incidents
from ratchet.store.traces_read import trace_exists

router = APIRouter(prefix="/api/v1", tags=["feedback"])

FEEDBACK_KINDS = sorted(k.value for k in EXPLICIT_FEEDBACK_KINDS)
SEVERITY_ALIASES = {"critical": "sev1", "high": "sev2", "medium": "sev3", "low": "sev4"}


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trace_id: str | None = None
    session_id: str | None = Field(default=None, max_length=200)
    kind: str
    comment: str | None = Field(default=None, max_length=20_000)
    corrected_output: Any = None

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in FEEDBACK_KINDS:
            raise ValueError(f"unknown kind; use one of {', '.join(FEEDBACK_KINDS)}")
        return value

    @field_validator("trace_id")
    @classmethod
    def _trace_id(cls, value: str | None) -> str | None:
        if value is not None and not is_trace_id(value):
            raise ValueError("must be 32 lowercase hex characters, as in the trace's OTLP id")
        return value

    @model_validator(mode="after")
    def _target(self) -> FeedbackIn:
        if self.trace_id is None and self.session_id is None:
            raise ValueError("give trace_id or session_id: feedback must say which run it is about")
        if self.kind == SignalKind.CORRECTION and self.corrected_output is None:
            raise ValueError("a correction needs corrected_output, the answer that was right")
        return self


class FeedbackOut(Signal):
    trace_found: bool


@router.post(
    "/feedback", status_code=201, response_model=FeedbackOut, summary="Record feedback on a run"
)
async def post_feedback(
    request: Request,
    payload: FeedbackIn,
    principal: Annotated[Principal, Depends(requires(WRITE))],
) -> FeedbackOut:
    state: ServerState = request.app.state.ratchet
    # People paste addresses and card numbers into comments too: feedback is
    # redacted with the same rules as spans before it is stored.
    redactor = await run_in_threadpool(state.pipeline.redactor, principal.project_id)
    signal = Signal(
        id="sig_" + state.store.ids.hex(12),
        kind=SignalKind(payload.kind),
        trace_id=payload.trace_id,
        session_id=payload.session_id,
        strength=0.0 if payload.kind == SignalKind.THUMBS_UP else 1.0,
        comment=redactor.redact_text(payload.comment) if payload.comment else None,
        corrected_output=redactor.redact_value(payload.corrected_output),
        created_at=state.clock.now(),
        created_by=principal.user,
    )
    await run_in_threadpool(add_signal, state.store, principal.project_id, signal)
    found = True
    if payload.trace_id:

        def _exists() -> bool:
            with state.store.read() as conn:
                return trace_exists(conn, principal.project_id, payload.trace_id or "")

        found = await run_in_threadpool(_exists)
    return FeedbackOut(**signal.model_dump(), trace_found=found)


class IncidentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
    severity: str
    title: str = Field(min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=50_000)
    trace_ids: list[str] = Field(default_factory=list, max_length=1000)
    opened_at: datetime | None = None

    @field_validator("severity")
    @classmethod
    def _severity(cls, value: str) -> str:
        value = SEVERITY_ALIASES.get(value.lower(), value.lower())
        if value not in {s.value for s in IncidentSeverity}:
            raise ValueError("use sev1..sev4 (or critical, high, medium, low)")
        return value

    @field_validator("trace_ids")
    @classmethod
    def _trace_ids(cls, value: list[str]) -> list[str]:
        bad = [t for t in value if not is_trace_id(t)]
        if bad:
            raise ValueError(f"not 32 lowercase hex characters: {', '.join(bad[:3])}")
        return value


@router.post("/incidents", status_code=201, response_model=Incident, summary="Open an incident")
async def post_incident(
    request: Request,
    payload: IncidentIn,
    principal: Annotated[Principal, Depends(requires(WRITE))],
) -> Incident:
    state: ServerState = request.app.state.ratchet
    opened = payload.opened_at or state.clock.now()
    if opened.tzinfo is None:
        raise RatchetError("opened_at needs a timezone, e.g. 2026-04-18T09:00:00Z")
    redactor = await run_in_threadpool(state.pipeline.redactor, principal.project_id)
    incident = Incident(
        id=payload.id or f"INC-{opened:%Y-%m-%d}-{state.store.ids.hex(3)}",
        severity=IncidentSeverity(payload.severity),
        title=redactor.redact_text(payload.title),
        description=redactor.redact_text(payload.description) if payload.description else None,
        trace_ids=payload.trace_ids,
        opened_at=opened,
    )
    await run_in_threadpool(
        add_incident, state.store, principal.project_id, incident, principal.user
    )
    return incident


@router.get("/incidents", response_model=list[Incident], summary="Incidents, newest first")
async def incidents_list(
    request: Request, principal: Annotated[Principal, Depends(requires(READ))]
) -> list[Incident]:
    state: ServerState = request.app.state.ratchet
    return list(await run_in_threadpool(list_incidents, state.store, principal.project_id))


@router.get("/incidents/{incident_id}", response_model=Incident, summary="One incident")
async def incident_detail(
    request: Request, incident_id: str, principal: Annotated[Principal, Depends(requires(READ))]
) -> Incident:
    state: ServerState = request.app.state.ratchet
    return await run_in_threadpool(get_incident, state.store, principal.project_id, incident_id)
