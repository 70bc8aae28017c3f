"""Promote: turn a reviewed failure into a fixture, stored on the server until pulled.

The editor opens on a draft made from the trace (redacted input, every tool
answer as a mock, expectations copied from the run) with what the review
added: the note as the reason, the failure mode, the pinned first upstream
error. The reviewer edits it; saving validates it exactly as a suite file is
validated, and refuses it with every problem listed, storing nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ratchet.core.clock import Clock, to_unix_nanos
from ratchet.core.errors import RatchetError
from ratchet.core.review import Note
from ratchet.core.spans import Span, SpanStatus, SpanType
from ratchet.fixtures.draft import draft_fixture, header, strongest_signal
from ratchet.fixtures.load import validate_text
from ratchet.fixtures.model import Fixture, Severity
from ratchet.fixtures.problems import Problem
from ratchet.fixtures.save import dump_fixture
from ratchet.store import notes as note_store
from ratchet.store import promotions as promotion_store
from ratchet.store.signals_write import signals_for_trace
from ratchet.store.store import Store
from ratchet.store.taxonomy import load_taxonomy
from ratchet.store.traces_read import get_trace

_REASON_CHARS = 300


class PromotionInvalid(RatchetError):
    """The edited fixture does not validate; ``problems`` lists every one."""

    code = "invalid_fixture"
    status = 422

    def __init__(self, problems: list[Problem]) -> None:
        lines = "; ".join(p.render() for p in problems)
        super().__init__(f"the fixture is not valid: {lines}")
        self.problems = problems


def draft_text(
    store: Store,
    project_id: int,
    trace_id: str,
    *,
    today: date,
    note_id: str | None = None,
    mode_id: str | None = None,
    owner: str | None = None,
) -> str:
    """The editor's starting text for promoting ``trace_id``."""
    trace = get_trace(store, project_id, trace_id)
    note: Note | None = note_store.get_note(store, project_id, note_id) if note_id else None
    if note is not None and note.trace_id != trace_id:
        raise RatchetError(f"note {note_id} is on trace {note.trace_id}, not on {trace_id}")
    mode_name = None
    if mode_id is None and note is not None and note.mode_ids:
        mode_id = note.mode_ids[0]
    if mode_id is not None:
        _, modes, _ = load_taxonomy(store, project_id)
        if mode_id not in modes:
            raise RatchetError(f"no failure mode {mode_id!r}: `ratchet taxonomy list` names them")
        mode_name = modes[mode_id].name
    draft = draft_fixture(
        trace,
        today=today,
        owner=owner,
        severity=Severity.BLOCKING if owner else Severity.WARNING,
        reason=note.text.splitlines()[0][:_REASON_CHARS] if note else None,
        failure_mode=mode_name,
        signal=strongest_signal(signals_for_trace(store, project_id, trace_id, trace.session_id)),
    )
    fixture = _with_first_error(draft.fixture, note, trace.spans)
    lines = [header(trace_id).replace("`ratchet fixtures new`", "a review promotion")]
    if note is not None and note.first_error_span_id:
        lines.append(
            f"# The reviewer marked span {note.first_error_span_id} as the first upstream error;"
            " the expectations below guard against it.\n"
        )
    lines += [f"# Note: {n}\n" for n in draft.notes]
    return "".join(lines) + dump_fixture(fixture)


def _with_first_error(fixture: Fixture, note: Note | None, spans: Sequence[Span]) -> Fixture:
    """Expectations from the pinned span: no error there, no call of a tool that was wrong."""
    if note is None or not note.first_error_span_id:
        return fixture
    span = next((s for s in spans if s.span_id == note.first_error_span_id), None)
    if span is None:
        return fixture
    expect = fixture.expect.model_copy()
    if span.status is SpanStatus.ERROR:
        expect.no_error_spans = True
    elif span.type is SpanType.TOOL:
        expect.tools_not_called = [*expect.tools_not_called, span.name]
        expect.required_spans = [r for r in expect.required_spans if r != span.ref]
    else:
        expect.forbidden_spans = [*expect.forbidden_spans, span.ref]
        expect.required_spans = [r for r in expect.required_spans if r != span.ref]
    return fixture.model_copy(update={"expect": expect})


def check_text(text: str) -> tuple[Fixture | None, list[Problem]]:
    """Validate the editor's text as a suite file (the editor calls this as one types)."""
    fixture, problems = validate_text(text, "fixture.yaml")
    if (
        fixture is not None
        and fixture.effective_severity is Severity.BLOCKING
        and not fixture.owner
    ):
        problems = [
            Problem(
                "fixture.yaml",
                "owner",
                "a blocking fixture needs an owner who keeps it healthy",
                "add `owner: TEAM`, or make it `severity: warning`",
            )
        ]
        fixture = None
    return fixture, problems


def save(
    store: Store,
    project_id: int,
    text: str,
    *,
    by: str | None,
    clock: Clock,
    trace_id: str | None = None,
    note_id: str | None = None,
    mode_id: str | None = None,
) -> tuple[promotion_store.Promotion, bool]:
    """Validate and store a promoted fixture; (stored promotion, whether it is new).

    Raises:
        PromotionInvalid: listing every problem; nothing is stored.
    """
    fixture, problems = check_text(text)
    if fixture is None:
        raise PromotionInvalid(problems)
    trace_id = trace_id or (fixture.source.trace_id if fixture.source else None)
    if trace_id is not None:
        get_trace(store, project_id, trace_id)  # the link must point at a trace of this project
    if note_id is not None:
        note_store.get_note(store, project_id, note_id)
    now = to_unix_nanos(clock.now())
    return promotion_store.save_promotion(
        store,
        project_id,
        promotion_store.Promotion(
            fixture_id=fixture.id,
            owner=fixture.owner or "",
            severity=fixture.effective_severity.value,
            body=text if text.endswith("\n") else text + "\n",
            created_ns=now,
            updated_ns=now,
            trace_id=trace_id,
            note_id=note_id,
            mode_id=mode_id,
            created_by=by,
        ),
    )
