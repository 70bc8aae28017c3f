"""How the demo's people react to runs: the explicit feedback users and support staff give.

Explicit feedback is sparse and lopsided in real products: most failures get
none, a few get a thumbs-down, and the serious ones get reported or escalated
by staff. The plan mirrors that so the review queue shows why explicit
signals alone are not enough. It is a pure function of the runs and a seed;
posting goes through :func:`ratchet.sdk.feedback`, like an application would.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from ratchet.demo.agents.dates import describe
from ratchet.demo.agents.sessions import Turn
from ratchet.demo.agents.toolbox import RunOutcome
from ratchet.sdk import feedback

MONEY_RE = re.compile(r"\$[\d,]+\.\d\d")


@dataclass(frozen=True)
class RunRecord:
    """One production run, and what (if anything) went wrong in it."""

    service: str
    session_id: str
    turn: Turn
    outcome: RunOutcome
    failure: str | None


@dataclass(frozen=True)
class FeedbackItem:
    """One piece of feedback to post: on a trace, or on a whole session."""

    kind: str
    trace_id: str | None = None
    session_id: str | None = None
    comment: str | None = None
    corrected_output: Any = None


@dataclass
class PostedFeedback:
    """What was posted: how many signals, and on which traces and sessions."""

    count: int = 0
    trace_ids: list[str] = field(default_factory=list)
    session_ids: list[str] = field(default_factory=list)


def plan_feedback(records: Sequence[RunRecord], *, seed: int) -> list[FeedbackItem]:
    """The feedback people give on these runs, the same for the same runs and seed."""
    rng = random.Random(f"ratchet-demo-feedback:{seed}")
    items: list[FeedbackItem] = []
    for record in records:
        item = _react(record, rng.random())
        if item is not None:
            items.append(item)
    items.extend(_session_feedback(records, rng))
    return items


def post_feedback(
    records: Sequence[RunRecord], endpoint: str, api_key: str, client: httpx.Client, *, seed: int
) -> PostedFeedback:
    """Post :func:`plan_feedback`'s items; a refusal raises the SDK's FeedbackError."""
    posted = PostedFeedback()
    for item in plan_feedback(records, seed=seed):
        feedback(
            item.kind,
            trace_id=item.trace_id,
            session_id=item.session_id,
            comment=item.comment,
            corrected_output=item.corrected_output,
            url=endpoint,
            api_key=api_key,
            client=client,
        )
        posted.count += 1
        if item.trace_id is not None:
            posted.trace_ids.append(item.trace_id)
        elif item.session_id is not None:
            posted.session_ids.append(item.session_id)
    return posted


def _react(record: RunRecord, roll: float) -> FeedbackItem | None:
    trace_id = record.outcome.trace_id
    if record.failure == "wrong-date-anchor":
        return _wrong_date(record, roll)
    if record.failure == "skipped-approval":
        amount = MONEY_RE.search(record.outcome.output)
        money = amount.group(0) if amount else "the"
        if roll < 0.35:
            comment = (
                f"Customer was told their {money} refund was approved. Refunds over $500.00"
                " need a support lead's sign-off and nobody approved this one."
            )
            return FeedbackItem("report", trace_id, comment=comment)
        if roll < 0.55:
            comment = f"Escalating: {money} refund issued on the email route without approval."
            return FeedbackItem("escalation", trace_id, comment=comment)
        if roll < 0.65:
            comment = "Lead reversed the refund: above the threshold, needed approval first."
            return FeedbackItem("override", trace_id, comment=comment)
        return None
    if record.failure == "tool-error":
        return (
            FeedbackItem("thumbs_down", trace_id, comment="It just errored out.")
            if roll < 0.25
            else None
        )
    if record.outcome.final_status == "declined" and roll < 0.12:
        return FeedbackItem("thumbs_down", trace_id, comment="Unfair, I'm a loyal customer.")
    if record.outcome.final_status in ("resolved", "needs_human") and roll < 0.06:
        return FeedbackItem("thumbs_up", trace_id)
    return None


def _wrong_date(record: RunRecord, roll: float) -> FeedbackItem | None:
    trace_id = record.outcome.trace_id
    expected = record.turn.expected_day
    if roll < 0.30:
        return FeedbackItem("thumbs_down", trace_id, comment="Wrong day." if roll < 0.15 else None)
    if roll < 0.45 and expected is not None:
        corrected = f"You're booked for a follow-up on {describe(expected)}."
        return FeedbackItem(
            "correction",
            trace_id,
            comment="It booked the wrong day; this is the day I asked for.",
            corrected_output=corrected,
        )
    if roll < 0.52:
        asked = str(record.turn.case.input.get("user_message", ""))[:80]
        today = record.turn.case.context["today"]
        comment = f'Booked the wrong day again. Today is {today}; I wrote "{asked}"'
        return FeedbackItem("report", trace_id, comment=comment)
    return None


def _session_feedback(records: Sequence[RunRecord], rng: random.Random) -> list[FeedbackItem]:
    """Session-level verdicts from users who had to rephrase to get the right day."""
    turns: dict[str, list[RunRecord]] = {}
    for record in records:
        turns.setdefault(record.session_id, []).append(record)
    items = []
    for session_id, session in turns.items():
        rephrased = len(session) > 1 and session[0].failure == "wrong-date-anchor"
        if rephrased and rng.random() < 0.25:
            comment = "Took two tries to get the right day."
            items.append(FeedbackItem("thumbs_down", session_id=session_id, comment=comment))
    return items
