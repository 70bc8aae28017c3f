"""Partial completions: the run stopped before it finished what was asked.

Conservative on purpose: it fires on what the run itself says (a final
status of ``partial``, a stop reason naming a limit, a last model call cut
off at its token limit) and on one concrete count (the user named several
items of one kind and the run acted on only some), never on a guess at
what the answer should have covered. A run that stopped to ask the user,
handed over to a person, or refused is not partial: it finished its part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ratchet.capture.signals.loops import arguments_key, arguments_of
from ratchet.capture.signals.model import Detected
from ratchet.capture.signals.outcomes import Outcome, cut_off_finish, limit_stop
from ratchet.capture.signals.registry import trace_detector
from ratchet.capture.signals.views import TraceView, is_side_effect
from ratchet.core.signals import SignalKind

#: An identifier a user names: letters, then ``_`` or ``-``, then something with a digit
#: (``ord_10412``, ``inv-2026-77``).
ITEM_ID_RE = re.compile(r"\b([a-z][a-z0-9]*)[_-]([a-z0-9]*[0-9][a-z0-9_-]*)\b")
#: Outcomes that end a run without it being unfinished.
FINISHED_ELSEWHERE = frozenset({Outcome.NEEDS_USER, Outcome.HANDED_OFF, Outcome.DECLINED})
FINISH_REASON_ATTRIBUTES = ("gen_ai.response.finish_reasons", "llm.finish_reason")

STRENGTH_STATUS = 0.9
STRENGTH_STOP_REASON = 0.8
STRENGTH_CUT_OFF = 0.6
STRENGTH_MISSED_ITEMS = 0.5


def _last_model_cut_off(view: TraceView) -> str | None:
    """The span id of the run's last model call when its output was cut off at a limit."""
    models = view.model_spans
    if not models:
        return None
    last = models[-1]
    for key in FINISH_REASON_ATTRIBUTES:
        if cut_off_finish(last.attributes.get(key)):
            return last.span_id
    output = last.output
    if (
        isinstance(output, list)
        and output
        and isinstance(output[-1], dict)
        and cut_off_finish(output[-1].get("finish_reason"))
    ):
        return last.span_id
    return None


def _missed_items(view: TraceView) -> dict[str, Any] | None:
    """Items the user named that no side-effect call touched, when others of their kind were."""
    user = view.user_text
    if not user or ("_" not in user and "-" not in user):
        return None
    named = {m.group(0): m.group(1) for m in ITEM_ID_RE.finditer(user)}
    if len(named) < 2:
        return None
    acted: set[str] = set()
    span_ids: list[str] = []
    for span in view.tool_spans:
        if is_side_effect(span):
            text = arguments_key(arguments_of(span)).lower()
            found = {m.group(0) for m in ITEM_ID_RE.finditer(text)}
            if found:
                acted |= found
                span_ids.append(span.span_id)
    kinds = {named[i] for i in acted if i in named}
    requested = sorted(i for i, kind in named.items() if kind in kinds)
    missing = [i for i in requested if i not in acted]
    if len(requested) < 2 or not missing:
        return None
    return {
        "requested": requested,
        "acted_on": sorted(i for i in requested if i in acted),
        "missing": missing,
        "span_ids": span_ids,
    }


@trace_detector("partial_completion")
def partial_completion(view: TraceView) -> Iterator[Detected]:
    """The run stopped before finishing what was asked.

    Fires on a ``partial``/``incomplete`` final status; on a stop reason that
    names a limit (``max_tokens``, ``length``, ``max_steps``, ``timeout``…)
    unless the run says it resolved, asked the user, handed over or refused;
    on a last model call cut off at its token limit (same exceptions); or
    when the user named several items of one kind (``ord_1``, ``ord_2``)
    and side-effect calls acted on only some (asking the user, handing over
    and refusing excepted).

    Strength: 0.9 for the final status, 0.8 for a limit stop reason, 0.6
    for a cut-off model call, 0.5 for items left out; the strongest reason
    wins and the evidence lists every reason found.
    """
    trace = view.trace
    outcome = view.outcome
    finished = outcome is Outcome.RESOLVED or outcome in FINISHED_ELSEWHERE
    reasons: list[dict[str, Any]] = []
    strength = 0.0
    if outcome is Outcome.PARTIAL:
        reasons.append({"reason": "final_status", "final_status": trace.final_status})
        strength = STRENGTH_STATUS
    if not finished and limit_stop(trace.stop_reason):
        reasons.append({"reason": "stop_reason", "stop_reason": trace.stop_reason})
        strength = max(strength, STRENGTH_STOP_REASON)
    if not finished:
        cut_off = _last_model_cut_off(view)
        if cut_off is not None:
            reasons.append({"reason": "model_output_cut_off", "span_id": cut_off})
            strength = max(strength, STRENGTH_CUT_OFF)
    if outcome not in FINISHED_ELSEWHERE:
        missed = _missed_items(view)
        if missed is not None:
            reasons.append({"reason": "items_not_acted_on", **missed})
            strength = max(strength, STRENGTH_MISSED_ITEMS)
    if not reasons:
        return
    yield Detected(
        kind=SignalKind.PARTIAL_COMPLETION,
        strength=strength,
        trace_id=view.trace_id,
        session_id=view.session_id,
        detector="partial_completion",
        evidence={
            "reasons": reasons,
            "final_status": trace.final_status,
            "stop_reason": trace.stop_reason,
        },
    )
