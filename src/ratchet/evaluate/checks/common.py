"""Building check results, and the small helpers several checks share."""

from __future__ import annotations

from collections.abc import Iterable

from ratchet.evaluate.checks.index import RunIndex
from ratchet.evaluate.replay.construct import builder
from ratchet.evaluate.results import CheckResult

# Ten or so results per fixture, thousands of fixtures a second: built without
# validation (every value is a str, a bool or a fresh list of str made here).
_build = builder(
    CheckResult, {"check": "c", "passed": True, "message": "m", "evidence": [], "refs": []}
)


def make_result(
    check: str,
    passed: bool,
    message: str,
    evidence: list[str] | None = None,
    refs: list[str] | None = None,
) -> CheckResult:
    """A CheckResult, unvalidated: for values that are already of the right types."""
    return _build(
        {
            "check": check,
            "passed": passed,
            "message": message,
            "evidence": [] if evidence is None else evidence,
            "refs": [] if refs is None else refs,
        }
    )


def passed(check: str, message: str) -> CheckResult:
    return make_result(check, True, message)


def failed(
    check: str,
    message: str,
    index: RunIndex | None = None,
    positions: Iterable[int] = (),
) -> CheckResult:
    """A failed result pointing at the spans (by run position) that decided it."""
    at = list(positions)
    if index is None or not at:
        return make_result(check, False, message)
    return make_result(check, False, message, index.ids(at), index.refs_of(at))


def listing(items: Iterable[str], limit: int = 5) -> str:
    """``a, b, c`` — at most ``limit`` shown, so a message stays on one readable line."""
    shown = list(items)
    if len(shown) <= limit:
        return ", ".join(shown)
    return ", ".join(shown[:limit]) + f" (+{len(shown) - limit} more)"


def one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def number(value: float) -> str:
    """A measured value as people read it: no trailing ``.0``, no float noise."""
    return f"{value:,.6g}" if isinstance(value, float) else f"{value:,}"
