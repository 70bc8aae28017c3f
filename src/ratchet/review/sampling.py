"""Draw a review session's sample: signal-first, plus a random share for silent failures.

Reviewers have a fixed budget of attention, so most of a session goes to the
traces that signals (thumbs-down, corrections, tool loops, outliers…) say are
likely failures. Signals only see failures someone or something noticed; a
random share of the rest, including traces with no signal at all, is how
silent failures get found and how the counts stay honest about what
production looks like.

Ranking signal traces: a trace's score is its *strongest* signal, with the
sum of its strengths as the tie-break. A plain sum would let several weak,
correlated detectors (a tool error, the retry it caused and the latency
outlier that followed describe one event) outrank one strong, explicit
signal such as a user's report; the sum still decides between traces whose
strongest evidence is equally strong, since more corroboration makes a
failure likelier. Remaining ties go to the newer trace (it ran what is
deployed now), then to the smaller trace id, so the order never depends on
how the candidates were listed.

Reading order: signal picks stay strongest first, and the random picks are
spread evenly between them rather than appended. A reviewer who stops at
half the session has then still read half of the random share, so the
silent-failure check is never the part that gets skipped, and counts taken
mid-session are not skewed toward signalled traces.

Stratified samples (by surface or version) spread each part across the
strata in proportion to how many candidates each stratum has, using
largest-remainder rounding, so one busy surface cannot take the whole
session. A stratum that cannot fill its quota gives the rest to the others.
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

#: The candidate fields a sample can be stratified by.
STRATIFY_BY = ("surface", "version")

#: The reason given for a pick drawn at random.
RANDOM_REASON = "random"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A trace that may be drawn, with what sampling needs to know of it.

    Attributes:
        trace_id: The trace.
        start: When the trace started (newer traces win ties).
        surface: The product surface it ran on, if known.
        version: The version to stratify by (a prompt or service version), if known.
        signals: Signal kind to the strongest strength of that kind on this trace;
            empty when there is none. Strengths of 0 or less (a thumbs-up) are not
            evidence of a failure and do not make a trace a signal pick.
    """

    trace_id: str
    start: datetime
    surface: str | None = None
    version: str | None = None
    signals: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Pick:
    """One drawn trace and why: ``"signal:<kinds>"`` (strongest kind first) or ``"random"``."""

    trace_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class _Ranked:
    candidate: Candidate
    kinds: tuple[str, ...]  # signal kinds with a positive strength, strongest first
    strongest: float
    total: float


def draw_sample(
    candidates: Iterable[Candidate],
    size: int,
    *,
    random_share: float = 0.2,
    stratify: str | None = None,
    exclude: Collection[str] = frozenset(),
    rng: random.Random,
) -> list[Pick]:
    """Draw up to ``size`` distinct traces to review, in reading order.

    The random part is ``size × random_share`` rounded to the nearest whole
    trace, an exact half going to the signal part (the sample is
    signal-first). If there are too few signal traces, random picks fill the
    gap; if there are too few candidates overall, the sample is smaller than
    ``size``. The same candidates and the same seed always give the same
    sample, whatever order the candidates come in.

    Args:
        candidates: The traces to draw from. A trace listed twice counts once
            (its first listing).
        size: How many traces the session should hold, at least 1.
        random_share: The share drawn uniformly at random, from 0 to 1.
        stratify: ``"surface"``, ``"version"`` or None.
        exclude: Trace ids never to draw (already reviewed, say).
        rng: The random source of the random part; seed it for repeatable samples.

    Returns:
        The picks, signal picks strongest first with the random picks spread
        evenly between them.

    Raises:
        ValueError: On a size below 1, a share outside [0, 1] or an unknown
            stratify value; the message says what to pass instead.
    """
    _check_arguments(size, random_share, stratify)
    pool = _eligible(candidates, exclude)
    total = min(size, len(pool))
    if total == 0:
        return []

    def stratum(c: Candidate) -> str | None:
        key: str | None = None if stratify is None else getattr(c, stratify)
        return key

    sizes = _tally(stratum(r.candidate) for r in pool)
    signal_target = total - _random_part(total, random_share)

    # Signal part: each stratum's strongest traces, up to its proportional quota.
    signalled: dict[str | None, list[_Ranked]] = {}
    for ranked in _by_strength(r for r in pool if r.kinds):
        signalled.setdefault(stratum(ranked.candidate), []).append(ranked)
    quotas = _apportion(signal_target, sizes, {k: len(v) for k, v in signalled.items()})
    signal_picks = _by_strength(r for key, quota in quotas.items() for r in signalled[key][:quota])

    # Random part: uniform within each stratum over everything not yet drawn,
    # sized to fill the session even when the signal part fell short.
    taken = {r.candidate.trace_id for r in signal_picks}
    rest: dict[str | None, list[str]] = {}
    for ranked in sorted(pool, key=lambda r: r.candidate.trace_id):
        if ranked.candidate.trace_id not in taken:
            rest.setdefault(stratum(ranked.candidate), []).append(ranked.candidate.trace_id)
    quotas = _apportion(total - len(signal_picks), sizes, {k: len(v) for k, v in rest.items()})
    random_ids: list[str] = []
    for key in sorted(quotas, key=_stratum_order):
        random_ids.extend(rng.sample(rest[key], quotas[key]))
    rng.shuffle(random_ids)

    return _interleave(
        [Pick(r.candidate.trace_id, "signal:" + ",".join(r.kinds)) for r in signal_picks],
        [Pick(trace_id, RANDOM_REASON) for trace_id in random_ids],
    )


