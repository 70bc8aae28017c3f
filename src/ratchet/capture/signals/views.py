"""What detectors read: a trace (or a session) with the lookups they share, built once.

Ten detectors on one trace would each sort its spans, find its root, pick
out its tool calls and dig the user's message out of its payloads; done
once here and shared, that work stays a small part of detection. Each
lookup is computed on first use, so a detector that needs none of them
costs nothing extra.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from ratchet.capture.signals.outcomes import Outcome, outcome_of
from ratchet.capture.signals.text import normalise
from ratchet.capture.signals.transcript import Transcript, read_transcript
from ratchet.core.spans import Span, SpanStatus, SpanType
from ratchet.core.traces import Trace

if TYPE_CHECKING:
    from ratchet.capture.signals.baselines import Baselines

#: Attributes that mark a span as a side effect: replay sets the first,
#: instrumented tools (the demo's, for one) the second.
SIDE_EFFECT_ATTRIBUTES = ("ratchet.side_effect", "ratchet.tool.side_effect")
#: How long a session must be quiet before its end counts as the user leaving.
DEFAULT_SESSION_IDLE = timedelta(minutes=30)

_T = TypeVar("_T")
_start = attrgetter("start")


def _timestamp(span: Span) -> float:
    return span.start.timestamp()


class lazy(Generic[_T]):
    """A value computed on first read and then kept on the instance.

    ``functools.cached_property`` takes a lock on every first read in Python
    3.11; detection makes tens of thousands of first reads per second, one
    thread per view, so the lock is pure cost.
    """

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> lazy[_T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> lazy[_T] | _T:
        if instance is None:
            return self
        value = self._compute(instance)
        # Stored under the same name: the instance attribute now shadows this descriptor.
        instance.__dict__[self._name] = value
        return value


@dataclass(frozen=True)
class Context:
    """What one detection pass knows beyond the traces.

    Attributes:
        baselines: per-surface cost and latency statistics for outlier detection.
        now: the time detection runs; None when the data is complete (a batch
            over past traffic), so every session counts as finished.
        session_idle: how long after its last trace a session counts as over.
    """

    baselines: Baselines | None = None
    now: datetime | None = None
    session_idle: timedelta = DEFAULT_SESSION_IDLE


def is_side_effect(span: Span) -> bool:
    """The span's attributes mark it as changing the world (a refund, an e-mail sent)."""
    attributes = span.attributes
    if not attributes:
        return False
    for key in SIDE_EFFECT_ATTRIBUTES:
        value = attributes.get(key)
        if value is True or (isinstance(value, str) and value.lower() == "true"):
            return True
    return False


