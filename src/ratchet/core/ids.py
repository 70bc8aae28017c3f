"""Id sources, injectable so tests produce the same ids every run."""

from __future__ import annotations

import re
import secrets
from typing import Protocol

TRACE_ID_RE = re.compile(r"^[0-9a-f]{32}$")
SPAN_ID_RE = re.compile(r"^[0-9a-f]{16}$")


class IdSource(Protocol):
    """Makes new ids; the system one is random, the test one sequential."""

    def hex(self, nbytes: int) -> str:
        """A new lowercase hex id of ``nbytes`` bytes."""
        ...

    def token(self, nbytes: int) -> str:
        """A new URL-safe random token of ``nbytes`` bytes of entropy."""
        ...


class RandomIds:
    """Cryptographically random ids, for production."""

    def hex(self, nbytes: int) -> str:
        return secrets.token_hex(nbytes)

    def token(self, nbytes: int) -> str:
        return secrets.token_urlsafe(nbytes)


class SequentialIds:
    """Deterministic ids for tests: 1, 2, 3… padded to the requested width."""

    def __init__(self, start: int = 1) -> None:
        self._next = start

    def _take(self) -> int:
        value = self._next
        self._next += 1
        return value

    def hex(self, nbytes: int) -> str:
        return format(self._take(), f"0{nbytes * 2}x")

    def token(self, nbytes: int) -> str:
        return format(self._take(), f"0{nbytes * 2}x")


def is_trace_id(value: str) -> bool:
    """True for 32 lowercase hex characters, the REST form of a trace id."""
    return bool(TRACE_ID_RE.match(value))


def is_span_id(value: str) -> bool:
    """True for 16 lowercase hex characters."""
    return bool(SPAN_ID_RE.match(value))
