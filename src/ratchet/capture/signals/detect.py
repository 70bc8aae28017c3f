"""``detect``: run every registered detector over a batch of traces.

Trace detectors run on each trace; session detectors on each session (the
batch's traces grouped by ``session_id``, each group in start order). A
detector that raises, or yields something that is not a ``Detected``, is
reported and skipped: one bad detector (a third-party plugin, say) must
never cost the others' findings, nor stop ingest.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# Importing the built-in modules registers their detectors.
from ratchet.capture.signals import (  # noqa: F401
    abandonment,
    corrections,
    frustration,
    loops,
    outliers,
    partial,
    policy,
    rephrasing,
    retries,
    tool_errors,
)
from ratchet.capture.signals.baselines import Baselines, Sample
from ratchet.capture.signals.model import Detected, clamp
from ratchet.capture.signals.plugins import load_plugins, reason
from ratchet.capture.signals.registry import REGISTRY, RegisteredDetector, Scope
from ratchet.capture.signals.views import DEFAULT_SESSION_IDLE, Context, SessionView, TraceView
from ratchet.core.traces import Trace

logger = logging.getLogger("ratchet.signals")


@dataclass
class DetectionResult:
    """What a detection pass found, and what went wrong on the way.

    Attributes:
        detected: every finding, trace detectors' first (per trace, in the
            order given), then session detectors' (per session).
        problems: one line per broken plugin and per detector that raised
            or misbehaved, with how often.
    """

    detected: list[Detected] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def select_detectors(only: Collection[str] | None = None) -> list[RegisteredDetector]:
    """The detectors to run: all registered (plugins loaded), or those named in ``only``.

    Raises:
        ValueError: ``only`` names a detector nobody registered.
    """
    load_plugins()
    if only is None:
        return REGISTRY.all()
    unknown = [name for name in only if REGISTRY.get(name) is None]
    if unknown:
        known = ", ".join(REGISTRY.names())
        raise ValueError(f"unknown detector(s): {', '.join(sorted(unknown))}; known: {known}")
    return [d for d in REGISTRY.all() if d.name in only]


def group_sessions(views: Iterable[TraceView], context: Context) -> list[SessionView]:
    """The views as sessions, each in start order; a trace without a session stands alone."""
    groups: dict[str, list[TraceView]] = {}
    alone: list[SessionView] = []
    order: list[str | int] = []
    for view in views:
        session_id = view.session_id
        if session_id is None:
            order.append(len(alone))
            alone.append(SessionView(None, (view,), context))
            continue
        group = groups.get(session_id)
        if group is None:
            groups[session_id] = [view]
            order.append(session_id)
        else:
            group.append(view)
    sessions: list[SessionView] = []
    for item in order:
        if isinstance(item, int):
            sessions.append(alone[item])
            continue
        members = groups[item]
        if len(members) > 1:
            members.sort(key=_session_order)
        sessions.append(SessionView(item, tuple(members), context))
    return sessions


def _session_order(view: TraceView) -> tuple[int, float, str]:
    # Timestamps rather than datetimes: a trace without times, or with naive ones, must not
    # make the sort raise. Traces without a time go last.
    start = view.start
    if start is None:
        return (1, 0.0, view.trace_id)
    return (0, start.timestamp(), view.trace_id)


class _Runner:
    """Calls detectors, keeping their findings and counting their failures."""

    def __init__(self, result: DetectionResult) -> None:
        self.result = result
        self.failures: dict[str, tuple[int, str]] = {}

    def fail(self, name: str, why: str) -> None:
        count, first = self.failures.get(name, (0, why))
        self.failures[name] = (count + 1, first)

    def call(self, detector: RegisteredDetector, subject: TraceView | SessionView) -> None:
        try:
            found = list(detector.fn(subject))  # type: ignore[arg-type]
        except Exception as exc:
            self.fail(detector.name, f"raised {reason(exc)}")
            return
        for item in found:
            if not isinstance(item, Detected):
                self.fail(detector.name, f"yielded {type(item).__name__}, not Detected")
                continue
            strength = clamp(item.strength)
            if strength != item.strength:
                item = dataclasses.replace(item, strength=strength)
            self.result.detected.append(item)

    def report(self) -> None:
        for name, (count, first) in self.failures.items():
            times = "once" if count == 1 else f"{count} times"
            self.result.problems.append(f"detector {name!r} failed {times}; first: {first}")


def run_detectors(
    traces: Iterable[Trace],
    *,
    baselines: Baselines | None = None,
    only: Collection[str] | None = None,
    now: datetime | None = None,
    session_idle: timedelta = DEFAULT_SESSION_IDLE,
) -> DetectionResult:
    """Run the detectors over a batch of traces and say what they found and what broke.

    Args:
        traces: traces with their spans. Session detectors see the sessions
            as this batch holds them, so pass every trace of the sessions
            you want judged, not only the newest.
        baselines: cost and latency statistics for the outlier detectors; by
            default they are built from this batch (so a small batch flags
            nothing).
        only: names of the detectors to run; all registered ones by default.
        now: the time detection runs, so a session quiet for less than
            ``session_idle`` does not count as abandoned yet; None treats every
            session as finished (detection over past traffic).
        session_idle: how long a session must be quiet to count as over.

    Raises:
        ValueError: ``only`` names an unknown detector.
    """
    detectors = select_detectors(only)
    result = DetectionResult()
    result.problems.extend(plugin.message for plugin in load_plugins())
    context = Context(baselines, now, session_idle)
    views = [TraceView(trace, context) for trace in traces]
    if baselines is None:
        samples = (Sample(v.trace.service, v.trace.surface, v.cost, v.duration_ms) for v in views)
        context = Context(Baselines.build(samples), now, session_idle)
        for view in views:
            view.context = context
    runner = _Runner(result)
    per_trace = [d for d in detectors if d.scope is Scope.TRACE]
    per_session = [d for d in detectors if d.scope is Scope.SESSION]
    if per_trace:
        for view in views:
            for detector in per_trace:
                runner.call(detector, view)
    if per_session:
        for session in group_sessions(views, context):
            for detector in per_session:
                runner.call(detector, session)
    runner.report()
    return result


def detect(
    traces: Iterable[Trace],
    *,
    baselines: Baselines | None = None,
    only: Collection[str] | None = None,
    now: datetime | None = None,
    session_idle: timedelta = DEFAULT_SESSION_IDLE,
) -> list[Detected]:
    """What the detectors find in these traces (see :func:`run_detectors` for the arguments).

    Problems (a broken plugin, a detector that raised) are logged as
    warnings on the ``ratchet.signals`` logger; use :func:`run_detectors`
    to get them back instead.
    """
    result = run_detectors(
        traces, baselines=baselines, only=only, now=now, session_idle=session_idle
    )
    for problem in result.problems:
        logger.warning("%s", problem)
    return result.detected
