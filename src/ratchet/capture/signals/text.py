"""Text measures the conversational detectors share: words, overlap, courtesy.

Lexical measures only: they are fast enough for every ingested turn, they
explain themselves in the evidence ("these words came back"), and a
rephrased request in a support chat mostly reuses its own words.
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[a-z0-9]+(?:['_-][a-z0-9]+)*")
_SPACE_RE = re.compile(r"\s+")

_STOPWORD_TEXT = """
    a about after again all am an and any are as at be been before being but by can
    could did do does doing for from had has have having he her here hers him his how
    i i'd i'll i'm i've if in into is it it's its just let me might more my no nor not
    now of off on once only or other our out over own please same she should so some
    such than that that's the their them then there these they this those through to
    too under until up very was we were what when where which while who whom why will
    with would you you're your yours hi hello hey ok okay yes yeah sorry
"""
#: Words that carry no topic: dropping them keeps "can you book" and "could you
#: please book" from looking different, and "the"/"a" from making them look alike.
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_GRATITUDE_RE = re.compile(
    r"^\W*(?:thanks?\b|thank\s+you|thx\b|ty\b|cheers\b|great\b|perfect\b|awesome\b|"
    r"brilliant\b|wonderful\b|excellent\b|got\s+it\b|that\s+works\b|all\s+good\b|"
    r"much\s+appreciated|appreciate\s+it|ok(?:ay)?\s+(?:thanks|great|perfect|cool)\b)"
)
#: Words a message that only thanks or says goodbye is made of.
_CLOSING_TEXT = """
    thanks thank thx ty cheers bye goodbye great perfect awesome brilliant wonderful
    excellent amazing lovely cool ok okay alright fine appreciate appreciated nice good
    sounds works got it that that's is was all you so much a lot very again for the your
    help have day one no problem wow sure done really helpful see later
"""
CLOSING_WORDS = frozenset(_CLOSING_TEXT.split())
#: Of those, the ones that actually close ("that is all" alone closes nothing).
_MARKER_TEXT = """
    thanks thank thx ty cheers bye goodbye great perfect awesome brilliant wonderful
    excellent amazing lovely cool ok okay alright appreciate appreciated
"""
CLOSING_MARKERS = frozenset(_MARKER_TEXT.split())
#: Longest message still read as a mere closing.
CLOSING_MAX_WORDS = 12
_NEW_REQUEST_RE = re.compile(
    r"\b(?:also|another|one\s+more|as\s+well|in\s+addition|additionally|next\s+thing|"
    r"separate\s+question|different\s+question|unrelated)\b"
)


def normalise(text: str) -> str:
    """Lower case, whitespace folded: the form every pattern here is written for."""
    return _SPACE_RE.sub(" ", text.lower()).strip()


def words(text: str) -> list[str]:
    """The words of a normalised text, in order."""
    return _WORD_RE.findall(text)


def content_words(text: str) -> frozenset[str]:
    """The topic words of a normalised text: stopwords and single letters dropped."""
    return frozenset(w for w in _WORD_RE.findall(text) if len(w) > 1 and w not in STOPWORDS)


def char_ngrams(text: str, n: int = 3) -> frozenset[str]:
    """Character n-grams of the text's words joined by single spaces.

    Catches what word sets miss: "follow-up" against "followup", "book" against
    "booking", a typo in a repeated request.
    """
    joined = " ".join(_WORD_RE.findall(text))
    if len(joined) < n:
        return frozenset((joined,)) if joined else frozenset()
    return frozenset(joined[i : i + n] for i in range(len(joined) - n + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared items over all items; 0 when both are empty."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def similarity(a: str, b: str) -> float:
    """How nearly ``b`` repeats ``a`` (both normalised), 0 to 1.

    The mean of topic-word Jaccard and character-trigram Jaccard: words
    weigh what the request is about, trigrams forgive inflection and typos.
    An exact repeat scores 1.
    """
    if a == b:
        return 1.0 if a else 0.0
    return 0.5 * jaccard(content_words(a), content_words(b)) + 0.5 * jaccard(
        char_ngrams(a), char_ngrams(b)
    )


def opens_with_gratitude(text: str) -> bool:
    """The message starts by thanking or approving ("thanks, and…", "great!")."""
    return _GRATITUDE_RE.match(text) is not None


def is_closing(text: str) -> bool:
    """The whole message only thanks, approves or says goodbye: the user is done."""
    found = _WORD_RE.findall(text)
    return (
        0 < len(found) <= CLOSING_MAX_WORDS
        and all(w in CLOSING_WORDS for w in found)
        and any(w in CLOSING_MARKERS for w in found)
    )


def item_numbers(text: str) -> frozenset[str]:
    """The words of a normalised text that hold a digit: order numbers, ids, times."""
    return frozenset(w for w in _WORD_RE.findall(text) if any(c.isdigit() for c in w))


def asks_something_new(text: str) -> bool:
    """The message announces another request ("also", "one more", "another")."""
    return _NEW_REQUEST_RE.search(text) is not None


def ends_with_question(text: str) -> bool:
    """The text's last sentence is a question (trailing quotes and spaces ignored)."""
    return text.rstrip(" \t\n\"'”)").endswith("?")


def excerpt(text: str | None, limit: int = 300) -> str | None:
    """The text cut to ``limit`` characters for evidence, marked when cut."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
