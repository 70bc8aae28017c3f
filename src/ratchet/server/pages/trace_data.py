"""Everything the trace view shows, read in one go on a worker thread.

One function gathers the trace, its signals, notes and the taxonomy, and,
when the trace is read as part of a review session, where it sits in the
session (so j/k and the prefetch of the next trace work). Suggestions are
computed only while the latest note is still uncoded: that is the moment
a reviewer codes, and it keeps ordinary page loads light.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ratchet.capture.signals.transcript import Transcript, read_transcript
from ratchet.core.errors import RatchetError
from ratchet.core.ids import is_trace_id
from ratchet.core.review import FailureMode, Note, ReviewItem, ReviewSession
from ratchet.core.signals import Signal, SignalKind
from ratchet.core.spans import Span
from ratchet.core.traces import ARTIFACT_KINDS, Trace
from ratchet.review.coding import suggest_for
from ratchet.review.suggest import Suggestion
from ratchet.server.pages.span_tree import SpanRow, span_rows
from ratchet.store import notes as note_store
from ratchet.store import review_sessions as session_store
from ratchet.store.signals_write import signals_for_trace
from ratchet.store.store import Store
from ratchet.store.taxonomy import load_taxonomy
from ratchet.store.traces_read import get_trace

#: Keys 1–9 pick the first nine modes of the coding list.
KEYED_MODES = 9


@dataclass(frozen=True, slots=True)
class SessionPlace:
    """Where the trace sits in the review session it was opened from."""

    session: ReviewSession
    item: ReviewItem
    position: int
    total: int
    previous: str | None
    next: str | None


@dataclass(frozen=True, slots=True)
class CodingChoice:
    """One line of the coding list: a mode, its key (1–9 or none), and why it is suggested."""

    mode: FailureMode
    key: int | None
    suggestion: Suggestion | None
    coded: bool


@dataclass(frozen=True)
class TraceView:
    trace: Trace
    rows: list[SpanRow]
    transcript: Transcript
    signals: list[Signal]
    checks: list[Signal]
    notes: list[Note]
    taxonomy_version: int
    mode_names: dict[str, str]
    choices: list[CodingChoice]
    place: SessionPlace | None = None
    session_missing: str | None = None
    versions: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def latest_note(self) -> Note | None:
        return self.notes[-1] if self.notes else None

    def span(self, span_id: str | None) -> Span | None:
        return next((s for s in self.trace.spans if s.span_id == span_id), None)


def check_trace_id(trace_id: str) -> None:
    if not is_trace_id(trace_id):
        # The value is not repeated: a pasted value may be anything.
        raise RatchetError("that is not a trace id (32 lowercase hex characters)")


def _root(trace: Trace) -> Span | None:
    by_id = {s.span_id: s for s in trace.spans}
    if trace.root_span_id in by_id:
        return by_id[trace.root_span_id]
    return next((s for s in trace.spans if s.parent_span_id not in by_id), None)


def _place(store: Store, project_id: int, session_id: str, trace_id: str) -> SessionPlace | None:
    session = session_store.get_session(store, project_id, session_id)
    items = session_store.session_items(store, project_id, session_id)
    index = next((i for i, it in enumerate(items) if it.trace_id == trace_id), None)
    if index is None:
        return None
    return SessionPlace(
        session=session,
        item=items[index],
        position=index + 1,
        total=len(items),
        previous=items[index - 1].trace_id if index > 0 else None,
        next=items[index + 1].trace_id if index + 1 < len(items) else None,
    )


def _choices(
    active: list[FailureMode], suggestions: list[Suggestion], coded: set[str]
) -> list[CodingChoice]:
    """Suggested modes first (best first), then the rest in taxonomy order; keys 1–9."""
    by_id = {m.id: m for m in active}
    first = [(by_id[s.mode_id], s) for s in suggestions if s.mode_id in by_id]
    named = {m.id for m, _ in first}
    ordered = first + [(m, None) for m in active if m.id not in named]
    return [
        CodingChoice(
            mode=mode,
            key=i + 1 if i < KEYED_MODES else None,
            suggestion=suggestion,
            coded=mode.id in coded,
        )
        for i, (mode, suggestion) in enumerate(ordered)
    ]


def _versions(trace: Trace) -> list[tuple[str, str, str]]:
    out = [("service", "", trace.versions.service)] if trace.versions.service else []
    for kind in ARTIFACT_KINDS:
        for name, version in sorted(getattr(trace.versions, kind).items()):
            out.append((kind, name, version))
    return out


def load_trace_view(
    store: Store, project_id: int, trace_id: str, session_id: str | None
) -> TraceView:
    """The trace view's data; NotFound for a trace (or session) of no concern to this project."""
    check_trace_id(trace_id)
    trace = get_trace(store, project_id, trace_id)
    signals = signals_for_trace(store, project_id, trace_id, trace.session_id)
    notes = note_store.notes_for_trace(store, project_id, trace_id)
    version, modes, _ = load_taxonomy(store, project_id)
    active = sorted(
        (m for m in modes.values() if m.active), key=lambda m: (m.added_in, m.name.casefold())
    )
    latest = notes[-1] if notes else None
    suggestions: list[Suggestion] = []
    if latest is not None and not latest.mode_ids and active:
        suggestions = suggest_for(store, project_id, note_id=latest.id)
    place = _place(store, project_id, session_id, trace_id) if session_id else None
    return TraceView(
        trace=trace,
        rows=span_rows(trace),
        transcript=read_transcript(_root(trace), trace.spans),
        signals=[s for s in signals if s.kind is not SignalKind.ONLINE_CHECK_FAILURE],
        checks=[s for s in signals if s.kind is SignalKind.ONLINE_CHECK_FAILURE],
        notes=notes,
        taxonomy_version=version,
        mode_names={m.id: m.name for m in modes.values()},
        choices=_choices(active, suggestions, set(latest.mode_ids) if latest else set()),
        place=place,
        session_missing=session_id if session_id and place is None else None,
        versions=_versions(trace),
    )
