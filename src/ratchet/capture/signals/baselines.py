"""What a normal run costs and how long it takes, per service and surface, for outlier detection.

Cost and latency of agent runs are skewed: most runs are cheap and quick, a
few are many times the median, and a mean or a standard deviation follows
those few. The bound here is robust: on the logarithm of the values, the
median plus 3.5 scaled median absolute deviations (the modified z-score
threshold of Iglewicz and Hoaglin), and never less than twice the median,
so a surface whose runs all cost nearly the same does not flag a run that
costs 10% more. Percentiles (p95, p99) ride along for the evidence.

Runs are compared with their own kind: statistics are kept per (service,
surface), and per service across surfaces as the fallback when a surface
has too few runs. With fewer than ``min_traces`` runs, there is no
baseline and nothing is flagged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ratchet.capture.signals.views import TraceView
from ratchet.core.traces import Trace

#: Fewest runs a baseline is built from; below it, percentiles of a handful mean little.
MIN_TRACES = 30
#: Modified z-score above which a run is an outlier.
Z_BOUND = 3.5
#: The bound is never below this multiple of the median.
MIN_RATIO = 2.0
#: MAD is scaled by this to estimate a standard deviation (normal consistency).
MAD_SCALE = 1.4826
#: Smallest spread assumed on the log scale (a 15% variation), so that runs that are all
#: alike (MAD zero) still give a finite bound; ``MIN_RATIO`` then decides.
MIN_LOG_SPREAD = math.log(1.15)
#: Service or surface of runs that did not name one.
UNNAMED = "(none)"
#: The surface key of a service's statistics over all its surfaces.
ANY_SURFACE = "*"

Metric = Literal["cost", "latency"]
Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Stats:
    """One metric's distribution on one (service, surface).

    Attributes:
        count: runs it was built from.
        median, p95, p99: of the raw values.
        bound: values above it are outliers.
    """

    count: int
    median: float
    p95: float
    p99: float
    bound: float

    def strength(self, value: float) -> float:
        """0.5 at the bound, rising on a log scale to 1.0 at four times the bound."""
        if value <= self.bound or self.bound <= 0:
            return 0.0
        return min(1.0, 0.5 + 0.5 * math.log(value / self.bound) / math.log(4.0))

    def as_dict(self) -> dict[str, float]:
        return {
            "count": self.count,
            "median": self.median,
            "p95": self.p95,
            "p99": self.p99,
            "bound": self.bound,
        }


def _rank(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    index = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))
    return ordered[index]


def _median(ordered: list[float]) -> float:
    n = len(ordered)
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def stats_of(values: Iterable[float]) -> Stats | None:
    """The distribution of positive values; None when there are none."""
    ordered = sorted(v for v in values if v > 0)
    if not ordered:
        return None
    logs = [math.log(v) for v in ordered]
    centre = _median(logs)
    mad = _median(sorted(abs(x - centre) for x in logs))
    spread = max(MAD_SCALE * mad, MIN_LOG_SPREAD)
    median = _median(ordered)
    bound = max(math.exp(centre + Z_BOUND * spread), MIN_RATIO * median)
    return Stats(len(ordered), median, _rank(ordered, 0.95), _rank(ordered, 0.99), bound)


@dataclass(frozen=True, slots=True)
class Sample:
    """What a baseline needs of one run."""

    service: str | None
    surface: str | None
    cost: float | None
    duration_ms: float | None


def trace_sample(trace: Trace) -> Sample:
    """A run's sample, read the way detection reads it."""
    view = TraceView(trace)
    return Sample(trace.service, trace.surface, view.cost, view.duration_ms)


def key_of(service: str | None, surface: str | None) -> Key:
    return (service or UNNAMED, surface or UNNAMED)


@dataclass(frozen=True)
class Baselines:
    """Cost and latency statistics per (service, surface), and per service.

    Build with :meth:`from_traces` or :meth:`build`; keep with
    :meth:`to_dict` / :meth:`from_dict` (a background job may rebuild them
    from the last few thousand runs now and then and reuse them between).
    """

    cost: Mapping[Key, Stats]
    latency: Mapping[Key, Stats]
    min_traces: int = MIN_TRACES

    @classmethod
    def build(cls, samples: Iterable[Sample], *, min_traces: int = MIN_TRACES) -> Baselines:
        """Statistics of every (service, surface) and service with at least ``min_traces`` runs."""
        costs: dict[Key, list[float]] = {}
        latencies: dict[Key, list[float]] = {}
        for sample in samples:
            key = key_of(sample.service, sample.surface)
            keys = (key, (key[0], ANY_SURFACE))
            if sample.cost is not None:
                for k in keys:
                    costs.setdefault(k, []).append(sample.cost)
            if sample.duration_ms is not None:
                for k in keys:
                    latencies.setdefault(k, []).append(sample.duration_ms)
        return cls(_fit(costs, min_traces), _fit(latencies, min_traces), min_traces)

    @classmethod
    def from_traces(cls, traces: Iterable[Trace], *, min_traces: int = MIN_TRACES) -> Baselines:
        """Baselines of these traces (their spans give cost; their times give latency)."""
        return cls.build((trace_sample(t) for t in traces), min_traces=min_traces)

    def lookup(self, metric: Metric, service: str | None, surface: str | None) -> Stats | None:
        """The statistics a run is compared with: its surface's, else its service's, else None."""
        table = self.cost if metric == "cost" else self.latency
        key = key_of(service, surface)
        found = table.get(key)
        if found is None:
            found = table.get((key[0], ANY_SURFACE))
        return found

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form, read back by :meth:`from_dict`."""
        return {
            "min_traces": self.min_traces,
            "cost": [_entry(k, s) for k, s in sorted(self.cost.items())],
            "latency": [_entry(k, s) for k, s in sorted(self.latency.items())],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Baselines:
        return cls(
            _read(data.get("cost", [])),
            _read(data.get("latency", [])),
            int(data.get("min_traces", MIN_TRACES)),
        )


def _fit(values: dict[Key, list[float]], min_traces: int) -> dict[Key, Stats]:
    fitted: dict[Key, Stats] = {}
    for key, found in values.items():
        if len(found) >= min_traces:
            stats = stats_of(found)
            if stats is not None and stats.count >= min_traces:
                fitted[key] = stats
    return fitted


def _entry(key: Key, stats: Stats) -> dict[str, Any]:
    return {"service": key[0], "surface": key[1], **stats.as_dict()}


def _read(entries: Iterable[Mapping[str, Any]]) -> dict[Key, Stats]:
    return {
        (str(e["service"]), str(e["surface"])): Stats(
            int(e["count"]),
            float(e["median"]),
            float(e["p95"]),
            float(e["p99"]),
            float(e["bound"]),
        )
        for e in entries
    }
