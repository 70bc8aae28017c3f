"""The check registry: built-ins and plugins register the same way.

A check is a pure function of a run (a Trace, with the agent's final output)
and the parameters a fixture gives it, returning a :class:`CheckResult`.
Built-in checks are keyed by the expectation field they read
(``required_spans``, ``budgets``…); plugin checks, installed through the
``ratchet.checks`` entry point, are keyed by name and configured under
``expect.checks`` in a fixture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from ratchet.core.traces import Trace
from ratchet.evaluate.checks.index import RunIndex
from ratchet.evaluate.results import CheckResult


@dataclass(frozen=True)
class Run:
    """What a check sees: the run's trace and its final output as text.

    ``index`` holds lookups over the trace (spans in run order, refs, tool
    calls…) built on first use and shared by every check of the run; a Run
    is a snapshot, so the trace must not change once checks have read it.
    """

    trace: Trace
    output: str | None

    @cached_property
    def index(self) -> RunIndex:
        return RunIndex(self.trace)


class CheckFn(Protocol):
    def __call__(self, run: Run, params: Any, /) -> CheckResult: ...


@dataclass(frozen=True)
class RegisteredCheck:
    name: str
    fn: CheckFn
    doc: str


class Registry:
    """Name → check. Registering a name twice is a mistake, said at once."""

    def __init__(self) -> None:
        self._checks: dict[str, RegisteredCheck] = {}

    def register(self, name: str, fn: CheckFn) -> None:
        if name in self._checks and self._checks[name].fn is not fn:
            raise ValueError(f"a check named {name!r} is already registered")
        doc = (fn.__doc__ or "").strip().splitlines()
        self._checks[name] = RegisteredCheck(name, fn, doc[0] if doc else "")

    def get(self, name: str) -> RegisteredCheck | None:
        return self._checks.get(name)

    def names(self) -> list[str]:
        return sorted(self._checks)


REGISTRY = Registry()


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under ``name`` (decorator)."""

    def decorate(fn: CheckFn) -> CheckFn:
        REGISTRY.register(name, fn)
        return fn

    return decorate
