"""How a run ended, read from the free-form ``final_status`` and ``stop_reason`` apps send.

Applications name their outcomes as they like ("resolved", "completed",
"success"; "failed", "error"). The detectors need a few coarse outcomes
only, so the common spellings are sorted here once, and a status nobody
listed counts as unknown rather than as a failure.
"""

from __future__ import annotations

from enum import Enum


class Outcome(Enum):
    """The coarse outcome of a run, as far as its final status says."""

    RESOLVED = "resolved"
    FAILED = "failed"
    PARTIAL = "partial"
    NEEDS_USER = "needs_user"
    HANDED_OFF = "handed_off"
    DECLINED = "declined"
    UNKNOWN = "unknown"


_SPELLINGS: dict[Outcome, tuple[str, ...]] = {
    Outcome.RESOLVED: (
        "resolved",
        "completed",
        "complete",
        "success",
        "succeeded",
        "successful",
        "ok",
        "done",
        "answered",
        "fulfilled",
        "finished",
    ),
    Outcome.FAILED: (
        "failed",
        "failure",
        "fail",
        "error",
        "errored",
        "crashed",
        "aborted",
        "cancelled",
        "canceled",
        "timeout",
        "timed_out",
        "unresolved",
        "unanswered",
    ),
    Outcome.PARTIAL: ("partial", "partially_completed", "incomplete", "truncated"),
    Outcome.NEEDS_USER: (
        "needs_user",
        "needs_input",
        "needs_clarification",
        "needs_user_input",
        "waiting_for_user",
        "awaiting_user",
        "awaiting_input",
        "clarification",
    ),
    Outcome.HANDED_OFF: (
        "needs_human",
        "needs_approval",
        "pending_approval",
        "awaiting_approval",
        "escalated",
        "handed_off",
        "handoff",
        "transferred",
    ),
    Outcome.DECLINED: ("declined", "refused", "denied", "rejected", "blocked"),
}
_OUTCOMES: dict[str, Outcome] = {
    spelling: outcome for outcome, spellings in _SPELLINGS.items() for spelling in spellings
}

#: Stop reasons that mean the run was cut off by a limit, not finished.
LIMIT_STOP_REASONS = frozenset(
    {
        "max_tokens",
        "max_output_tokens",
        "length",
        "token_limit",
        "model_length",
        "context_length_exceeded",
        "context_window_exceeded",
        "max_steps",
        "max_iterations",
        "max_turns",
        "max_tool_calls",
        "step_limit",
        "iteration_limit",
        "turn_limit",
        "recursion_limit",
        "timeout",
        "timed_out",
        "time_limit",
        "deadline_exceeded",
        "budget_exceeded",
        "max_budget",
        "cost_limit",
        "truncated",
    }
)
#: Finish reasons of a model call that mean its output was cut off.
CUT_OFF_FINISH_REASONS = frozenset({"length", "max_tokens", "max_output_tokens", "model_length"})


def _key(value: str) -> str:
    return value.strip().lower().replace("-", "_").replace(" ", "_")


def outcome_of(final_status: str | None) -> Outcome:
    """The coarse outcome a final status names; UNKNOWN when absent or unlisted."""
    if not final_status:
        return Outcome.UNKNOWN
    return _OUTCOMES.get(_key(final_status), Outcome.UNKNOWN)


def limit_stop(stop_reason: str | None) -> bool:
    """The stop reason says a limit ended the run (tokens, steps, time, budget)."""
    return bool(stop_reason) and _key(stop_reason or "") in LIMIT_STOP_REASONS


def cut_off_finish(reason: object) -> bool:
    """A model call's finish reason (a string or a list of them) says it was cut off."""
    if isinstance(reason, str):
        return _key(reason) in CUT_OFF_FINISH_REASONS
    if isinstance(reason, list | tuple):
        return any(isinstance(r, str) and _key(r) in CUT_OFF_FINISH_REASONS for r in reason)
    return False
