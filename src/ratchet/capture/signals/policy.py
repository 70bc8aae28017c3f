"""Policy denials: a policy, guardrail or approver said no during the run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ratchet.capture.signals.model import Detected
from ratchet.capture.signals.registry import trace_detector
from ratchet.capture.signals.views import TraceView, is_side_effect
from ratchet.core.signals import SignalKind
from ratchet.core.spans import SpanStatus, SpanType

#: Strength by the kind of span that denied: a person's "no" weighs more than a rule's.
STRENGTH_BY_TYPE = {SpanType.APPROVAL: 0.4, SpanType.POLICY: 0.3}
#: Strength of a denial recorded on another kind of span (a guarded tool, say).
OTHER_STRENGTH = 0.3


@trace_detector("policy_denial")
def policy_denial(view: TraceView) -> Iterator[Detected]:
    """Spans that ended ``denied``: policy checks, approvals, guarded tools.

    A denial is often the system working as meant (a refund outside the
    window refused), so the signal is weak on its own; it marks the runs
    where a user met a "no", which is where wrong refusals hide. The
    evidence lists the denials and any side-effect calls made after the
    first one, for the reviewer to judge whether the denial was heeded.

    Strength: 0.4 when an approval was denied, 0.3 for a policy or other span.
    """
    denials = [s for s in view.spans if s.status is SpanStatus.DENIED]
    if not denials:
        return
    first_end = denials[0].end or denials[0].start
    after = [
        view.span_evidence(s)
        for s in view.spans
        if s.start >= first_end and s.type is SpanType.TOOL and is_side_effect(s)
    ]
    items: list[dict[str, Any]] = []
    for span in denials:
        item = view.span_evidence(span)
        if span.output is not None:
            item["output"] = span.output
        items.append(item)
    strength = max(STRENGTH_BY_TYPE.get(s.type, OTHER_STRENGTH) for s in denials)
    yield Detected(
        SignalKind.POLICY_DENIAL,
        strength,
        view.trace_id,
        view.session_id,
        "policy_denial",
        {"denials": items, "count": len(items), "side_effects_after": after},
    )
