"""Implicit signals: detectors that read captured traces and sessions for signs of failure.

Pure functions, no I/O: :func:`detect` takes traces (with their spans) and
returns what the registered detectors found, as :class:`Detected` values a
caller turns into stored Signals (:meth:`Detected.to_signal`). Built-in
detectors (rephrasing, abandonment, corrective follow-ups, frustration,
partial completions, tool loops, tool errors, retries, policy denials,
cost and latency outliers) register themselves like any plugin would;
third-party detectors come in through the ``ratchet.detectors`` entry
point group.
"""

from ratchet.capture.signals.baselines import Baselines, Sample, Stats
from ratchet.capture.signals.detect import DetectionResult, detect, run_detectors
from ratchet.capture.signals.model import Detected
from ratchet.capture.signals.registry import (
    REGISTRY,
    RegisteredDetector,
    Scope,
    session_detector,
    trace_detector,
)
from ratchet.capture.signals.views import DEFAULT_SESSION_IDLE, Context, SessionView, TraceView

__all__ = [
    "DEFAULT_SESSION_IDLE",
    "REGISTRY",
    "Baselines",
    "Context",
    "Detected",
    "DetectionResult",
    "RegisteredDetector",
    "Sample",
    "Scope",
    "SessionView",
    "Stats",
    "TraceView",
    "detect",
    "run_detectors",
    "session_detector",
    "trace_detector",
]
