"""A SIMULATED reviewer for the demo: reads a review session the way a person would, by script.

It is not a model of judgement. It knows what the simulation broke (the
traffic report says which runs went wrong and how) and writes the notes a
careful person would write on those traces: what went wrong, pinned to the
first upstream error span, coded into a failure mode it creates the first
time it meets one (open coding, then axial coding), taking the suggested
mode when the suggestion is right. Every other trace gets a pass. The demo
prints that this reviewer is simulated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ratchet.core.clock import Clock
from ratchet.core.ids import IdSource
from ratchet.core.review import Verdict
from ratchet.core.spans import Span, SpanStatus
from ratchet.core.traces import Trace
from ratchet.review import coding
from ratchet.review.notes import judge, write_note
from ratchet.review.taxonomy import Add
from ratchet.store.review_sessions import session_items
from ratchet.store.store import Store
from ratchet.store.traces_read import get_trace

REVIEWER = "simulated-reviewer"

#: failure in the traffic report → (mode name, definition, notes in varied words).
MODES: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    "wrong-date-anchor": (
        "date-handling",
        "A relative date ('two weeks from now', 'next Tuesday') resolved against the wrong day.",
        (
            "Booked the wrong day: the relative date was counted from an old message, not today.",
            "Wrong date booked; 'two weeks from now' anchored on the thread's last message.",
            "The assistant resolved the relative date against the wrong anchor day.",
        ),
    ),
    "skipped-approval": (
        "refund-approval-skipped",
        "A refund above the approval threshold issued without a lead's approval.",
        (
            "Issued a large refund without the approval the policy requires.",
            "Refund over the threshold went out with no approval step.",
            "Skipped approval: the refund tool ran before any approval for this amount.",
        ),
    ),
    "tool-error": (
        "tool-outage-unhandled",
        "A tool failed and the run ended without a useful answer or a retry that worked.",
        (
            "A tool call failed and the user got no booking or refund.",
            "The tool errored; the run gave up instead of recovering.",
            "Tool failure ended the run: nothing done for the user.",
        ),
    ),
}


@dataclass
class ReviewOutcome:
    read: int = 0
    passed: int = 0
    noted: int = 0
    modes_created: list[str] = field(default_factory=list)
    suggestions_taken: int = 0


def _first_error(trace: Trace, failure: str) -> Span | None:
    """The span a reviewer would pin as the first upstream error."""
    ordered = sorted(trace.spans, key=lambda s: s.start)
    if failure == "tool-error":
        return next((s for s in ordered if s.status is SpanStatus.ERROR), None)
    wanted = "create_event" if failure == "wrong-date-anchor" else "issue_refund"
    return next((s for s in ordered if s.name == wanted), None)


def review_session(
    store: Store,
    project_id: int,
    session_id: str,
    failures: Mapping[str, str],
    *,
    clock: Clock,
    ids: IdSource,
) -> ReviewOutcome:
    """Read every trace of the session in order: note and code the failures, pass the rest."""
    outcome = ReviewOutcome()
    mode_ids: dict[str, str] = {}
    used: dict[str, int] = {}
    for item in session_items(store, project_id, session_id):
        outcome.read += 1
        failure = failures.get(item.trace_id)
        if failure not in MODES:
            judge(
                store, project_id, session_id, item.trace_id, Verdict.PASS, by=REVIEWER, clock=clock
            )
            outcome.passed += 1
            continue
        assert failure is not None
        name, definition, phrasings = MODES[failure]
        trace = get_trace(store, project_id, item.trace_id)
        pinned = _first_error(trace, failure)
        text = phrasings[used.get(failure, 0) % len(phrasings)]
        used[failure] = used.get(failure, 0) + 1
        note = write_note(
            store,
            project_id,
            item.trace_id,
            text,
            by=REVIEWER,
            clock=clock,
            ids=ids,
            session_id=session_id,
            first_error_span_id=pinned.span_id if pinned else None,
        )
        judge(store, project_id, session_id, item.trace_id, Verdict.FAIL, by=REVIEWER, clock=clock)
        outcome.noted += 1
        if failure not in mode_ids:
            state = coding.current_state(store, project_id)
            existing = next((m.id for m in state.active_modes() if m.name == name), None)
            if existing is None:
                applied = coding.change_taxonomy(
                    store,
                    project_id,
                    Add(name, definition),
                    expected_version=state.version,
                    by=REVIEWER,
                    why=f"first seen in trace {item.trace_id}",
                    clock=clock,
                    ids=ids,
                )
                existing = applied.modes[0].id
                outcome.modes_created.append(name)
            mode_ids[failure] = existing
        suggested = coding.suggest_for(store, project_id, note_id=note.id, k=1)
        accepted = [s.mode_id for s in suggested if s.mode_id == mode_ids[failure]]
        outcome.suggestions_taken += len(accepted)
        coding.code(
            store,
            project_id,
            note.id,
            [mode_ids[failure]],
            expected_version=coding.current_state(store, project_id).version,
            by=REVIEWER,
            clock=clock,
            suggested=accepted,
        )
    return outcome
