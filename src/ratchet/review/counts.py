"""Counts of failure modes among reviewed traces, each with a 95% Wilson interval.

A share read off a sample is an estimate, and review samples are small: 31
of 100 could well be 23% or 41% of production. The Wilson score interval
says how far to trust a share and, unlike the textbook normal interval,
stays inside [0, 1] and behaves at 0 of n and n of n, which is exactly where
rare failure modes live. Counts are broken down by surface, version and ISO
week (each group with its own n), so a team sees where a mode lives and
whether it is shrinking week over week.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ratchet.core.review import FailureMode

#: The breakdowns ``count_modes`` can compute.
BREAKDOWNS = ("surface", "version", "week")

#: The group a reviewed trace without a surface or version falls in.
NO_VALUE = "(none)"

#: z for a two-sided 95% interval.
Z_95 = 1.96


def wilson_interval(k: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for ``k`` successes out of ``n``, as shares in [0, 1].

    With ``n == 0`` there is nothing to estimate and the answer is
    ``(0.0, 0.0)``: callers that show an interval check ``n`` first (see
    ``format_share``), and a chart draws no whisker. The bounds always hold
    ``k / n``; at ``k == 0`` the low bound is exactly 0 and at ``k == n`` the
    high bound exactly 1.

    Raises:
        ValueError: When ``k`` or ``n`` is negative, ``k > n``, or ``z`` is not positive.
    """
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n for an interval (got k={k}, n={n})")
    if not z > 0:
        raise ValueError(f"z must be positive (got {z}); 1.96 gives a 95% interval")
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    low = 0.0 if k == 0 else min(p, max(0.0, centre - half))
    high = 1.0 if k == n else max(p, min(1.0, centre + half))
    return (low, high)


@dataclass(frozen=True, slots=True)
class Share:
    """``count`` of ``n`` reviewed traces, with the 95% Wilson interval of the share."""

    count: int
    n: int
    low: float
    high: float

    @property
    def share(self) -> float:
        """``count / n``, or 0 when nothing was reviewed."""
        return self.count / self.n if self.n else 0.0

    @classmethod
    def of(cls, count: int, n: int) -> Share:
        low, high = wilson_interval(count, n)
        return cls(count=count, n=n, low=low, high=high)


@dataclass(frozen=True, slots=True)
class ReviewedTrace:
    """A trace a reviewer has read, with what counts break down by.

    ``reviewed_at`` places it in an ISO week, taken in UTC when the time is
    timezone-aware, so a week means the same thing on every server.
    """

    trace_id: str
    reviewed_at: datetime
    surface: str | None = None
    version: str | None = None


@dataclass(frozen=True, slots=True)
class ModeCount:
    """One failure mode's count overall and per group (each group ``Share`` has its own n)."""

    mode_id: str
    name: str
    overall: Share
    by_surface: Mapping[str, Share]
    by_version: Mapping[str, Share]
    by_week: Mapping[str, Share]

    @property
    def line(self) -> str:
        """The summary people read, e.g. ``date-handling: 31 of 100, 23–41%``."""
        return format_share(self.name, self.overall)


@dataclass(frozen=True, slots=True)
class ModeCounts:
    """Counts of every active mode over ``reviewed`` traces, the most frequent first."""

    reviewed: int
    modes: tuple[ModeCount, ...]

    def lines(self) -> list[str]:
        return [mode.line for mode in self.modes]


def iso_week(moment: datetime) -> str:
    """The ISO week of ``moment`` as ``2026-W07`` (UTC for timezone-aware times)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def count_modes(
    reviewed: Iterable[ReviewedTrace],
    codes: Mapping[str, Collection[str]],
    modes: Sequence[FailureMode],
    *,
    by: str | Collection[str] | None = None,
) -> ModeCounts:
    """Count each active failure mode among the reviewed traces.

    A trace counts once per mode however many of its notes were coded to it.
    Codes of traces that were not reviewed, and codes to modes that are not
    active (retired, or merged or split away, which the caller has already
    resolved to their current modes) are left out, so every share's
    denominator is the reviewed traces it speaks of. Active modes nobody has
    coded yet are listed with a count of 0.

    Args:
        reviewed: The reviewed traces; a trace listed twice counts once.
        codes: Trace id to the ids of the current modes its notes are coded to.
        modes: The taxonomy's failure modes (inactive ones are skipped).
        by: Which breakdowns to compute, any of ``"surface"``, ``"version"``
            and ``"week"``; None computes all three. The others come back empty.

    Returns:
        The counts, most frequent mode first (then by name). Each breakdown
        lists every group seen among the reviewed traces, including groups
        where the mode has a count of 0, keyed by the group's name
        (``"(none)"`` for a trace without a surface or version).

    Raises:
        ValueError: When ``by`` names an unknown breakdown.
    """
    wanted = _breakdowns(by)
    traces: dict[str, ReviewedTrace] = {}
    for trace in reviewed:
        traces.setdefault(trace.trace_id, trace)
    groups = {
        "surface": {t.trace_id: t.surface or NO_VALUE for t in traces.values()},
        "version": {t.trace_id: t.version or NO_VALUE for t in traces.values()},
        "week": {t.trace_id: iso_week(t.reviewed_at) for t in traces.values()},
    }
    group_sizes = {name: _tally(groups[name].values()) for name in wanted}

    active = [mode for mode in modes if mode.active]
    coded: dict[str, list[str]] = {mode.id: [] for mode in active}
    for trace_id, mode_ids in codes.items():
        if trace_id not in traces:
            continue
        for mode_id in set(mode_ids):
            if mode_id in coded:
                coded[mode_id].append(trace_id)

    n = len(traces)
    rows: list[ModeCount] = []
    for mode in active:
        hits = coded[mode.id]
        split = {
            name: _shares(_tally(groups[name][t] for t in hits), group_sizes[name])
            for name in wanted
        }
        rows.append(
            ModeCount(
                mode_id=mode.id,
                name=mode.name,
                overall=Share.of(len(hits), n),
                by_surface=split.get("surface", {}),
                by_version=split.get("version", {}),
                by_week=split.get("week", {}),
            )
        )
    rows.sort(key=lambda row: (-row.overall.count, row.name, row.mode_id))
    return ModeCounts(reviewed=n, modes=tuple(rows))


def format_share(label: str, share: Share) -> str:
    """``label: 31 of 100, 23–41%``: whole percentages, an en dash between the bounds.

    Percentages round half up, so the line matches what a person rounding
    by hand would write. With nothing reviewed there is no interval to show
    and the line says so.
    """
    if share.n == 0:
        return f"{label}: 0 of 0, nothing reviewed yet"
    return f"{label}: {share.count} of {share.n}, {percent(share.low)}–{percent(share.high)}%"


def percent(value: float) -> int:
    """A share as a whole percentage, rounded half up."""
    return math.floor(value * 100 + 0.5)


def _breakdowns(by: str | Collection[str] | None) -> tuple[str, ...]:
    if by is None:
        return BREAKDOWNS
    names = (by,) if isinstance(by, str) else tuple(by)
    unknown = [name for name in names if name not in BREAKDOWNS]
    if unknown:
        raise ValueError(
            f"cannot break counts down by {', '.join(map(repr, unknown))};"
            " pass any of 'surface', 'version' and 'week', or nothing for all three"
        )
    return tuple(name for name in BREAKDOWNS if name in names)


def _tally(keys: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return counts


def _shares(hits: Mapping[str, int], sizes: Mapping[str, int]) -> dict[str, Share]:
    return {group: Share.of(hits.get(group, 0), sizes[group]) for group in sorted(sizes)}
