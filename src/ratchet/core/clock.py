"""Time comes from here so tests can pin it; nothing else calls ``datetime.now()``."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of the current time, injected wherever time is read."""

    def now(self) -> datetime:
        """Current time, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, for measuring durations."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to, so whole runs can be compared in tests."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, tzinfo=UTC)
        self._mono = 0.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._mono += seconds


def to_unix_nanos(moment: datetime) -> int:
    """Nanoseconds since the epoch, the unit OTLP and the store use."""
    return int(moment.timestamp()) * 1_000_000_000 + moment.microsecond * 1000


def from_unix_nanos(nanos: int) -> datetime:
    """A UTC datetime from OTLP nanoseconds (microsecond precision)."""
    return datetime.fromtimestamp(nanos // 1000 / 1_000_000, tz=UTC)
