"""Retries: a tool or model call made again after it failed, or marked as a retry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ratchet.capture.signals.model import Detected, clamp
from ratchet.capture.signals.registry import trace_detector
from ratchet.capture.signals.views import TraceView
from ratchet.core.signals import SignalKind
from ratchet.core.spans import Span, SpanStatus, SpanType

#: Attributes by which an instrumentation marks a call as a retry: a count of
#: attempts before it (``http.request.resend_count``, from OTel's HTTP
#: conventions) or its attempt number (the first attempt is 1).
RESEND_COUNT_ATTRIBUTES = ("http.request.resend_count", "ratchet.retry.count", "retry.count")
ATTEMPT_ATTRIBUTES = ("ratchet.retry.attempt", "retry.attempt")
RETRY_ATTRIBUTES = frozenset(RESEND_COUNT_ATTRIBUTES + ATTEMPT_ATTRIBUTES)


@dataclass
class _Episode:
    """One call failing and being made again, until it succeeds or the run stops trying."""

    ref: str
    spans: list[Span] = field(default_factory=list)
    attempts: int = 0
    succeeded: bool = False

    def evidence(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "attempts": self.attempts,
            "succeeded": self.succeeded,
            "span_ids": [s.span_id for s in self.spans],
        }


def _number(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def marked_attempt(span: Span) -> int:
    """The attempt number the span's attributes state; 1 when they say nothing."""
    attributes = span.attributes
    if not attributes:
        return 1
    for key in RESEND_COUNT_ATTRIBUTES:
        count = _number(attributes.get(key))
        if count is not None and count >= 1:
            return count + 1
    for key in ATTEMPT_ATTRIBUTES:
        attempt = _number(attributes.get(key))
        if attempt is not None and attempt > 1:
            return attempt
    return 1


def _episodes(view: TraceView) -> list[_Episode]:
    """Retry episodes in run order: failed-then-called-again, or marked by attributes."""
    found: list[_Episode] = []
    open_by_ref: dict[str, _Episode] = {}
    for span in view.spans:
        kind = span.type
        if kind is not SpanType.TOOL and kind is not SpanType.MODEL:
            continue
        ref = f"{kind.value}:{span.name}"
        failed = span.status is SpanStatus.ERROR
        episode = open_by_ref.get(ref)
        if episode is not None:
            episode.spans.append(span)
            episode.attempts += 1
            if not failed:
                episode.succeeded = True
                del open_by_ref[ref]
            continue
        attempt = marked_attempt(span)
        if attempt > 1:
            # Retried inside one span (an HTTP client's resend): earlier attempts left no span.
            marked = _Episode(ref, [span], attempt, succeeded=not failed)
            found.append(marked)
            if failed:
                open_by_ref[ref] = marked
        elif failed:
            episode = _Episode(ref, [span], 1)
            found.append(episode)
            open_by_ref[ref] = episode
    return [e for e in found if e.attempts > 1]


@trace_detector("retry")
def retry(view: TraceView) -> Iterator[Detected]:
    """Tool or model calls retried after failing (or marked as retries by their attributes).

    A retry is the same tool (or the same model step) called again after a
    failed call, whatever the arguments; one signal per run lists each
    episode with its attempts and whether it ended in success.

    Strength: 0.3 when every retried call finally succeeded (the run got
    there, slower); 0.6 when one never did; 0.1 more per attempt beyond the
    second in the longest episode.
    """
    calls = view.tool_spans + view.model_spans
    if not any(s.status is SpanStatus.ERROR for s in calls) and not any(
        s.attributes and not RETRY_ATTRIBUTES.isdisjoint(s.attributes) for s in calls
    ):
        return
    episodes = _episodes(view)
    if not episodes:
        return
    gave_up = any(not e.succeeded for e in episodes)
    most = max(e.attempts for e in episodes)
    yield Detected(
        SignalKind.RETRY,
        clamp((0.6 if gave_up else 0.3) + 0.1 * max(0, most - 2)),
        view.trace_id,
        view.session_id,
        "retry",
        {
            "retried": [e.evidence() for e in episodes],
            "episodes": len(episodes),
            "all_succeeded": not gave_up,
        },
    )