def _check_arguments(size: int, random_share: float, stratify: str | None) -> None:
    if size < 1:
        raise ValueError(
            f"a review sample needs a size of at least 1 (got {size});"
            " pass how many traces to read, e.g. 100"
        )
    if not 0.0 <= random_share <= 1.0:  # also refuses NaN
        raise ValueError(
            f"random_share must be between 0 and 1 (got {random_share});"
            " pass e.g. 0.2 to draw one trace in five at random"
        )
    if stratify is not None and stratify not in STRATIFY_BY:
        raise ValueError(f"cannot stratify by {stratify!r}; pass 'surface', 'version' or nothing")


def _eligible(candidates: Iterable[Candidate], exclude: Collection[str]) -> list[_Ranked]:
    seen: set[str] = set()
    pool: list[_Ranked] = []
    for c in candidates:
        if c.trace_id in seen or c.trace_id in exclude:
            continue
        seen.add(c.trace_id)
        # ``s > 0`` also drops NaN strengths: they are no evidence of anything.
        strengths = {kind: float(s) for kind, s in c.signals.items() if s > 0}
        kinds = tuple(sorted(strengths, key=lambda k: (-strengths[k], k)))
        pool.append(
            _Ranked(
                candidate=c,
                kinds=kinds,
                strongest=max(strengths.values(), default=0.0),
                total=math.fsum(strengths.values()),
            )
        )
    return pool


def _by_strength(items: Iterable[_Ranked]) -> list[_Ranked]:
    """Strongest first; then the larger sum, the newer trace, the smaller id (stable sorts)."""
    ordered = sorted(items, key=lambda r: r.candidate.trace_id)
    ordered.sort(key=lambda r: r.candidate.start, reverse=True)
    ordered.sort(key=lambda r: (-r.strongest, -r.total))
    return ordered


def _random_part(total: int, random_share: float) -> int:
    # Exact arithmetic: 100 × 0.29 must give 29, not 28.999….
    exact = total * Fraction(str(random_share))
    whole = math.floor(exact)
    return whole + 1 if exact - whole > Fraction(1, 2) else whole


def _tally(keys: Iterable[str | None]) -> dict[str | None, int]:
    counts: dict[str | None, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return counts


def _stratum_order(key: str | None) -> tuple[bool, str]:
    return (key is not None, key or "")


def _apportion(
    target: int, weights: Mapping[str | None, int], capacity: Mapping[str | None, int]
) -> dict[str | None, int]:
    """Split ``target`` across strata in proportion to ``weights``, never above ``capacity``.

    Largest-remainder rounding (ties to the heavier stratum, then by name);
    what a full stratum cannot take is split again among the others, so the
    total reaches ``target`` whenever the capacities allow.
    """
    given: dict[str | None, int] = {key: 0 for key in capacity}
    remaining = target
    while remaining > 0:
        open_keys = [k for k in capacity if capacity[k] > given[k] and weights.get(k, 0) > 0]
        if not open_keys:
            break
        weight = sum(weights[k] for k in open_keys)
        quota = {k: Fraction(remaining * weights[k], weight) for k in open_keys}
        share = {k: math.floor(q) for k, q in quota.items()}
        leftover = remaining - sum(share.values())
        by_remainder = sorted(
            open_keys, key=lambda k: (-(quota[k] - share[k]), -weights[k], _stratum_order(k))
        )
        for key in by_remainder[:leftover]:
            share[key] += 1
        for key in open_keys:
            step = min(share[key], capacity[key] - given[key])
            given[key] += step
            remaining -= step
    return {key: n for key, n in given.items() if n}


def _interleave(first: Sequence[Pick], second: Sequence[Pick]) -> list[Pick]:
    """Merge two runs so each is spread evenly over the result (``first`` wins ties)."""
    slots: list[tuple[Fraction, int, Pick]] = [
        (Fraction(2 * i + 1, 2 * len(first)), 0, pick) for i, pick in enumerate(first)
    ]
    slots += [(Fraction(2 * j + 1, 2 * len(second)), 1, pick) for j, pick in enumerate(second)]
    slots.sort(key=lambda slot: (slot[0], slot[1]))
    return [pick for _, _, pick in slots]