class TraceView:
    """One trace as detectors read it.

    Attributes:
        trace: the trace itself, unchanged.
        context: the detection pass's baselines and time.
    """

    def __init__(self, trace: Trace, context: Context | None = None) -> None:
        self.trace = trace
        self.context = context or Context()

    @property
    def trace_id(self) -> str:
        return self.trace.trace_id

    @property
    def session_id(self) -> str | None:
        return self.trace.session_id

    @lazy
    def spans(self) -> list[Span]:
        """Spans in run order: start time, ties kept in the order stored."""
        spans = self.trace.spans
        try:
            # Stored spans come in start order already; sorting them costs one pass.
            return sorted(spans, key=_start)
        except TypeError:  # naive and aware times mixed: compare as timestamps
            return sorted(spans, key=_timestamp)

    @lazy
    def root(self) -> Span | None:
        """The root span: the one the trace names, else the first without a parent here."""
        spans = self.spans
        if not spans:
            return None
        root_id = self.trace.root_span_id
        if root_id is not None:
            for span in spans:
                if span.span_id == root_id:
                    return span
        ids = {span.span_id for span in spans}
        for span in spans:
            if span.parent_span_id is None or span.parent_span_id not in ids:
                return span
        return spans[0]

    @lazy
    def tool_spans(self) -> list[Span]:
        """Tool calls in run order."""
        return [s for s in self.spans if s.type is SpanType.TOOL]

    @lazy
    def model_spans(self) -> list[Span]:
        """Model calls in run order."""
        return [s for s in self.spans if s.type is SpanType.MODEL]

    @lazy
    def transcript(self) -> Transcript:
        """The user's message, the final answer and the turn before, as the trace shows them."""
        return read_transcript(self.root, self.spans)

    @lazy
    def user_text(self) -> str | None:
        """The user's message, lower-cased with whitespace folded (what patterns match)."""
        user = self.transcript.user
        return normalise(user) if user else None

    @lazy
    def answer_text(self) -> str | None:
        """The final answer, lower-cased with whitespace folded."""
        answer = self.transcript.answer
        return normalise(answer) if answer else None

    @lazy
    def outcome(self) -> Outcome:
        """The coarse outcome its final status names."""
        return outcome_of(self.trace.final_status)

    @lazy
    def failed(self) -> bool:
        """The run failed: its final status says so, or its root span ended in error."""
        if self.outcome is Outcome.FAILED:
            return True
        root = self.root
        return root is not None and root.status is SpanStatus.ERROR

    @lazy
    def start(self) -> datetime | None:
        if self.trace.start is not None:
            return self.trace.start
        spans = self.spans
        return spans[0].start if spans else None

    @lazy
    def end(self) -> datetime | None:
        if self.trace.end is not None:
            return self.trace.end
        ends = [s.end for s in self.spans if s.end is not None]
        return max(ends, key=datetime.timestamp) if ends else self.start

    @lazy
    def duration_ms(self) -> float | None:
        """Wall time of the run: the trace's span, else its root's, else its spans' extent."""
        start, end = self.start, self.end
        if start is None or end is None:
            return None
        return (end.timestamp() - start.timestamp()) * 1000

    @lazy
    def cost(self) -> float | None:
        """What the run cost: the costs of its spans, never counting a parent and its child.

        Instrumentations may put a rolled-up cost on an agent span as well as
        the per-call costs on its model spans; a span whose descendant also
        carries a cost is left out so the sum counts each call once.
        """
        costed = [s for s in self.spans if s.cost is not None]
        if not costed:
            return None
        if len(costed) == 1:
            return float(costed[0].cost or 0.0)
        parents = {s.span_id: s.parent_span_id for s in self.spans}
        rolled_up: set[str] = set()
        for span in costed:
            parent = span.parent_span_id
            while parent is not None and parent not in rolled_up:
                rolled_up.add(parent)
                parent = parents.get(parent)
        return float(sum(s.cost or 0.0 for s in costed if s.span_id not in rolled_up))

    def span_evidence(self, span: Span) -> dict[str, Any]:
        """How evidence names one span: its id and ref, and its status message if any."""
        item: dict[str, Any] = {"span_id": span.span_id, "ref": f"{span.type.value}:{span.name}"}
        if span.status_message:
            item["status_message"] = span.status_message
        return item


class SessionView:
    """One session's traces in time order, as session detectors read them.

    Attributes:
        session_id: the session, or None for a trace sent without one (a
            one-trace "session": session-level findings that need a known
            conversation, abandonment for one, do not apply).
        traces: the session's traces, earliest first.
        context: the detection pass's baselines and time.
    """

    def __init__(
        self, session_id: str | None, traces: Sequence[TraceView], context: Context
    ) -> None:
        self.session_id = session_id
        self.traces = traces
        self.context = context

    @property
    def ended(self) -> bool:
        """Whether the session is over: complete data, or quiet for ``session_idle``."""
        now = self.context.now
        if now is None or not self.traces:
            return True
        last_end = self.traces[-1].end
        if last_end is None:
            return True
        return now.timestamp() - last_end.timestamp() >= self.context.session_idle.total_seconds()
