"""Abandonment: the session ends right after an assistant turn that did not resolve the request.

The user left without what they came for: the last run failed, stopped
half-way, asked a question nobody answered, or refused. A session that
ends after a resolved run, a hand-over to a person, or the user's thanks
has not been abandoned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ratchet.capture.signals.model import Detected, clamp
from ratchet.capture.signals.outcomes import Outcome
from ratchet.capture.signals.registry import session_detector
from ratchet.capture.signals.text import ends_with_question, excerpt, is_closing
from ratchet.capture.signals.views import SessionView, TraceView
from ratchet.core.signals import SignalKind

#: An answer that says it could not help (for runs that state no final status).
FAILURE_ANSWER_RE = re.compile(
    r"\b(?:sorry|unfortunately|apologi[sz]e)\b[^.!?]{0,40}\b(?:couldn'?t|could\s+not|can'?t"
    r"|cannot|unable|wasn'?t\s+able|failed|not\s+able)\b|\bsomething\s+went\s+wrong\b"
    r"|\b(?:please\s+)?try\s+again\s+later\b|\bi\s+(?:don'?t|do\s+not)\s+know\b"
)
#: Strength by why the last turn counts as unresolved.
STRENGTH = {
    "failed": 0.8,
    "partial": 0.7,
    "failure_answer": 0.6,
    "question_unanswered": 0.6,
    "declined": 0.3,
}
#: Added when the user had already written more than once in the session.
PERSISTENCE_BONUS = 0.1


def unresolved_because(view: TraceView) -> str | None:
    """Why the run's turn did not resolve the request, or None when it did (or may have)."""
    outcome = view.outcome
    if outcome is Outcome.RESOLVED or outcome is Outcome.HANDED_OFF:
        return None
    if view.failed:
        return "failed"
    if outcome is Outcome.PARTIAL:
        return "partial"
    if outcome is Outcome.NEEDS_USER:
        return "question_unanswered"
    if outcome is Outcome.DECLINED:
        return "declined"
    answer = view.answer_text
    if not answer:
        return None
    if FAILURE_ANSWER_RE.search(answer):
        return "failure_answer"
    if ends_with_question(answer):
        return "question_unanswered"
    return None


@session_detector("abandonment")
def abandonment(session: SessionView) -> Iterator[Detected]:
    """The session ended right after a turn that did not resolve the request.

    Looks at the session's last run once the session is over (detection on
    past data, or quiet for ``session_idle``). Unresolved means: the run
    failed (final status or root error), stopped partial, was waiting for
    the user's answer (``needs_user``, or an answer ending in a question),
    refused (``declined``), or, with no final status, answered with an
    apology for not managing. Never when it resolved, handed over to a
    person, or the user's last message only thanked or said goodbye; never
    for a trace sent without a session id (nothing says the user left).

    Strength: 0.8 failed, 0.7 partial, 0.6 unanswered question or an
    apologetic answer, 0.3 refused (the refusal may be right); 0.1 more
    when the user had already written more than once.
    """
    if session.session_id is None or not session.traces or not session.ended:
        return
    last = session.traces[-1]
    if last.user_text and is_closing(last.user_text):
        return
    why = unresolved_because(last)
    if why is None:
        return
    turns = len(session.traces)
    strength = STRENGTH[why] + (PERSISTENCE_BONUS if turns > 1 else 0.0)
    yield Detected(
        SignalKind.ABANDONMENT,
        clamp(strength),
        last.trace_id,
        session.session_id,
        "abandonment",
        {
            "reason": why,
            "final_status": last.trace.final_status,
            "stop_reason": last.trace.stop_reason,
            "last_message": excerpt(last.transcript.user),
            "last_answer": excerpt(last.transcript.answer),
            "turns": turns,
        },
    )
