"""The detector registry: built-ins and plugins register the same way.

A detector is a pure function that looks at one trace or at one session
and yields what it found:

```python
from ratchet.capture.signals import Detected, TraceView, trace_detector
from ratchet.core.signals import SignalKind


@trace_detector("refund_without_order")
def refund_without_order(view: TraceView):
    # A refund issued without reading the order first.
    names = [s.name for s in view.tool_spans]
    if "issue_refund" in names and "read_order" not in names:
        yield Detected(SignalKind.TOOL_ERROR, 0.8, view.trace_id, view.session_id,
                       "refund_without_order", {"tools": names})
```

Trace detectors receive a :class:`~ratchet.capture.signals.views.TraceView`
(the trace plus shared lookups: spans in order, root, tool calls, the
user's message and the final answer); session detectors receive a
:class:`~ratchet.capture.signals.views.SessionView` (the session's traces
in time order). Third-party packages register theirs through the
``ratchet.detectors`` entry point group (see ``plugins``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, TypeVar

from ratchet.capture.signals.model import Detected
from ratchet.capture.signals.views import SessionView, TraceView


class Scope(Enum):
    """What a detector looks at."""

    TRACE = "trace"
    SESSION = "session"


class TraceDetectorFn(Protocol):
    def __call__(self, view: TraceView, /) -> Iterable[Detected]: ...


class SessionDetectorFn(Protocol):
    def __call__(self, session: SessionView, /) -> Iterable[Detected]: ...


DetectorFn = TraceDetectorFn | SessionDetectorFn
_Fn = TypeVar("_Fn", TraceDetectorFn, SessionDetectorFn)


@dataclass(frozen=True)
class RegisteredDetector:
    """A detector under its name, with the first line of its docstring as its summary."""

    name: str
    scope: Scope
    fn: DetectorFn
    doc: str


class DetectorRegistry:
    """Name → detector. Registering a name twice is a mistake, said at once."""

    def __init__(self) -> None:
        self._detectors: dict[str, RegisteredDetector] = {}

    def register(self, name: str, scope: Scope, fn: DetectorFn) -> None:
        existing = self._detectors.get(name)
        if existing is not None and existing.fn is not fn:
            raise ValueError(f"a detector named {name!r} is already registered")
        doc = (fn.__doc__ or "").strip().splitlines()
        self._detectors[name] = RegisteredDetector(name, scope, fn, doc[0] if doc else "")

    def unregister(self, name: str) -> None:
        """Forget a detector (tests, and processes that unload a plugin)."""
        self._detectors.pop(name, None)

    def get(self, name: str) -> RegisteredDetector | None:
        return self._detectors.get(name)

    def names(self) -> list[str]:
        return sorted(self._detectors)

    def all(self) -> list[RegisteredDetector]:
        """Every detector, in registration order (built-ins first)."""
        return list(self._detectors.values())


REGISTRY = DetectorRegistry()


def _decorator(name: str, scope: Scope) -> Callable[[_Fn], _Fn]:
    def decorate(fn: _Fn) -> _Fn:
        REGISTRY.register(name, scope, fn)
        return fn

    return decorate


def trace_detector(name: str) -> Callable[[TraceDetectorFn], TraceDetectorFn]:
    """Register ``fn(view: TraceView) -> Iterable[Detected]`` under ``name`` (decorator)."""
    return _decorator(name, Scope.TRACE)


def session_detector(name: str) -> Callable[[SessionDetectorFn], SessionDetectorFn]:
    """Register ``fn(session: SessionView) -> Iterable[Detected]`` under ``name`` (decorator)."""
    return _decorator(name, Scope.SESSION)
