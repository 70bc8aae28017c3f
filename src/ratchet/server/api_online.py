"""``/api/v1/online-rules``: which production traces the fixtures' checks watch, and how."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ratchet.core.clock import to_unix_nanos
from ratchet.review.online import parse_rule
from ratchet.server.auth import READ, WRITE, requires
from ratchet.server.state import ServerState
from ratchet.store.jobs import OnlineRule, delete_rule, list_rules, save_rule
from ratchet.store.keys import Principal

router = APIRouter(prefix="/api/v1", tags=["online checks"])


class RuleIn(BaseModel):
    filter: dict[str, str] = Field(
        default_factory=dict, description="surface, service, name (a glob), final_status"
    )
    expect: dict[str, Any] = Field(description="Checks, written as under a fixture's expect:")
    sample_rate: float = 1.0
    enabled: bool = True


class RuleOut(RuleIn):
    id: str
    created_by: str | None = None


def _state(request: Request) -> ServerState:
    return request.app.state.ratchet  # type: ignore[no-any-return]


def _out(rule: OnlineRule) -> RuleOut:
    return RuleOut(
        id=rule.id,
        filter=rule.filter,
        expect=rule.expect,
        sample_rate=rule.sample_rate,
        enabled=rule.enabled,
        created_by=rule.created_by,
    )


@router.get("/online-rules", response_model=list[RuleOut], summary="Online check rules")
async def rules(
    request: Request, principal: Annotated[Principal, Depends(requires(READ))]
) -> list[RuleOut]:
    found = await run_in_threadpool(list_rules, _state(request).store, principal.project_id)
    return [_out(r) for r in found]


@router.put(
    "/online-rules/{rule_id}", response_model=RuleOut, summary="Create or replace an online check"
)
async def put_rule(
    request: Request,
    rule_id: str,
    body: RuleIn,
    principal: Annotated[Principal, Depends(requires(WRITE))],
) -> RuleOut:
    state = _state(request)
    parse_rule(rule_id, body.filter, body.expect, body.sample_rate, body.enabled)  # refuses bad
    rule = OnlineRule(
        id=rule_id,
        filter=body.filter,
        expect=body.expect,
        sample_rate=body.sample_rate,
        enabled=body.enabled,
        created_ns=to_unix_nanos(state.clock.now()),
        created_by=principal.user,
    )
    await run_in_threadpool(save_rule, state.store, principal.project_id, rule)
    return _out(rule)


@router.delete("/online-rules/{rule_id}", status_code=204, summary="Remove an online check")
async def remove_rule(
    request: Request, rule_id: str, principal: Annotated[Principal, Depends(requires(WRITE))]
) -> Response:
    await run_in_threadpool(delete_rule, _state(request).store, principal.project_id, rule_id)
    return Response(status_code=204)
