"""RE2 matching without the per-call overhead of the ``re2`` module's str handling.

The ``re2`` module converts byte offsets back to str offsets in Python on
every call, which costs more than the match itself on short strings. For
ASCII text the offsets are the same, so :class:`Locator` hands RE2 the bytes
directly and keeps the module's path for anything else.
"""

from __future__ import annotations

import re2

_UNANCHORED = re2._Anchor.UNANCHORED

Spans = list[tuple[int, int]]


class Locator:
    """A compiled RE2 pattern that lists match spans (group 0, then each group)."""

    __slots__ = ("_compiled", "_groups", "_match")

    def __init__(self, pattern: str) -> None:
        self._compiled = re2.compile(pattern)
        self._match = self._compiled._regexp.Match
        self._groups = int(self._compiled.groups)

    def spans(self, text: str, data: bytes | None = None, pos: int = 0) -> list[Spans]:
        """Every non-overlapping match at or after ``pos``, leftmost first.

        ``data`` is ``text`` encoded, when the caller knows it is ASCII (then
        byte and character offsets agree); None means "work it out".
        """
        if data is None:
            if not text.isascii():
                return [
                    [match.span(group) for group in range(self._groups + 1)]
                    for match in self._compiled.finditer(text, pos)
                ]
            data = text.encode()
        end = len(data)
        found: list[Spans] = []
        match = self._match
        while pos <= end:
            spans: Spans = match(_UNANCHORED, data, pos, end)
            start, stop = spans[0]
            if start < 0:
                break
            found.append(spans)
            pos = stop if stop > start else stop + 1
        return found

    def byte_match(self, data: bytes, pos: int = 0) -> tuple[int, int] | None:
        """Byte offsets of the leftmost match in UTF-8 ``data`` at or after ``pos``."""
        start, stop = self._match(_UNANCHORED, data, pos, len(data))[0]
        return None if start < 0 else (start, stop)

    def first(self, text: str, data: bytes | None = None, pos: int = 0) -> Spans | None:
        """The leftmost match at or after ``pos``, or None (``data`` as for :meth:`spans`)."""
        if data is None:
            if not text.isascii():
                match = self._compiled.search(text, pos)
                return None if match is None else [match.span(g) for g in range(self._groups + 1)]
            data = text.encode()
        spans: Spans = self._match(_UNANCHORED, data, pos, len(data))
        return None if spans[0][0] < 0 else spans
