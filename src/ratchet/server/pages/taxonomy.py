"""The taxonomy page: the failure modes, the forms that change them, and the log of changes.

Every form carries the taxonomy version the page was rendered at; the
service refuses a change made from a page that has gone stale (someone
else changed the taxonomy since), and the page comes back showing the
taxonomy as it is now with the reason, so nobody merges into a mode that
was retired a minute ago.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ratchet.core.errors import RatchetError
from ratchet.core.ids import RandomIds
from ratchet.core.review import FailureMode, Note, TaxonomyOp
from ratchet.review.coding import change_taxonomy, current_state
from ratchet.review.taxonomy import Add, Edit, Merge, Rename, Retire, Split
from ratchet.review.taxonomy import Request as Change
from ratchet.review.taxonomy_history import TaxonomyState
from ratchet.review.taxonomy_text import describe
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
from ratchet.store import notes as note_store
from ratchet.store.store import Store
from ratchet.store.taxonomy import taxonomy_log

router = APIRouter(include_in_schema=False)

OPERATIONS = ("add", "rename", "edit", "merge", "split", "retire")
MAX_PARTS = 8


@dataclass(frozen=True)
class TaxonomyPage:
    state: TaxonomyState
    log: list[TaxonomyOp]
    counts: dict[str, int]

    @property
    def active(self) -> list[FailureMode]:
        return self.state.active_modes()

    @property
    def ended(self) -> list[FailureMode]:
        return sorted(
            (m for m in self.state.modes.values() if not m.active),
            key=lambda m: (-(m.ended_in or 0), m.name.casefold()),
        )

    def name(self, mode_id: str) -> str:
        mode = self.state.modes.get(mode_id)
        return mode.name if mode else mode_id


def _page(store: Store, project_id: int) -> TaxonomyPage:
    state = current_state(store, project_id)
    counts: dict[str, int] = {}
    for codes in state.codes.values():
        for mode_id in codes:
            counts[mode_id] = counts.get(mode_id, 0) + 1
    return TaxonomyPage(state=state, log=taxonomy_log(store, project_id)[::-1], counts=counts)


async def _show(
    request: Request,
    reader: Viewer,
    *,
    error: str | None = None,
    changed: int | None = None,
    status: int = 200,
) -> Response:
    page = await run_in_threadpool(_page, state_of(request).store, reader.project_id)
    return render(
        request,
        "taxonomy.html",
        reader,
        {"page": page, "describe": describe, "error": error, "changed": changed},
        status=status,
    )


@router.get("/taxonomy")
@html_errors
async def taxonomy_page(
    request: Request,
    _: Annotated[None, Depends(public)],
    changed: Annotated[int | None, Query()] = None,
) -> Response:
    reader = await viewer(request)
    if reader is None:
        return to_login()
    return await _show(request, reader, changed=changed)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _split(form: FormData, mode_id: str) -> Split:
    parts: list[tuple[str, str]] = []
    row_to_part: dict[int, int] = {}  # rows left empty are skipped, so the numbers shift
    for row in range(MAX_PARTS):
        name = _field(form, f"part_name_{row}")
        if name:
            row_to_part[row] = len(parts)
            parts.append((name, _field(form, f"part_definition_{row}")))
        elif _field(form, f"part_definition_{row}"):
            raise RatchetError(f"part {row + 1} of the split has a definition but no name")
    assignment: dict[str, list[int]] = {}
    for key, value in form.multi_items():
        if not (key.startswith("assign_") and isinstance(value, str)):
            continue
        note_id = key.removeprefix("assign_")
        row = _whole(value, f"the part of note {note_id[:40]}")
        if row not in row_to_part:
            raise RatchetError(f"note {note_id} is put in part {row + 1}, which has no name")
        assignment.setdefault(note_id, []).append(row_to_part[row])
    return Split(mode_id=mode_id, parts=parts, assignment=assignment)


def change_from_form(operation: str, form: FormData) -> Change:
    """The taxonomy operation a page form asks for."""
    mode_id = _field(form, "mode_id")
    if operation == "add":
        return Add(
            name=_field(form, "name"),
            definition=_field(form, "definition"),
            examples=_lines(_field(form, "examples")),
        )
    if operation == "rename":
        return Rename(mode_id=mode_id, new_name=_field(form, "name"))
    if operation == "edit":
        return Edit(
            mode_id=mode_id,
            definition=_field(form, "definition"),
            examples=_lines(_field(form, "examples")),
        )
    if operation == "merge":
        return Merge(source_ids=[mode_id], into_id=_field(form, "into"))
    if operation == "split":
        return _split(form, mode_id)
    if operation == "retire":
        return Retire(mode_id=mode_id)
    raise RatchetError(f"no taxonomy operation {operation!r}: use one of {', '.join(OPERATIONS)}")


def _whole(text: str, what: str) -> int:
    """A whole number from a form or an address, or a clear 400 naming ``what``.

    ``str.isdigit`` is not the test: ``'²'`` is a digit to it, and ``int`` refuses it.
    """
    try:
        value = int(text.strip())
    except ValueError:
        raise RatchetError(
            f"{what} is {text[:20]!r}, not a whole number: reload the page"
        ) from None
    if value < 0:
        raise RatchetError(f"{what} is {value}, below 0: reload the page")
    return value


def _version(form: FormData) -> int:
    if not _field(form, "version"):
        raise RatchetError("the form does not say which taxonomy version it was made from: reload")
    return _whole(_field(form, "version"), "the taxonomy version the form was made from")


@router.post("/taxonomy/{operation}")
@html_errors
async def change(request: Request, operation: str, _: Annotated[None, Depends(public)]) -> Response:
    reader = await writer(request)
    form = await request.form()
    state = state_of(request)
    try:
        request_ = change_from_form(operation, form)
        applied = await run_in_threadpool(
            lambda: change_taxonomy(
                state.store,
                reader.project_id,
                request_,
                expected_version=_version(form),
                by=reader.user,
                why=_field(form, "why"),
                clock=state.clock,
                ids=RandomIds(),
            )
        )
    except RatchetError as exc:
        if exc.status in (401, 403):
            raise
        return await _show(request, reader, error=exc.message, status=exc.status)
    return RedirectResponse(f"/taxonomy?changed={applied.op.version}", status_code=303)


def _coded_notes(store: Store, project_id: int, mode_id: str) -> tuple[TaxonomyPage, list[Note]]:
    page = _page(store, project_id)
    page.state.mode(mode_id)  # 404 for a mode this taxonomy never had
    wanted = set(page.state.notes_coded_to({mode_id}))
    notes = [n for n in note_store.all_notes(store, project_id) if n.id in wanted]
    return page, notes


@router.get("/taxonomy/modes/{mode_id}/split")
@html_errors
async def split_form(
    request: Request,
    mode_id: str,
    _: Annotated[None, Depends(public)],
    parts: Annotated[str, Query()] = "2",
) -> Response:
    reader = await viewer(request)
    if reader is None:
        return to_login()
    count = _whole(parts, "parts=") if parts.strip() else 2
    page, notes = await run_in_threadpool(
        _coded_notes, state_of(request).store, reader.project_id, mode_id
    )
    return render(
        request,
        "taxonomy_split.html",
        reader,
        {
            "page": page,
            "mode": page.state.mode(mode_id),
            "notes": notes,
            "parts": list(range(min(max(count, 2), MAX_PARTS))),
            "max_parts": MAX_PARTS,
        },
    )
