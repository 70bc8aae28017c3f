"""Cost and latency outliers: runs far above what their service and surface usually take.

Compared with the pass's :class:`~ratchet.capture.signals.baselines.Baselines`
(robust bounds per service and surface); with no baseline for a run's
surface (too few runs seen), nothing fires.
"""

from __future__ import annotations

from collections.abc import Iterator

from ratchet.capture.signals.baselines import Metric
from ratchet.capture.signals.model import Detected, clamp
from ratchet.capture.signals.registry import trace_detector
from ratchet.capture.signals.views import TraceView
from ratchet.core.signals import SignalKind


def _outlier(
    view: TraceView, metric: Metric, value: float | None, kind: SignalKind, unit: str
) -> Iterator[Detected]:
    baselines = view.context.baselines
    if baselines is None or value is None:
        return
    trace = view.trace
    stats = baselines.lookup(metric, trace.service, trace.surface)
    if stats is None or value <= stats.bound:
        return
    yield Detected(
        kind,
        clamp(stats.strength(value)),
        view.trace_id,
        view.session_id,
        f"{metric}_outlier",
        {
            "value": round(value, 6),
            "unit": unit,
            "times_median": round(value / stats.median, 2) if stats.median else None,
            "service": trace.service,
            "surface": trace.surface,
            "baseline": stats.as_dict(),
        },
    )


@trace_detector("cost_outlier")
def cost_outlier(view: TraceView) -> Iterator[Detected]:
    """A run that cost far more than its service and surface usually cost.

    Cost is the sum of the run's span costs (a rolled-up cost on a parent
    is not counted twice). The bound is robust (see ``baselines``).

    Strength: 0.5 just above the bound, rising on a log scale to 1.0 at four
    times the bound.
    """
    yield from _outlier(view, "cost", view.cost, SignalKind.COST_OUTLIER, "cost")


@trace_detector("latency_outlier")
def latency_outlier(view: TraceView) -> Iterator[Detected]:
    """A run that took far longer than its service and surface usually take.

    Latency is the run's wall time (its first span's start to its last
    span's end). The bound is robust (see ``baselines``).

    Strength: 0.5 just above the bound, rising on a log scale to 1.0 at four
    times the bound.
    """
    yield from _outlier(view, "latency", view.duration_ms, SignalKind.LATENCY_OUTLIER, "ms")
