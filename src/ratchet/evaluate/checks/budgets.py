"""The budget check: upper bounds on what one run may spend."""

from __future__ import annotations

from dataclasses import dataclass

from ratchet.evaluate.checks.common import failed, number, passed
from ratchet.evaluate.checks.index import RunIndex
from ratchet.evaluate.checks.registry import Run, check
from ratchet.evaluate.results import CheckResult
from ratchet.fixtures.model import Budgets


@dataclass(frozen=True)
class Spend:
    """One measured quantity against its bound, and the spans to blame when over."""

    label: str
    measured: float
    bound: float
    blame: list[int]

    @property
    def over(self) -> bool:
        return self.measured > self.bound

    def __str__(self) -> str:
        sign = ">" if self.over else "≤"
        return f"{self.label} {number(self.measured)} {sign} {number(self.bound)}"


def _tokens(index: RunIndex) -> int:
    total = 0
    for span in index.spans:
        tokens = span.tokens
        if tokens is None:
            continue
        if tokens.total is not None:
            total += tokens.total
        else:
            total += (tokens.input or 0) + (tokens.output or 0)
    return total


def _latency_ms(index: RunIndex) -> float:
    spans = index.spans
    if not spans:
        return 0.0
    first = spans[0].start  # run order is start order
    last = max(span.end or span.start for span in spans)
    return (last - first).total_seconds() * 1000


def _retries(index: RunIndex) -> tuple[int, list[int]]:
    """The most calls of one tool beyond its first, and those extra calls."""
    worst: list[int] = []
    for calls in index.tool_calls.values():
        if len(calls) > len(worst):
            worst = calls
    return max(len(worst) - 1, 0), worst[1:]


def measure(index: RunIndex, budgets: Budgets) -> list[Spend]:
    """What the run spent, for each bound the budget sets (in the budget's field order)."""
    spends: list[Spend] = []
    if budgets.max_tool_calls is not None:
        tools = index.tool_positions
        spends.append(
            Spend("tool calls", len(tools), budgets.max_tool_calls, tools[budgets.max_tool_calls :])
        )
    if budgets.max_retries is not None:
        retries, extra = _retries(index)
        spends.append(Spend("retries", retries, budgets.max_retries, extra))
    if budgets.max_tokens is not None:
        spends.append(Spend("tokens", _tokens(index), budgets.max_tokens, []))
    if budgets.max_latency_ms is not None:
        spends.append(Spend("latency ms", _latency_ms(index), budgets.max_latency_ms, []))
    if budgets.max_cost is not None:
        cost = sum(span.cost for span in index.spans if span.cost is not None)
        spends.append(Spend("cost", cost, budgets.max_cost, []))
    return spends


@check("budgets")
def budgets(run: Run, bounds: Budgets | dict[str, float], /) -> CheckResult:
    """The run stayed within every bound set.

    - ``max_tool_calls``: tool spans in the run.
    - ``max_retries``: calls of one tool beyond its first, the most over all tools.
    - ``max_tokens``: the sum over spans of their total tokens (input + output
      when a span has no total).
    - ``max_latency_ms``: from the earliest span start to the latest span end.
    - ``max_cost``: the sum of the spans' cost.

    The message gives each measured value and its bound. Evidence: the tool
    calls past ``max_tool_calls`` and the repeated calls behind ``max_retries``.

    ```yaml
    expect:
      budgets: {max_tool_calls: 6, max_retries: 1, max_tokens: 8000, max_latency_ms: 20000}
    ```
    """
    if not isinstance(bounds, Budgets):
        bounds = Budgets.model_validate(bounds)
    index = run.index
    spends = measure(index, bounds)
    if not spends:
        return passed("budgets", "no bound set")
    over = [spend for spend in spends if spend.over]
    if over:
        blame = sorted({p for spend in over for p in spend.blame})
        return failed("budgets", "over budget: " + "; ".join(map(str, over)), index, blame)
    return passed("budgets", "within budget: " + "; ".join(map(str, spends)))
