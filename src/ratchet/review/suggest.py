"""Suggest failure modes for a new note from the notes already coded.

Reviewers code faster and more consistently when the likely modes are
offered first: a note that reads like notes already coded as
"date-handling" probably is one. Lexical similarity is enough for that —
TF-IDF over lightly normalised words, cosine against every coded note,
aggregated per active mode — plus a small boost when the note shares words
with a mode's name, definition or examples (which is all a brand-new mode
has). Each suggestion carries its reason, the most similar coded note, so a
person can judge it before accepting or rejecting it.

Build a :class:`SuggestionIndex` once per taxonomy version and ask it many
times; a query touches only the postings of its own words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from ratchet.core.review import FailureMode
from ratchet.review.taxonomy_history import TaxonomyError, resolve

#: How much of a mode's note score comes from its single best note; the rest
#: is the mean of its top :data:`SUPPORT` notes, so a mode that several
#: similar notes agree on beats one lucky match.
BEST_WEIGHT = 0.6
SUPPORT = 3
#: The most a mode's own words (name, definition, examples) can add.
DESCRIPTION_BOOST = 0.15
SNIPPET_CHARS = 60

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
#: Words that say nothing about which failure it was. Negations are here
#: too: lexical similarity cannot use them well, and they are everywhere.
_STOP_TEXT = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can can't could couldn't did didn't do does doesn't doing
don't down during each few for from further get got had has have having he he's her here hers
him his how i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more most
my no nor not of off on once one only or other our out over own per same she she's should
shouldn't so some such than that that's the their them then there there's these they they're
this those through to too under until up us very via was wasn't we we're were weren't what
when where which while who whom why will with won't would wouldn't you you'll you're your yours
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
#: Suffixes stripped, first fit wins: (suffix, replacement, shortest stem left).
_SUFFIXES = (
    ("sses", "ss", 3),
    ("ies", "y", 3),
    ("ied", "y", 3),
    ("ing", "", 3),
    ("edly", "", 3),
    ("ed", "", 3),
    ("ly", "", 4),
    ("es", "", 3),
    ("s", "", 3),
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stemmer: "dates", "dated", "dating" and "date" all become "dat".

    Not a real stemmer: it only has to map a word's common forms onto one
    key consistently, the way every note and query is treated alike.
    """
    if len(word) <= 3:
        return word
    for suffix, replacement, shortest in _SUFFIXES:
        if not word.endswith(suffix):
            continue
        base = word[: -len(suffix)]
        if suffix == "s" and base.endswith(("s", "u", "i")):
            break  # class, status, analysis: not plurals
        if len(base) >= shortest:
            word = base + replacement
            break
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeioulsz":
        word = word[:-1]  # stopped → stopp → stop
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def words(text: str) -> Iterator[tuple[str, int]]:
    """(stem, offset in ``text``) of each word that can tell notes apart.

    Lower-cased, apostrophes unified, possessives and stop words dropped,
    and so are bare numbers and single letters (order numbers, list marks).
    """
    # Fold each word, not the text: folding can change lengths ("ß" → "ss")
    # and the offsets must point into the text as written.
    for match in _WORD.finditer(text.replace("\u2019", "'")):
        token = match.group(0).casefold().removesuffix("'s")
        if len(token) < 2 or token.isdigit() or token in STOP_WORDS:
            continue
        yield stem(token), match.start()


def stems(text: str) -> list[str]:
    """The stems of :func:`words`, in order."""
    return [s for s, _ in words(text)]


