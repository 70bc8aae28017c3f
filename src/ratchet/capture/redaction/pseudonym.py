"""Typed, keyed pseudonyms: the only thing a redacted value leaves behind.

A pseudonym is ``<ENTITY:hhhhhhhhhhhh>``: the entity type, then the first 12
hex characters of HMAC-SHA256(project secret, ``ENTITY:normalised value``).
The same value always gives the same pseudonym within a project, so sessions,
users and fixtures still join after redaction; without the secret the value
cannot be recovered or confirmed by guessing.
"""

from __future__ import annotations

import hashlib
import hmac
import re

#: How long a pseudonym's digest is, in hex characters.
DIGEST_CHARS = 12

#: Matches one pseudonym. Entity names are upper-case words, digits and underscores.
PSEUDONYM_RE = re.compile(r"<[A-Z][A-Z0-9_]*:[0-9a-f]{12}>")

_PLACEHOLDER_RE = re.compile(
    r"\$\{[^{}]+\}|\$[A-Z_][A-Z0-9_]*|%[A-Z_][A-Z0-9_]*%|\{\{[^{}]*\}\}|<[^<>]*>"
    r"|[*•xX]{3,}[A-Za-z0-9]{0,4}|[*•.]+|(?i:\[?redacted\]?|null|none|undefined|n/a)"
)

# Bounded so a long-running ingest worker cannot grow without limit.
_CACHE_LIMIT = 65_536


def is_pseudonym(value: str) -> bool:
    """Tell whether ``value`` is exactly one pseudonym (so redacting it again is a no-op)."""
    return len(value) >= 16 and value[0] == "<" and PSEUDONYM_RE.fullmatch(value) is not None


def is_placeholder(value: str) -> bool:
    """Whether a value stands in for a secret rather than being one.

    Environment references (``$API_KEY``, ``${api_key}``, ``%API_KEY%``; a bare
    ``$name`` must be upper-case, else it is likely a password starting with $),
    templates (``{{ api_key }}``, ``<your key>``), masks (``****``, ``••••4242``)
    and markers (``[REDACTED]``, ``null``) hold nothing to hide.
    """
    return _PLACEHOLDER_RE.fullmatch(value.strip()) is not None


def pseudonym_spans(text: str) -> list[tuple[int, int]]:
    """Where pseudonyms already sit in ``text``: detectors must not rewrite them."""
    if "<" not in text:
        return []
    return [m.span() for m in PSEUDONYM_RE.finditer(text)]


class Pseudonymizer:
    """Turns (entity, normalised value) into a stable pseudonym keyed by the project secret."""

    __slots__ = ("_cache", "_keyed")

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("the redaction secret must not be empty")
        # keyed once; each pseudonym copies the keyed state instead of re-deriving it
        self._keyed = hmac.new(bytes(secret), digestmod=hashlib.sha256)
        self._cache: dict[tuple[str, str], str] = {}

    def pseudonym(self, entity: str, normalised: str) -> str:
        """The pseudonym of one value; callers normalise first so spellings join."""
        key = (entity, normalised)
        found = self._cache.get(key)
        if found is not None:
            return found
        mac = self._keyed.copy()
        mac.update(f"{entity}:{normalised}".encode())
        digest = mac.hexdigest()[:DIGEST_CHARS]
        token = f"<{entity}:{digest}>"
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = token
        return token
