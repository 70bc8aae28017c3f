"""A memo of scanned strings, shared across calls of one Redactor.

Short strings (roles, model names, mime types, system prompts) repeat across
spans by the thousand, and long ones repeat within a span (``input.value`` is
also the span's input), so remembering results pays. The memo is bounded by
the characters it holds and cleared wholesale when full: simple, and the
next spans refill what matters.
"""

from __future__ import annotations

_MAX_CHARS = 8_000_000
_MAX_TEXT = 65_536


class TextCache:
    """string → redacted string, per key hints."""

    __slots__ = ("_chars", "hinted", "plain")

    def __init__(self) -> None:
        #: results for strings under keys that hint nothing (nearly all of them)
        self.plain: dict[str, str] = {}
        self.hinted: dict[tuple[str, frozenset[str]], str] = {}
        self._chars = 0

    def get(self, text: str, hints: frozenset[str]) -> str | None:
        """The remembered result for ``text`` under ``hints``, if any."""
        return self.hinted.get((text, hints)) if hints else self.plain.get(text)

    def put(self, text: str, hints: frozenset[str], value: str) -> None:
        """Remember a result (very long strings are not worth the memory)."""
        size = len(text)
        if size > _MAX_TEXT:
            return
        self._chars += size + len(value)
        if self._chars > _MAX_CHARS:
            self.plain.clear()
            self.hinted.clear()
            self._chars = size + len(value)
        if hints:
            self.hinted[(text, hints)] = value
        else:
            self.plain[text] = value
