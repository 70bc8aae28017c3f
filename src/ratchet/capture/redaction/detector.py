"""The shape every value detector shares, and the per-string context they read.

A detector is a finder (text → confirmed findings) plus a prefilter in RE2
syntax. The scanner runs all prefilters in one pass over a string and calls
only the finders whose prefilter hit. Finders locate candidates with cheap
anchors (an ``@``, a ``://``, a run of digits) rather than by sliding a
look-behind regex over the whole string, then confirm each candidate with a
checksum, parser or context rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ratchet.capture.redaction.keys import KeyClass, KeyRules

_WORDS_RE = re.compile(r"[a-z#]+")
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


class Finding(NamedTuple):
    """One confirmed entity in a string: where it is, its type, and its normal form.

    A named tuple: finders make one per candidate, and a tuple is the cheapest
    record Python builds.
    """

    start: int
    end: int
    entity: str
    normalised: str
    priority: int = 50


class ScanContext:
    """What finders may know about the string being scanned, computed once and shared."""

    __slots__ = ("data", "hints", "keys", "text")

    def __init__(self, text: str, hints: frozenset[str], keys: KeyRules) -> None:
        self.text = text
        #: the text as bytes when it is ASCII (byte and str offsets then agree), else None
        self.data = text.encode() if text.isascii() else None
        self.hints = hints
        self.keys = keys

    def is_secret_key(self, key: str) -> bool:
        """Whether ``key`` (as written in free text, ``password=…``) names a secret."""
        return self.keys.classify(key).kind is KeyClass.SECRET


Finder = Callable[[ScanContext], list[Finding]]


@dataclass(frozen=True, slots=True)
class Detector:
    """A named way to find one entity type in text.

    Attributes:
        name: the detector's name, usable in ``disabled_detectors``.
        entity: the pseudonym type it emits.
        finder: returns the confirmed findings in a string.
        prefilter: RE2 pattern that matches whenever the finder could find
            something; None means "always run".
    """

    name: str
    entity: str
    finder: Finder
    prefilter: str | None


def char_before(text: str, index: int) -> str:
    """The character before ``index``, or "" at the start."""
    return text[index - 1] if index > 0 else ""


def char_at(text: str, index: int) -> str:
    """The character at ``index``, or "" past the end."""
    return text[index] if index < len(text) else ""


def is_word(char: str) -> bool:
    """ASCII word character (letters, digits, underscore); "" is not."""
    return char in _WORD


def has_digit_and_letter(text: str) -> bool:
    """Random credentials mix digits and letters; prose and placeholders rarely do."""
    return any(map(str.isdigit, text)) and any(map(str.isalpha, text))


def mentions(
    text: str, start: int, words: frozenset[str], window: int = 40, *, last_only: bool = False
) -> bool:
    """Whether the ``window`` characters before ``start`` hold one of ``words``.

    Words are lower-case runs of letters (and ``#``); with ``last_only`` only
    the word right before ``start`` counts ("version 1.2.3.4").
    """
    found = _WORDS_RE.findall(text[max(0, start - window) : start].lower())
    if last_only:
        return bool(found) and found[-1] in words
    return not words.isdisjoint(found)
