"""``/api/v1/failure-modes``, ``/api/v1/taxonomy/operations``, codes and suggestions.

Every change names the taxonomy version the caller saw (``taxonomy_version``):
a change made from a stale page is refused (409) rather than applied to a
taxonomy the person never looked at.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ratchet.core.ids import RandomIds
from ratchet.core.review import FailureMode, Note, TaxonomyOp
from ratchet.review import coding
from ratchet.review import taxonomy as tx
from ratchet.server.auth import READ, WRITE, requires
from ratchet.server.state import ServerState
from ratchet.store.keys import Principal
from ratchet.store.taxonomy import taxonomy_log

router = APIRouter(prefix="/api/v1", tags=["taxonomy"])

_Version = Annotated[int, Field(ge=0, description="The taxonomy version the change was made on")]


class _Op(BaseModel):
    taxonomy_version: _Version
    why: str = Field(default="", max_length=2000)


class AddIn(_Op):
    op: Literal["add"]
    name: str = Field(max_length=200)
    definition: str = Field(default="", max_length=4000)
    examples: list[str] = Field(default_factory=list, max_length=20)


class RenameIn(_Op):
    op: Literal["rename"]
    mode_id: str
    new_name: str = Field(max_length=200)


class EditIn(_Op):
    op: Literal["edit"]
    mode_id: str
    definition: str | None = Field(default=None, max_length=4000)
    examples: list[str] | None = Field(default=None, max_length=20)


class MergeIn(_Op):
    op: Literal["merge"]
    source_ids: list[str] = Field(min_length=1)
    into_id: str


class PartIn(BaseModel):
    name: str = Field(max_length=200)
    definition: str = Field(default="", max_length=4000)


class SplitIn(_Op):
    op: Literal["split"]
    mode_id: str
    parts: list[PartIn] = Field(min_length=2)
    assignment: dict[str, list[int]] = Field(
        default_factory=dict, description="note id → indexes of the parts it belongs to"
    )


class RetireIn(_Op):
    op: Literal["retire"]
    mode_id: str


OperationIn = Annotated[
    AddIn | RenameIn | EditIn | MergeIn | SplitIn | RetireIn, Field(discriminator="op")
]


class ModeOut(BaseModel):
    mode: FailureMode
    notes: int


class TaxonomyOut(BaseModel):
    version: int
    modes: list[ModeOut]


class AppliedOut(BaseModel):
    version: int
    op: TaxonomyOp
    modes: list[FailureMode]


class CodesIn(BaseModel):
    mode_ids: list[str]
    taxonomy_version: _Version
    suggested: list[str] = Field(default_factory=list, description="the accepted suggestions")


class SuggestionOut(BaseModel):
    mode_id: str
    name: str
    score: float
    note_id: str | None
    reason: str


class TextIn(BaseModel):
    text: str = Field(max_length=10_000)


def _state(request: Request) -> ServerState:
    return request.app.state.ratchet  # type: ignore[no-any-return]


def _request(body: AddIn | RenameIn | EditIn | MergeIn | SplitIn | RetireIn) -> tx.Request:
    match body:
        case AddIn():
            return tx.Add(body.name, body.definition, tuple(body.examples))
        case RenameIn():
            return tx.Rename(body.mode_id, body.new_name)
        case EditIn():
            examples = tuple(body.examples) if body.examples is not None else None
            return tx.Edit(body.mode_id, body.definition, examples)
        case MergeIn():
            return tx.Merge(tuple(body.source_ids), body.into_id)
        case SplitIn():
            return tx.Split(
                body.mode_id,
                tuple((p.name, p.definition) for p in body.parts),
                {k: tuple(v) for k, v in body.assignment.items()},
            )
        case RetireIn():
            return tx.Retire(body.mode_id)


@router.get("/failure-modes", response_model=TaxonomyOut, summary="The taxonomy as it stands")
async def failure_modes(
    request: Request, principal: Annotated[Principal, Depends(requires(READ))]
) -> TaxonomyOut:
    state = await run_in_threadpool(
        coding.current_state, _state(request).store, principal.project_id
    )
    counts = tx.note_counts(state)
    ordered = sorted(state.modes.values(), key=lambda m: (not m.active, m.added_in, m.name))
    return TaxonomyOut(
        version=state.version, modes=[ModeOut(mode=m, notes=counts.get(m.id, 0)) for m in ordered]
    )


@router.post(
    "/taxonomy/operations",
    status_code=201,
    response_model=AppliedOut,
    summary="Change the taxonomy: add, rename, edit, merge, split or retire a failure mode",
)
async def post_operation(
    request: Request,
    body: OperationIn,
    principal: Annotated[Principal, Depends(requires(WRITE))],
) -> AppliedOut:
    state = _state(request)
    applied = await run_in_threadpool(
        lambda: coding.change_taxonomy(
            state.store,
            principal.project_id,
            _request(body),
            expected_version=body.taxonomy_version,
            by=principal.user,
            why=body.why,
            clock=state.clock,
            ids=RandomIds(),
        )
    )
    return AppliedOut(version=applied.op.version, op=applied.op, modes=list(applied.modes))


@router.get(
    "/taxonomy/operations", response_model=list[TaxonomyOp], summary="Every change, oldest first"
)
async def operations(
    request: Request, principal: Annotated[Principal, Depends(requires(READ))]
) -> list[TaxonomyOp]:
    return await run_in_threadpool(taxonomy_log, _state(request).store, principal.project_id)


@router.put("/notes/{note_id}/codes", response_model=Note, summary="Code a note into failure modes")
async def put_codes(
    request: Request,
    note_id: str,
    body: CodesIn,
    principal: Annotated[Principal, Depends(requires(WRITE))],
) -> Note:
    state = _state(request)
    return await run_in_threadpool(
        lambda: coding.code(
            state.store,
            principal.project_id,
            note_id,
            body.mode_ids,
            expected_version=body.taxonomy_version,
            by=principal.user,
            clock=state.clock,
            suggested=body.suggested,
        )
    )


def _suggestions(found: list[coding.Suggestion]) -> list[SuggestionOut]:
    return [
        SuggestionOut(
            mode_id=s.mode_id, name=s.name, score=s.score, note_id=s.note_id, reason=s.reason
        )
        for s in found
    ]


@router.get(
    "/notes/{note_id}/suggestions",
    response_model=list[SuggestionOut],
    summary="Failure modes this note likely belongs to, from similar coded notes",
)
async def note_suggestions(
    request: Request, note_id: str, principal: Annotated[Principal, Depends(requires(READ))]
) -> list[SuggestionOut]:
    found = await run_in_threadpool(
        lambda: coding.suggest_for(_state(request).store, principal.project_id, note_id=note_id)
    )
    return _suggestions(found)


@router.post(
    "/suggestions",
    response_model=list[SuggestionOut],
    summary="Failure modes for text being typed (nothing is stored)",
)
async def text_suggestions(
    request: Request, body: TextIn, principal: Annotated[Principal, Depends(requires(READ))]
) -> list[SuggestionOut]:
    found = await run_in_threadpool(
        lambda: coding.suggest_for(_state(request).store, principal.project_id, text=body.text)
    )
    return _suggestions(found)