class CodedNote(Protocol):
    """What suggestions read of a note (``ratchet.core.review.Note`` fits)."""

    @property
    def id(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def mode_ids(self) -> Sequence[str]: ...


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A mode the note may belong to, with the evidence a reviewer judges it by.

    Attributes:
        mode_id: The active mode suggested.
        name: Its name.
        score: 0–1; higher is more similar.
        note_id: The most similar note already coded to it (``None`` when only
            the mode's own description matched).
        snippet: A short piece of that note (or the shared words).
    """

    mode_id: str
    name: str
    score: float
    note_id: str | None
    snippet: str

    @property
    def reason(self) -> str:
        """One line for the UI, e.g. ``like note n12: 'booked the wrong day…'``."""
        if self.note_id is None:
            return f"its description mentions {self.snippet}"
        return f"like note {self.note_id}: '{self.snippet}'"


def _weights(
    counts: Counter[str], idf: Mapping[str, float], default_idf: float
) -> dict[str, float]:
    """Sublinear TF-IDF at unit length: a long note does not win by repeating a word."""
    raw = {t: (1.0 + math.log(n)) * idf.get(t, default_idf) for t, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in raw.values()))
    return {t: w / norm for t, w in raw.items()} if norm else {}


@dataclass(slots=True)
class _Tally:
    """A mode's running evidence while one query is scored."""

    best: float = 0.0
    best_row: int = -1
    top: list[float] = field(default_factory=list)

    def add(self, row: int, sim: float) -> None:
        if sim > self.best or (sim == self.best and row < self.best_row):
            self.best, self.best_row = sim, row
        if len(self.top) < SUPPORT:
            self.top.append(sim)
        elif sim > min(self.top):
            self.top[self.top.index(min(self.top))] = sim

    def score(self) -> float:
        """Mostly the best note, partly the mean of the top few (missing ones count 0)."""
        return min(1.0, BEST_WEIGHT * self.best + (1.0 - BEST_WEIGHT) * sum(self.top) / SUPPORT)


class SuggestionIndex:
    """An inverted TF-IDF index over the coded notes, each row knowing its active modes."""

    def __init__(
        self,
        modes: Mapping[str, FailureMode],
        notes: Sequence[tuple[str, str, tuple[str, ...]]],
        idf: dict[str, float],
        postings: dict[str, tuple[list[int], list[float]]],
        descriptions: dict[str, dict[str, float]],
    ) -> None:
        self._modes = modes
        self._notes = notes
        self._idf = idf
        self._default_idf = math.log(len(notes) + 1) + 1.0
        self._postings = postings
        self._descriptions = descriptions
        self._row_of = {note_id: row for row, (note_id, _, _) in enumerate(notes)}

    @classmethod
    def build(cls, coded: Iterable[CodedNote], modes: Mapping[str, FailureMode]) -> SuggestionIndex:
        """Index the coded notes under the active modes their codes stand for today.

        A code to a merged or split mode counts for what replaced it; codes
        to retired or unknown modes are ignored, so those are never suggested.
        """
        notes: list[tuple[str, str, tuple[str, ...]]] = []
        counts: list[Counter[str]] = []
        resolved: dict[str, tuple[str, ...]] = {}
        for note in coded:
            targets: dict[str, None] = {}
            for mode_id in note.mode_ids:
                if mode_id not in resolved:
                    try:
                        resolved[mode_id] = resolve(mode_id, modes)
                    except TaxonomyError:
                        resolved[mode_id] = ()
                targets.update(dict.fromkeys(resolved[mode_id]))
            if targets:
                notes.append((note.id, note.text, tuple(targets)))
                counts.append(Counter(stems(note.text)))
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(notes)
        idf = {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}
        default_idf = math.log(n + 1) + 1.0
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for row, c in enumerate(counts):
            for t, w in _weights(c, idf, default_idf).items():
                rows, values = postings.setdefault(t, ([], []))
                rows.append(row)
                values.append(w)
        descriptions = {
            m.id: _weights(
                Counter(stems(" ".join([m.name, m.definition, *m.examples]))), idf, default_idf
            )
            for m in modes.values()
            if m.active
        }
        return cls(modes, notes, idf, postings, descriptions)

    def suggest(
        self,
        text: str,
        *,
        k: int = 3,
        exclude_note_id: str | None = None,
        min_score: float = 0.05,
    ) -> list[Suggestion]:
        """The ``k`` likeliest active modes for a note, best first (ties by name).

        Args:
            text: The note's text.
            k: How many suggestions at most.
            exclude_note_id: The note itself, if it is already coded, so it
                does not suggest its own codes back.
            min_score: Modes scoring below this are left out: a weak match
                is noise that slows the reviewer down.
        """
        query = _weights(Counter(stems(text)), self._idf, self._default_idf)
        if not query or k <= 0:
            return []
        sims: dict[int, float] = {}
        for term, weight in query.items():
            posting = self._postings.get(term)
            if posting is not None:
                for row, value in zip(*posting, strict=True):
                    sims[row] = sims.get(row, 0.0) + weight * value
        if exclude_note_id is not None:
            sims.pop(self._row_of.get(exclude_note_id, -1), None)
        tallies: dict[str, _Tally] = {}
        for row, sim in sims.items():
            for mode_id in self._notes[row][2]:
                tally = tallies.get(mode_id)
                if tally is None:
                    tally = tallies[mode_id] = _Tally()
                tally.add(row, sim)
        found: list[Suggestion] = []
        for mode_id, description in self._descriptions.items():
            tally = tallies.get(mode_id, _Tally())
            from_notes = tally.score()
            described = sum(w * query.get(t, 0.0) for t, w in description.items())
            score = min(1.0, from_notes + DESCRIPTION_BOOST * described * (1.0 - from_notes))
            if score <= 0.0 or score < min_score:
                continue
            name = self._modes[mode_id].name
            if tally.best_row >= 0:
                note_id, note_text, _ = self._notes[tally.best_row]
                found.append(Suggestion(mode_id, name, score, note_id, snippet(note_text, text)))
            else:
                found.append(Suggestion(mode_id, name, score, None, _shared(text, description)))
        found.sort(key=lambda s: (-s.score, s.name.casefold(), s.mode_id))
        return found[:k]


def suggest_modes(
    note_text: str, coded: Iterable[CodedNote], modes: Mapping[str, FailureMode], *, k: int = 3
) -> list[Suggestion]:
    """One-off suggestions; to ask many times, build a :class:`SuggestionIndex` once."""
    return SuggestionIndex.build(coded, modes).suggest(note_text, k=k)


def snippet(note_text: str, query: str, limit: int = SNIPPET_CHARS) -> str:
    """A short piece of ``note_text`` starting near its first word shared with ``query``."""
    wanted = set(stems(query))
    found = list(words(note_text))
    start = 0
    for i, (key, _) in enumerate(found):
        if key in wanted:
            # A few words of lead-in, so the shared word is read in its context.
            start = found[i - 3][1] if i > 3 else 0
            break
    flat = " ".join(note_text[start:].split())
    lead = "…" if start > 0 else ""
    if len(flat) <= limit:
        return lead + flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return f"{lead}{cut}…"


def _shared(text: str, description: Mapping[str, float]) -> str:
    shared: dict[str, None] = {}
    for key, at in words(text):
        if key in description:
            match = _WORD.match(text.replace("\u2019", "'"), at)
            shared[match.group(0) if match else key] = None
    return ", ".join(f"'{w}'" for w in list(shared)[:4])
