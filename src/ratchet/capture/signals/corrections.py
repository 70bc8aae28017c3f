"""Corrective follow-ups: the user tells the assistant its last answer was wrong.

"No, I meant Tuesday", "that's not what I asked", "wrong date": the user
read the answer and it missed. The signal is about the answer being
corrected, so it is attached to the run that gave it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ratchet.capture.signals.model import Detected
from ratchet.capture.signals.registry import session_detector
from ratchet.capture.signals.text import ends_with_question, excerpt
from ratchet.capture.signals.views import SessionView, TraceView
from ratchet.core.signals import SignalKind

#: (strength, pattern on the lower-cased follow-up), strongest first.
PATTERNS: tuple[tuple[float, re.Pattern[str]], ...] = (
    (
        0.9,
        re.compile(
            r"\b(?:that|this|it)(?:'s|\s+is|\s+was)\s+(?:wrong|incorrect|not\s+(?:right|correct))\b"
            r"|\bnot\s+what\s+i\s+(?:asked|said|meant|wanted|requested|ordered)\b"
            r"|\byou(?:'ve|\s+have)?\s+(?:misunderstood|misread|got\s+it\s+wrong)\b"
            r"|\byou\s+(?:got|have|picked|booked|used|gave\s+me)\s+the\s+wrong\b"
            r"|\bwrong\s+(?:date|day|time|order|item|one|answer|person|address|account|amount"
            r"|number|week|month|product|size|email)\b"
            r"|\bi\s+(?:never|didn'?t|did\s+not)\s+(?:ask(?:ed)?|sa(?:y|id)|want(?:ed)?"
            r"|request(?:ed)?|order(?:ed)?)\b"
        ),
    ),
    (
        0.7,
        re.compile(
            r"\b(?:no,?\s+)?i\s+meant\b|\bwhat\s+i\s+meant\b|\b(?:as|like)\s+i\s+said\b"
            r"|^\W*i\s+said\b|\.\s+i\s+said\b|\bactually,?\s+i\s+(?:meant|need|asked|said|wanted)\b"
            r"|\bnot\s+quite\b|\bthat'?s\s+not\s+it\b|\bthat\s+is\s+not\s+it\b"
        ),
    ),
    (
        0.5,
        re.compile(
            r"^\W*(?:no|nope|nah)\b(?![\s,.!]*(?:problem|worries|worry|thanks|thank|need|rush"
            r"|hurry|pressure|idea|way|longer|more|one|i\s+don'?t|it'?s\s+fine))"
        ),
    ),
)


#: Below this strength a match is a bare "no", which answers a question as often as it
#: corrects an answer.
BARE_NO = 0.5


def correction(text: str, *, after_question: bool = False) -> tuple[float, str] | None:
    """The strength and the words of the strongest correction in a message, if any.

    After a question ("Do you want store credit instead?") a bare "no" is an
    answer, not a correction, so it does not count.
    """
    for strength, pattern in PATTERNS:
        if after_question and strength <= BARE_NO:
            break
        match = pattern.search(text)
        if match is not None:
            return strength, match.group(0).strip()
    return None


@session_detector("corrective_follow_up")
def corrective_follow_up(session: SessionView) -> Iterator[Detected]:
    """The user's next message says the assistant's previous answer was wrong.

    Looks at every turn that follows an assistant answer: a later trace of
    the session, or a first trace whose input carries the conversation so
    far. Attached to the run whose answer was corrected (the same trace
    when the earlier answer is only in its input); ``follow_up_trace_id``
    names the trace with the correcting message.

    Strength: 0.9 for an explicit "that's wrong" / "not what I asked" /
    "wrong date"; 0.7 for "I meant", "as I said", "not quite"; 0.5 for a
    bare leading "no" (but not "no problem", "no thanks", nor a "no" that
    answers a question the assistant asked).
    """
    traces = session.traces
    for position, view in enumerate(traces):
        text = view.user_text
        if not text:
            continue
        earlier: TraceView | None = traces[position - 1] if position else None
        previous_answer = earlier.transcript.answer if earlier is not None else None
        if previous_answer is None:
            previous_answer = view.transcript.earlier_assistant
            if previous_answer is None:
                continue
        found = correction(text, after_question=ends_with_question(previous_answer))
        if found is None:
            continue
        strength, words = found
        target = earlier or view
        yield Detected(
            SignalKind.CORRECTIVE_FOLLOW_UP,
            strength,
            target.trace_id,
            session.session_id,
            "corrective_follow_up",
            {
                "words": words,
                "message": excerpt(view.transcript.user),
                "previous_answer": excerpt(previous_answer),
                "follow_up_trace_id": view.trace_id,
            },
        )
