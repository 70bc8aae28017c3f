"""Rephrasing: the user says nearly the same thing again.

A user who repeats a request did not get what they asked for the first
time: the answer missed, failed or never came. Two ways to see it: the
words come back (lexical similarity of the two messages over a
threshold), or the user says they are trying again ("trying again:",
"let me rephrase", "I still need…") about the same topic. A message that
thanks and moves on ("thanks, and can you also…") is a new request, not a
rephrasing, however many words it shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ratchet.capture.signals.model import Detected, clamp
from ratchet.capture.signals.outcomes import Outcome
from ratchet.capture.signals.registry import session_detector
from ratchet.capture.signals.text import (
    asks_something_new,
    content_words,
    ends_with_question,
    excerpt,
    is_closing,
    item_numbers,
    normalise,
    opens_with_gratitude,
    similarity,
)
from ratchet.capture.signals.views import SessionView, TraceView
from ratchet.core.signals import SignalKind

#: Similarity (0..1, see ``text.similarity``) from which a message repeats the previous one.
THRESHOLD = 0.5
#: Similarity from which a message repeats the previous one even though the assistant had
#: asked the user something (restating a request with the missing detail is an answer).
AFTER_QUESTION_THRESHOLD = 0.9
#: Strength of a rephrasing the user announced, whatever the similarity.
CUE_STRENGTH = 0.6
CUE_RE = re.compile(
    r"\b(?:trying|try(?:ing)?\s+it)\s+again\b|\blet\s+me\s+(?:rephrase|try\s+again|put\s+it"
    r"|say\s+it|ask\s+(?:again|differently)|be\s+clearer)\b|\bin\s+other\s+words\b"
    r"|\bto\s+(?:be\s+clear|clarify|rephrase)\b|\bonce\s+(?:again|more)\b|\bone\s+more\s+time\b"
    r"|\b(?:as|like)\s+i\s+(?:said|asked|mentioned|wrote)\b|\bi(?:'ll|\s+will)\s+(?:ask|say)\s+"
    r"(?:it\s+)?again\b|\bi\s+still\s+(?:need|want)\b|\bstill\s+waiting\s+(?:for|on)\b"
    r"|\bagain\s*:|\brepeat(?:ing)?\s+(?:my|the)\s+(?:question|request)\b"
)


def _earlier_message(session: SessionView, position: int) -> tuple[str | None, TraceView]:
    """The message this one may repeat, and the trace to attach a rephrasing to."""
    view = session.traces[position]
    if position:
        earlier = session.traces[position - 1]
        return earlier.user_text, earlier
    earlier_user = view.transcript.earlier_user
    return (normalise(earlier_user) if earlier_user else None), view


def _asked_in_between(view: TraceView, previous: TraceView | None) -> bool:
    """The assistant's answer before this message asked the user something."""
    if previous is None:
        answer = view.transcript.earlier_assistant
        return answer is not None and ends_with_question(answer)
    if previous.outcome is Outcome.NEEDS_USER:
        return True
    answer = previous.answer_text
    return answer is not None and ends_with_question(answer)


def _other_item(earlier: str, later: str) -> bool:
    """Both messages name numbered items and none is the same: a request about another one.

    "Refund ord_1" then "refund ord_2" shares every word but the one that matters.
    """
    before, after = item_numbers(earlier), item_numbers(later)
    return bool(before) and bool(after) and before.isdisjoint(after)


@session_detector("rephrasing")
def rephrasing(session: SessionView) -> Iterator[Detected]:
    """The user's message nearly repeats their previous one.

    Compares each message with the user's previous message: the previous
    trace's, or for a session's first trace the one its input carries.
    Fires when the similarity reaches 0.5, or 0.9 when the answer in
    between asked the user something (restating the request with the
    detail asked for is an answer); or when the message announces a retry
    ("trying again", "let me rephrase", "I still need") and shares a topic
    word with the previous one. Never for a message that only thanks, opens
    with thanks, announces another request ("also", "another"), or names
    numbered items none of which the previous message named ("refund ord_1"
    then "refund ord_2"). Attached to the run the user felt they had to
    repeat themselves after; ``follow_up_trace_id`` names the repeating one.

    Strength: 0.5 at the threshold rising to 1.0 for an exact repeat; at
    least 0.6 when the user announced it.
    """
    for position, view in enumerate(session.traces):
        later = view.user_text
        if not later:
            continue
        earlier, target = _earlier_message(session, position)
        if not earlier:
            continue
        if is_closing(later) or opens_with_gratitude(later) or asks_something_new(later):
            continue
        score = similarity(earlier, later)
        cue = CUE_RE.search(later)
        shared = sorted(content_words(earlier) & content_words(later))
        strength = 0.0
        previous = session.traces[position - 1] if position else None
        threshold = AFTER_QUESTION_THRESHOLD if _asked_in_between(view, previous) else THRESHOLD
        if score >= threshold:
            strength = 0.5 + 0.5 * (score - THRESHOLD) / (1.0 - THRESHOLD)
        if cue is not None and shared:
            strength = max(strength, CUE_STRENGTH)
        if strength == 0.0 or _other_item(earlier, later):
            continue
        yield Detected(
            SignalKind.REPHRASING,
            clamp(strength),
            target.trace_id,
            session.session_id,
            "rephrasing",
            {
                "similarity": round(score, 3),
                "cue": cue.group(0) if cue is not None else None,
                "shared_words": shared[:20],
                "earlier_message": excerpt(
                    previous.transcript.user if previous else view.transcript.earlier_user
                ),
                "message": excerpt(view.transcript.user),
                "follow_up_trace_id": view.trace_id,
            },
        )
