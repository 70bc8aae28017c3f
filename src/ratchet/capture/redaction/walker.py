"""One walk over a JSON-like value: key rules, JSON held in strings, and leaves to scan.

The walk is copy-on-write: a container comes back as the same object when
nothing inside it changed. That is how a JSON string needing no redaction is
returned byte for byte, and how the common case allocates almost nothing.
The hot paths (dicts of string attributes) are written out rather than
factored, because this runs on every span.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from ratchet.capture.redaction.detector import Detector
from ratchet.capture.redaction.keys import KeyClass, KeyRules, KeyVerdict
from ratchet.capture.redaction.pseudonym import Pseudonymizer, is_placeholder, is_pseudonym
from ratchet.capture.redaction.scanner import MIN_SCAN_LENGTH, TextScanner
from ratchet.capture.redaction.text_cache import TextCache

# Past this nesting the walk goes iterative, so hostile payloads cannot exhaust the stack.
MAX_DEPTH = 64
PLAIN = KeyVerdict(KeyClass.PLAIN)
SECRET = KeyVerdict(KeyClass.SECRET)
USER = KeyVerdict(KeyClass.USER)
NO_HINTS: frozenset[str] = frozenset()
_PLAIN_KIND = KeyClass.PLAIN
_KEEP_KIND = KeyClass.KEEP
# "Bearer <token>" under a secret key: the scheme says how, not what, so it stays.
_SCHEMED = re.compile(r"((?i:bearer|basic|token|digest|apikey|bot|negotiate)\s+)(\S+)")


class Walk:
    """Redacts values: key rules on containers, JSON descent and detectors on strings.

    Args:
        keys: the key rules.
        pseudonyms: the project's pseudonymizer.
        scanner: the free-text scanner.
        cache: results shared across walks.
        detectors: the detectors the gate found possible for this value; None
            lets each string's own prefilter pass decide.
    """

    __slots__ = ("_cache", "_cached", "_classify", "_detectors", "_pseudonyms", "_scanner")

    def __init__(
        self,
        keys: KeyRules,
        pseudonyms: Pseudonymizer,
        scanner: TextScanner,
        cache: TextCache,
        detectors: tuple[Detector, ...] | None = None,
    ) -> None:
        self._classify = keys.classify
        self._pseudonyms = pseudonyms
        self._scanner = scanner
        self._cache = cache
        self._cached = cache.plain.get
        self._detectors = detectors

    def value(self, value: Any, verdict: KeyVerdict, depth: int = 0) -> Any:
        """``value`` redacted under a key with ``verdict``; the same object if unchanged."""
        kind = type(value)
        if kind is str:
            return self.leaf(value, verdict, depth)
        if kind is int or kind is float or kind is bool or value is None:
            return value
        if verdict.kind is _KEEP_KIND:
            return value
        if depth < MAX_DEPTH:
            if kind is dict:
                return self._dict(value, verdict, depth + 1)
            if kind is list:
                return self._sequence(value, verdict, depth + 1)
        if isinstance(value, str):
            return self.leaf(value, verdict, depth)
        if isinstance(value, int | float):
            return value
        if isinstance(value, dict | list | tuple):
            if depth >= MAX_DEPTH:
                return self._deep(value, verdict)
            if isinstance(value, dict):
                return self._dict(value, verdict, depth + 1)
            return self._sequence(value, verdict, depth + 1)
        if isinstance(value, bytes) and verdict.kind is KeyClass.SECRET and value:
            return self._pseudonyms.pseudonym("SECRET", value.hex())
        return value

    def leaf(self, value: str, verdict: KeyVerdict, depth: int = 0) -> str:
        """One string under a key: scanned, replaced whole, or kept."""
        kind = verdict.kind
        if kind is _PLAIN_KIND:
            return self.text(value, verdict.hints, depth)
        if kind is _KEEP_KIND:
            return value
        if not value.strip() or is_pseudonym(value) or self._scanner.allowed_whole(value):
            return value
        if kind is KeyClass.USER:
            return self._pseudonyms.pseudonym("USER", value.strip())
        if is_placeholder(value):
            return value  # ${OPENAI_API_KEY}, <your key>, ****: nothing secret to hide
        scheme = _SCHEMED.fullmatch(value)
        if scheme is not None:
            credential = scheme.group(2)
            if is_pseudonym(credential) or is_placeholder(credential):
                return value
            return f"{scheme.group(1)}{self._pseudonyms.pseudonym('SECRET', credential)}"
        return self._pseudonyms.pseudonym("SECRET", value)

    def text(self, text: str, hints: frozenset[str], depth: int = 0) -> str:
        """Free text, or the JSON document it holds, redacted."""
        if len(text) < MIN_SCAN_LENGTH:
            return text
        cached = self._cache.get(text, hints) if hints else self._cached(text)
        if cached is not None:
            # an unchanged text comes back as itself: callers tell change by identity
            return text if cached == text else cached
        result = None
        if depth < MAX_DEPTH and text.lstrip()[:1] in ("{", "["):
            result = self._json_in_text(text, hints, depth)
        if result is None:
            result = self._scanner.redact(text, self._pseudonyms, hints, self._detectors)
        self._cache.put(text, hints, result)
        return result

    def user(self, value: str) -> str:
        """A user id, pseudonymised whole so the same user still joins across traces."""
        return self.leaf(value, USER)

    def event(self, event: dict[str, Any]) -> dict[str, Any]:
        """A span event with its attributes redacted (its name and time are kept)."""
        attributes = event.get("attributes")
        if not attributes:
            return event
        redacted = self.value(attributes, PLAIN)
        return event if redacted is attributes else {**event, "attributes": redacted}

    def _dict(self, value: dict[Any, Any], verdict: KeyVerdict, depth: int) -> dict[Any, Any]:
        # A map under a secret key ({"auth": {"token_type": "Bearer", …}}) is judged
        # by its own keys: its secret members are, its plain ones are not.
        changed = False
        out: dict[Any, Any] = {}
        classify = self._classify
        for key, item in value.items():
            if type(key) is str:
                child = classify(key)
                new_key = self._dict_key(key) if child.scan_key else key
            else:
                child, new_key = PLAIN, key
            if type(item) is str and child.kind is _PLAIN_KIND:
                new_item: Any = self.text(item, child.hints, depth)
            else:
                new_item = self.value(item, child, depth)
            if new_key is not key:
                changed = True
                if new_key in out:
                    new_key = _free_key(out, new_key)
            elif new_item is not item:
                changed = True
            out[new_key] = new_item
        return out if changed else value

    def _sequence(self, value: list[Any] | tuple[Any, ...], verdict: KeyVerdict, depth: int) -> Any:
        items = [self.value(item, verdict, depth) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return tuple(items) if isinstance(value, tuple) else items

    def _dict_key(self, key: str) -> str:
        # keys are data too ({"jane@example.com": …}); they are scanned, never parsed
        if len(key) < MIN_SCAN_LENGTH:
            return key
        cached = self._cached(key)
        if cached is None:
            cached = self._scanner.redact(key, self._pseudonyms, NO_HINTS, self._detectors)
            self._cache.put(key, NO_HINTS, cached)
        return key if cached == key else cached

    def _json_in_text(self, text: str, hints: frozenset[str], depth: int) -> str | None:
        """The redacted JSON document ``text`` holds, or None when it holds none."""
        try:
            parsed = orjson.loads(text)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(parsed, dict | list):
            return None
        redacted = self.value(parsed, KeyVerdict(KeyClass.PLAIN, hints), depth + 1)
        if redacted is parsed:
            return text
        return orjson.dumps(redacted).decode()

    def _deep(self, root: Any, verdict: KeyVerdict) -> Any:
        """Redact a very deep structure with an explicit stack (always copies)."""
        holder: list[Any] = [None]
        stack: list[tuple[Any, KeyVerdict, Any, Any]] = [(root, verdict, holder, 0)]
        while stack:
            value, current, parent, slot = stack.pop()
            if current.kind is KeyClass.KEEP:
                parent[slot] = value
            elif isinstance(value, dict):
                copy: dict[Any, Any] = {}
                parent[slot] = copy
                for key, item in value.items():
                    child = self._classify(key) if isinstance(key, str) else PLAIN
                    new_key = self._dict_key(key) if isinstance(key, str) else key
                    if new_key is not key and new_key in copy:
                        new_key = _free_key(copy, new_key)
                    copy[new_key] = None
                    stack.append((item, child, copy, new_key))
            elif isinstance(value, list | tuple):
                items: list[Any] = [None] * len(value)
                parent[slot] = items
                stack.extend((item, current, items, i) for i, item in enumerate(value))
            else:
                # this deep, strings are scanned as they are, without JSON descent
                parent[slot] = self.value(value, current, MAX_DEPTH)
        return holder[0]


def _free_key(existing: dict[Any, Any], key: Any) -> Any:
    """Two keys that redact to one pseudonym must both survive: number the later one."""
    n = 2
    while f"{key}#{n}" in existing:
        n += 1
    return f"{key}#{n}"
