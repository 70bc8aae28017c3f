"""Run the checks a fixture's expectations ask for, never letting one crash the run."""

from __future__ import annotations

import difflib
from typing import Any

# Importing the built-in modules registers their checks.
from ratchet.evaluate.checks import budgets, output, spans, status, tools  # noqa: F401
from ratchet.evaluate.checks.common import one_line
from ratchet.evaluate.checks.plugins import load_plugins
from ratchet.evaluate.checks.registry import REGISTRY, CheckFn, Run
from ratchet.evaluate.results import CheckResult
from ratchet.fixtures.model import Budgets, Expectations

#: Expectation fields that are not deterministic checks: judges read the first two,
#: and ``checks`` names the plugin checks.
NOT_CHECKS = frozenset({"reference_output", "judges", "checks"})
#: The built-in checks, in the order they run: the field order of Expectations.
BUILTIN_CHECKS: tuple[str, ...] = tuple(
    name for name in Expectations.model_fields if name not in NOT_CHECKS
)


def is_set(value: Any) -> bool:
    """Whether an expectation field asks for its check.

    Empty (``[]``, ``{}``, ``""``), false and None ask nothing, and neither
    does a budget without a bound.
    """
    if not value:
        return False
    if type(value) is Budgets:
        return any(getattr(value, bound) is not None for bound in Budgets.model_fields)
    return True


def _failed(name: str, message: str) -> CheckResult:
    return CheckResult(check=name, passed=False, message=message)


def run_one(name: str, fn: CheckFn, params: Any, run: Run) -> CheckResult:
    """One check's result; a check that raises or misbehaves fails, it does not crash."""
    try:
        result = fn(run, params)
    except Exception as exc:
        detail = one_line(str(exc))
        raised = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        return _failed(name, f"check {name} raised: {raised}")
    if not isinstance(result, CheckResult):
        return _failed(name, f"check {name} returned {type(result).__name__}, not a CheckResult")
    if result.check != name:
        result = result.model_copy(update={"check": name})
    return result


def _unknown(name: str) -> CheckResult:
    close = difflib.get_close_matches(name, REGISTRY.names(), n=3, cutoff=0.6)
    if close:
        hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
    else:
        hint = "no installed plugin registers it (entry point group ratchet.checks)"
    return _failed(name, f"unknown check {name!r}: {hint}")


def _plugin_checks(wanted: dict[str, Any], run: Run) -> list[CheckResult]:
    results: list[CheckResult] = []
    reported = False
    for name, params in wanted.items():
        registered = REGISTRY.get(name)
        if registered is None:
            load_plugins()
            registered = REGISTRY.get(name)
        if registered is not None:
            results.append(run_one(name, registered.fn, params, run))
            continue
        broken = load_plugins()
        if broken and not reported:
            # The missing check may be one a broken plugin would have registered:
            # say which plugins broke, once per run, before naming what is missing.
            results.extend(_failed(plugin.name, plugin.message) for plugin in broken)
            reported = True
        if not any(plugin.name == name for plugin in broken):
            results.append(_unknown(name))
    return results


def run_checks(expect: Expectations, run: Run) -> list[CheckResult]:
    """Every check the expectations ask for, in order: built-ins, then plugin checks.

    Built-ins run for each field that is set (non-empty, true, or given), in
    the field order of :class:`Expectations`; ``reference_output`` and
    ``judges`` are for judges, not checks. Then each plugin check named
    under ``expect.checks`` runs with its parameters. A check that raises
    gives a failed result ("check X raised: …"); an unknown name gives a
    failed result with the nearest registered names; a plugin that failed
    to load gives one failed result naming it.
    """
    results: list[CheckResult] = []
    for name in BUILTIN_CHECKS:
        value = getattr(expect, name)
        if not is_set(value):
            continue
        registered = REGISTRY.get(name)
        if registered is None:  # a field added to Expectations without its check
            results.append(_failed(name, f"no check registered for expectation {name!r}"))
            continue
        results.append(run_one(name, registered.fn, value, run))
    if expect.checks:
        results.extend(_plugin_checks(expect.checks, run))
    return results
