"""RE2 matching without the per-call overhead of the ``re2`` module's str handling.

The ``re2`` module converts byte offsets back to str offsets in Python on
every call, which costs more than the match itself on short strings. For
ASCII text the offsets are the same, so :class:`Locator` hands RE2 the bytes
directly and keeps the module's path for anything else.

The direct path uses two attributes the ``re2`` module does not document
(``re2._Anchor`` and a compiled pattern's ``_regexp.Match``). Should a
release drop or rename them, each :class:`Locator` notices when it is built
and matches through the module's public ``search`` instead: slower, with the
same results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import re2

Spans = list[tuple[int, int]]
RawMatch = Callable[[Any, bytes, int, int], Spans]


def _raw_match(compiled: Any) -> tuple[RawMatch, Any] | None:
    """The compiled pattern's own match function and the unanchored mode, if both exist."""
    anchor = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
    match = getattr(getattr(compiled, "_regexp", None), "Match", None)
    if anchor is None or not callable(match):
        return None
    return match, anchor


class Locator:
    """A compiled RE2 pattern that lists match spans (group 0, then each group).

    Attributes:
        pattern: the pattern, as given.
        direct: whether matching bypasses the ``re2`` module's wrapper.
    """

    __slots__ = ("_anchor", "_compiled", "_groups", "_match", "direct", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled = re2.compile(pattern)
        self._groups = int(self._compiled.groups)
        raw = _raw_match(self._compiled)
        self.direct = raw is not None
        self._match: RawMatch | None = None
        self._anchor: Any = None
        if raw is not None:
            self._match, self._anchor = raw

    def spans(self, text: str, data: bytes | None = None, pos: int = 0) -> list[Spans]:
        """Every non-overlapping match at or after ``pos``, leftmost first.

        ``data`` is ``text`` encoded, when the caller knows it is ASCII (then
        byte and character offsets agree); None means "work it out".
        """
        if data is None:
            if not text.isascii():
                return [self._spans_of(match) for match in self._compiled.finditer(text, pos)]
            data = text.encode()
        end = len(data)
        found: list[Spans] = []
        match = self._match
        if match is None:
            while pos <= end and (public := self._compiled.search(data, pos)) is not None:
                spans = self._spans_of(public)
                found.append(spans)
                start, stop = spans[0]
                pos = stop if stop > start else stop + 1
            return found
        anchor = self._anchor
        while pos <= end:
            spans = match(anchor, data, pos, end)
            start, stop = spans[0]
            if start < 0:
                break
            found.append(spans)
            pos = stop if stop > start else stop + 1
        return found

    def first(self, text: str, data: bytes | None = None, pos: int = 0) -> Spans | None:
        """The leftmost match at or after ``pos``, or None (``data`` as for :meth:`spans`)."""
        if data is None:
            if not text.isascii():
                found = self._compiled.search(text, pos)
                return None if found is None else self._spans_of(found)
            data = text.encode()
        if pos > len(data):
            return None
        if self._match is None:
            found = self._compiled.search(data, pos)
            return None if found is None else self._spans_of(found)
        spans: Spans = self._match(self._anchor, data, pos, len(data))
        return None if spans[0][0] < 0 else spans

    def _spans_of(self, match: Any) -> Spans:
        return [match.span(group) for group in range(self._groups + 1)]
