"""Scan results shared across calls, and the two-pass batching that makes clean spans cheap.

Calling the RE2 prefilter has a fixed cost per call that dwarfs scanning a
short string, and a span holds a dozen strings. So a redaction call first
walks its value only collecting the strings that need scanning (answering
from the cache where it can), asks the prefilter once about all of them
joined, and, only if something might match, scans them one by one and walks
again. Most spans stop after the first walk.
"""

from __future__ import annotations

from ratchet.capture.redaction.pseudonym import Pseudonymizer
from ratchet.capture.redaction.scanner import TextScanner

TextKey = tuple[str, frozenset[str]]

# Short strings (roles, model names, mime types) repeat across spans by the thousand;
# long ones repeat within a span (input.value is also the span's input).
_SHORT_MAX = 256
_SHORT_LIMIT = 32_768
_LONG_MAX = 65_536
_LONG_LIMIT = 512


class TextCache:
    """Memo of string → redacted string, per key hints (bounded; cleared wholesale when full)."""

    __slots__ = ("_long", "_short")

    def __init__(self) -> None:
        self._short: dict[frozenset[str], dict[str, str]] = {}
        self._long: dict[frozenset[str], dict[str, str]] = {}

    def get(self, text: str, hints: frozenset[str]) -> str | None:
        size = len(text)
        if size <= _SHORT_MAX:
            table = self._short.get(hints)
        elif size <= _LONG_MAX:
            table = self._long.get(hints)
        else:
            return None
        return None if table is None else table.get(text)

    def put(self, text: str, hints: frozenset[str], value: str) -> None:
        size = len(text)
        if size <= _SHORT_MAX:
            tables, limit = self._short, _SHORT_LIMIT
        elif size <= _LONG_MAX:
            tables, limit = self._long, _LONG_LIMIT
        else:
            return
        table = tables.get(hints)
        if table is None:
            table = tables[hints] = {}
        elif len(table) >= limit:
            table.clear()
        table[text] = value


class TextSession:
    """The string-level side of one walk: either collecting what to scan, or scanning.

    A collecting session answers every uncached string with itself and notes it;
    :meth:`resolve` then decides whether a second, scanning walk is needed.
    """

    __slots__ = ("_cache", "_collecting", "_docs", "_pending", "_pseudonyms", "_scanner")

    def __init__(
        self,
        cache: TextCache,
        scanner: TextScanner,
        pseudonyms: Pseudonymizer,
        *,
        collecting: bool,
    ) -> None:
        self._cache = cache
        self._scanner = scanner
        self._pseudonyms = pseudonyms
        self._collecting = collecting
        self._pending: dict[TextKey, None] = {}
        self._docs: list[TextKey] = []

    @property
    def mark(self) -> int:
        """How many strings are pending so far (to tell whether a subtree added any)."""
        return len(self._pending)

    def lookup(self, text: str, hints: frozenset[str]) -> str | None:
        """The cached result for ``text``, if any."""
        return self._cache.get(text, hints)

    def scan(self, text: str, hints: frozenset[str]) -> str:
        """Redact one free-text string (or, when collecting, note it and return it as is)."""
        key = (text, hints)
        if self._collecting:
            self._pending[key] = None
            return text
        result = self._scanner.redact(text, self._pseudonyms, hints)
        self._cache.put(text, hints, result)
        return result

    def document(self, text: str, hints: frozenset[str], result: str, mark: int) -> None:
        """Remember a JSON document's result, unless it rests on strings still pending."""
        if self._collecting and len(self._pending) > mark:
            self._docs.append((text, hints))
        else:
            self._cache.put(text, hints, result)

    def resolve(self) -> bool:
        """Settle the pending strings; True when some changed and a scanning walk is needed."""
        if not self._pending:
            return False
        if not self._scanner.could_match("\x00".join(text for text, _ in self._pending)):
            for key in (*self._pending, *self._docs):
                self._cache.put(key[0], key[1], key[0])
            return False
        changed = False
        for text, hints in self._pending:
            result = self._scanner.redact(text, self._pseudonyms, hints)
            self._cache.put(text, hints, result)
            changed = changed or result != text
        if not changed:
            for key in self._docs:
                self._cache.put(key[0], key[1], key[0])
        return changed
