"""The shape every value detector shares: a broad pattern, a check, and what a hit yields.

A detector is a regex that finds candidates cheaply plus a check that
confirms one (checksum, parser, context) and returns a :class:`Finding`.
Each detector also carries a prefilter in RE2 syntax; the scanner runs all
prefilters in one pass over a string and only runs the detectors whose
prefilter hit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ratchet.capture.redaction.keys import KeyClass, KeyRules


@dataclass(frozen=True, slots=True)
class Finding:
    """One confirmed entity in a string: where it is, its type, and its normal form."""

    start: int
    end: int
    entity: str
    normalised: str
    priority: int = 50


@dataclass(frozen=True, slots=True)
class ScanContext:
    """What a check may know besides the match: the key's hints and the key rules."""

    hints: frozenset[str] = frozenset()
    keys: KeyRules = field(default_factory=KeyRules)

    def is_secret_key(self, key: str) -> bool:
        """Whether ``key`` (as written in free text, ``password=…``) names a secret."""
        return self.keys.classify(key).kind is KeyClass.SECRET


Check = Callable[[re.Match[str], ScanContext], Finding | None]


@dataclass(frozen=True, slots=True)
class Detector:
    """A named way to find one entity type in text.

    Attributes:
        name: the detector's name, usable in ``disabled_detectors``.
        entity: the pseudonym type it emits.
        priority: lower wins when two findings overlap.
        pattern: candidate finder (Python ``re``; may use look-around).
        check: confirms a candidate, or returns None.
        prefilter: RE2 pattern that matches whenever ``pattern`` could; None runs always.
        resume_inside: after a rejected candidate, search again from its second
            character (for patterns that can swallow the start of a real hit).
    """

    name: str
    entity: str
    priority: int
    pattern: re.Pattern[str]
    check: Check
    prefilter: str | None
    resume_inside: bool = False

    def find(self, text: str, context: ScanContext) -> list[Finding]:
        """All confirmed findings of this detector in ``text``."""
        found: list[Finding] = []
        search = self.pattern.search
        pos = 0
        end = len(text)
        while pos < end:
            match = search(text, pos)
            if match is None:
                break
            finding = self.check(match, context)
            if finding is not None:
                found.append(finding)
                pos = max(finding.end, match.start() + 1)
            elif self.resume_inside or match.end() == match.start():
                pos = match.start() + 1
            else:
                pos = match.end()
        return found


def has_digit_and_letter(text: str) -> bool:
    """Random credentials mix digits and letters; prose and placeholders rarely do."""
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def preceded_by(text: str, start: int, words: re.Pattern[str], window: int = 40) -> bool:
    """Whether the ``window`` characters before ``start`` mention one of ``words``."""
    return words.search(text, max(0, start - window), start) is not None
