"""Frustration: a user message that shows annoyance or asks to get away from the bot.

Profanity-free cues only: a profanity list is long, language-specific and
mostly fires on people who swear cheerfully. These cues are about the
exchange itself: "this is useless", "speak to a human", "how many times",
"Hello??", shouting in capitals, doubled punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ratchet.capture.signals.model import Detected, clamp
from ratchet.capture.signals.registry import trace_detector
from ratchet.capture.signals.text import excerpt
from ratchet.capture.signals.views import TraceView
from ratchet.core.signals import SignalKind

#: (cue name, weight, pattern on the lower-cased message).
PHRASES: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    (
        "asks for a human",
        0.7,
        re.compile(
            r"\b(?:speak|talk|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|your\s+|the\s+)?(?:real\s+)?"
            r"(?:human|person|agent|representative|manager|supervisor|someone|somebody)\b"
            r"|\breal\s+(?:person|human)\b|\bhuman\s+being\b|\bget\s+me\s+(?:a\s+)?(?:human|person)\b"
        ),
    ),
    (
        "calls it useless",
        0.6,
        re.compile(
            r"\b(?:useless|ridiculous|unacceptable|pathetic|absurd|waste\s+of\s+(?:my\s+)?time"
            r"|(?:this|that)\s+is\s+a\s+joke|not\s+helpful|unhelpful|(?:so|very)\s+annoying)\b"
        ),
    ),
    (
        "says they are frustrated",
        0.6,
        re.compile(r"\b(?:frustrat\w*|fed\s+up|sick\s+of|tired\s+of|losing\s+my\s+patience)\b"),
    ),
    (
        "has said it before",
        0.6,
        re.compile(
            r"\bhow\s+many\s+times\b|\bfor\s+the\s+(?:second|third|fourth|fifth|last|\d+(?:st|nd|rd|th))\s+time\b"
            r"|\bi(?:'ve|\s+have)?\s+(?:already|just)\s+(?:told|said|asked|gave|explained)\b"
            r"|\bi\s+(?:told|asked)\s+you\b"
        ),
    ),
    (
        "is still waiting",
        0.5,
        re.compile(
            r"\bstill\s+(?:waiting|need|want|haven'?t|have\s+not|not|no|nothing|don'?t|doesn'?t"
            r"|isn'?t|hasn'?t)\b|\bany\s+update\b.*\?\s*\?"
        ),
    ),
    (
        "gives up",
        0.6,
        re.compile(
            r"^\W*(?:never\s*mind|forget\s+it)\b|\bare\s+you\s+(?:even\s+)?"
            r"(?:listening|serious|kidding|joking|reading)\b|\bwhat\s+is\s+wrong\s+with\s+you\b"
            r"|\byou\s+(?:don'?t|do\s+not|never)\s+(?:understand|listen|help)\b"
        ),
    ),
    ("calls out", 0.6, re.compile(r"^\W*(?:hello|hallo|hi|anyone|anybody)\s*\?{2,}")),
)
REPEATED_PUNCTUATION = re.compile(r"[!?]{2,}")
PUNCTUATION_WEIGHT = 0.3
CAPS_WORD = re.compile(r"\b[A-Z]{4,}\b")
UPPER = re.compile(r"[A-Z]")
CAPS_WEIGHT = 0.4
#: A whole message in capitals is shouting on its own.
SHOUTING_WEIGHT = 0.5
#: Letters a message needs before its share of capitals means shouting.
CAPS_MIN_LETTERS = 12
CAPS_SHARE = 0.7
#: Sum of cue weights from which the detector fires.
THRESHOLD = 0.5


def _shouting(text: str) -> tuple[float, str] | None:
    """Weight and words of shouting: most letters in capitals, or two long words in them."""
    upper = len(UPPER.findall(text))
    if upper >= CAPS_MIN_LETTERS * CAPS_SHARE:
        letters = sum(1 for c in text if c.isalpha())
        if letters >= CAPS_MIN_LETTERS and upper / letters >= CAPS_SHARE:
            return SHOUTING_WEIGHT, text[:60]
    words = CAPS_WORD.findall(text)
    if len(words) >= 2:
        return CAPS_WEIGHT, " ".join(words[:5])
    return None


def frustration_cues(original: str, lowered: str) -> list[tuple[str, float, str]]:
    """Every cue in a message: (what it is, its weight, the words that showed it)."""
    cues: list[tuple[str, float, str]] = []
    for name, weight, pattern in PHRASES:
        match = pattern.search(lowered)
        if match is not None:
            cues.append((name, weight, match.group(0).strip()))
    punctuation = REPEATED_PUNCTUATION.search(original)
    if punctuation is not None:
        cues.append(("doubled punctuation", PUNCTUATION_WEIGHT, punctuation.group(0)))
    shouted = _shouting(original)
    if shouted is not None:
        cues.append(("capitals", *shouted))
    return cues


@trace_detector("frustration")
def frustration(view: TraceView) -> Iterator[Detected]:
    """The user's message shows frustration with the exchange.

    Cues and weights: asking for a human (0.7); calling the help useless,
    saying they are frustrated, having said it before, giving up, calling
    out "hello??" (0.6 each); still waiting, a whole message in capitals
    (0.5 each); two words in capitals (0.4); doubled
    ``!!``/``??`` (0.3). Fires when the weights add up to 0.5, so doubled
    punctuation alone ("it broke after two days!!") is not enough.

    Strength: the sum of the weights, capped at 1.
    """
    original = view.transcript.user
    lowered = view.user_text
    if not original or not lowered:
        return
    cues = frustration_cues(original, lowered)
    if not cues:
        return
    score = sum(weight for _, weight, _ in cues)
    if score < THRESHOLD:
        return
    evidence: dict[str, Any] = {
        "cues": [{"cue": name, "words": words} for name, _, words in cues],
        "message": excerpt(original),
    }
    yield Detected(
        SignalKind.FRUSTRATION,
        clamp(score),
        view.trace_id,
        view.session_id,
        "frustration",
        evidence,
    )
