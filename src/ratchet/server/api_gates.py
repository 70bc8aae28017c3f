"""``/api/v1/gate-decisions``: release decisions posted by ``ratchet gate --server``.

The gate runs in CI against the application's repository; posting its
report here is where release records meet production's, so a later incident
can be traced to the release that let it through.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.gate.report import GateReport
from ratchet.server.auth import READ, WRITE, requires
from ratchet.server.state import ServerState
from ratchet.store.gates import list_decisions, save_decision
from ratchet.store.keys import Principal

router = APIRouter(prefix="/api/v1", tags=["gates"])


class DecisionOut(BaseModel):
    id: str
    decision: str
    change_types: list[str]
    created_at: str
    agent: str | None = None
    held: list[str] = []
    run_id: str | None = None


def _out(row: dict[str, Any]) -> DecisionOut:
    report = row["report"]
    verdicts = report.get("verdicts", []) if isinstance(report, dict) else []
    return DecisionOut(
        id=row["id"],
        decision=row["decision"],
        change_types=row["change_types"],
        created_at=from_unix_nanos(row["created_ns"]).isoformat(),
        agent=report.get("agent") if isinstance(report, dict) else None,
        held=[v["id"] for v in verdicts if v.get("held")],
        run_id=row["run_id"],
    )


@router.post(
    "/gate-decisions", status_code=201, response_model=DecisionOut, summary="Record a gate decision"
)
async def post_decision(
    request: Request,
    report: GateReport,
    principal: Annotated[Principal, Depends(requires(WRITE))],
) -> DecisionOut:
    state: ServerState = request.app.state.ratchet
    decision_id = state.store.ids.hex(8)
    created_ns = to_unix_nanos(state.clock.now())
    await run_in_threadpool(
        save_decision,
        state.store,
        principal.project_id,
        decision_id=decision_id,
        run_id=report.run_id,
        decision=report.decision,
        change_types=report.change.types,
        change_key=report.change.key,
        report=report.model_dump(mode="json"),
        created_ns=created_ns,
    )
    return DecisionOut(
        id=decision_id,
        decision=report.decision,
        change_types=report.change.types,
        created_at=from_unix_nanos(created_ns).isoformat(),
        agent=report.agent,
        held=[v.id for v in report.held],
        run_id=report.run_id,
    )


@router.get(
    "/gate-decisions",
    response_model=list[DecisionOut],
    summary="Recent gate decisions, newest first",
)
async def get_decisions(
    request: Request,
    principal: Annotated[Principal, Depends(requires(READ))],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[DecisionOut]:
    state: ServerState = request.app.state.ratchet
    rows = await run_in_threadpool(list_decisions, state.store, principal.project_id, limit)
    return [_out(row) for row in rows]
