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
from ratchet.core.errors import NotFound, RatchetError
from ratchet.core.review import Note
from ratchet.core.spans import Span, SpanStatus, SpanType
from ratchet.fixtures.draft import draft_fixture, header, strongest_signal
from ratchet.fixtures.load import validate_text
from ratchet.fixtures.model import Fixture, Severity
from ratchet.fixtures.parse import locate
from ratchet.fixtures.problems import Problem
from ratchet.fixtures.pull import ID_RULE, id_problem
from ratchet.fixtures.save import dump_fixture
from ratchet.store import notes as note_store
from ratchet.store import promotions as promotion_store
from ratchet.store.signals_write import signals_for_trace
from ratchet.store.store import Store
from ratchet.store.taxonomy import load_taxonomy
from ratchet.store.traces_read import get_trace

_REASON_CHARS = 300

#: The server keeps an owner in this many characters.
MAX_OWNER_CHARS = 200


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
    """Validate the editor's text as a suite file (the editor calls this as one types).

    Beyond the schema, the id must be able to name the fixture's file (it is
    pulled to ``<id>.yaml``) and the owner must fit the server's column: an
    id like ``../x`` would be written outside the suite, and an over-long
    value would fail in the database after the reviewer pressed save.
    """
    fixture, problems = validate_text(text, "fixture.yaml")
    if fixture is None:
        return None, problems
    found: list[Problem] = []
    why = id_problem(fixture.id)
    if why is not None:
        found.append(
            _problem(
                text,
                "id",
                f"{fixture.id[:60]!r} cannot name a file: {why}",
                f"write an id of {ID_RULE}",
            )
        )
    if fixture.owner is not None and len(fixture.owner) > MAX_OWNER_CHARS:
        found.append(
            _problem(
                text,
                "owner",
                f"the owner is {len(fixture.owner)} characters long",
                f"name a person or team in at most {MAX_OWNER_CHARS} characters",
            )
        )
    if fixture.effective_severity is Severity.BLOCKING and not fixture.owner:
        found.append(
            _problem(
                text,
                "owner",
                "a blocking fixture needs an owner who keeps it healthy",
                "add `owner: TEAM`, or make it `severity: warning`",
            )
        )
    return (None, found) if found else (fixture, problems)


def _problem(text: str, field: str, message: str, hint: str) -> Problem:
    where = locate(text.encode(), (field,))
    return Problem("fixture.yaml", field, message, hint, where[0] if where else None)


def _check_links(
    store: Store,
    project_id: int,
    trace_id: str | None,
    note_id: str | None,
    mode_id: str | None,
) -> str | None:
    """The trace the promotion links to, once every link is known to be of this project.

    A promotion is read later as "this fixture came from that note on that
    trace, in that failure mode", so a link to something else is refused
    rather than stored wrong.

    Raises:
        NotFound: the trace, note or failure mode is not in this project.
        RatchetError: the note is on another trace.
    """
    if note_id is not None:
        note = note_store.get_note(store, project_id, note_id)
        if trace_id is None:
            trace_id = note.trace_id
        elif note.trace_id != trace_id:
            raise RatchetError(
                f"note {note_id} is on trace {note.trace_id}, not on {trace_id}:"
                " link the note written on the trace being promoted"
            )
    if trace_id is not None:
        get_trace(store, project_id, trace_id)  # NotFound for another project's trace
    if mode_id is not None:
        _, modes, _ = load_taxonomy(store, project_id)
        if mode_id not in modes:
            raise NotFound(
                f"no failure mode {mode_id[:60]!r} in this project:"
                " `ratchet taxonomy list` (or GET /api/v1/failure-modes) names them"
            )
    return trace_id


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
    replace: bool = False,
) -> tuple[promotion_store.Promotion, bool]:
    """Validate and store a promoted fixture; (stored promotion, whether it is new).

    Saving again (same person, same trace) updates the promotion; one made
    by someone else or from another trace is replaced only with ``replace``.

    Raises:
        PromotionInvalid: listing every problem; nothing is stored.
        NotFound: the trace, note or failure mode is not in this project.
        RatchetError: the note is on another trace.
        PromotionTaken: the id is someone else's promotion and ``replace`` is false.
    """
    fixture, problems = check_text(text)
    if fixture is None:
        raise PromotionInvalid(problems)
    trace_id = trace_id or (fixture.source.trace_id if fixture.source else None)
    trace_id = _check_links(store, project_id, trace_id, note_id, mode_id)
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
        replace=replace,
    )


def delete(store: Store, project_id: int, fixture_id: str) -> None:
    """Withdraw a promoted fixture; renaming one is deleting it and promoting it again.

    Raises:
        NotFound: no promotion with that id in this project.
    """
    promotion_store.delete_promotion(store, project_id, fixture_id)
