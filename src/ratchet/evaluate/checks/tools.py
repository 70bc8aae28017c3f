"""Checks on the tools a run called, and with what."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ratchet.evaluate.checks.common import failed, listing, passed
from ratchet.evaluate.checks.index import RunIndex, tool_arguments
from ratchet.evaluate.checks.registry import Run, check
from ratchet.evaluate.checks.schemas import SchemaProblem, validator
from ratchet.evaluate.results import CheckResult


@check("tools_called")
def tools_called(run: Run, names: list[str], /) -> CheckResult:
    """Every listed tool was called at least once.

    Tools are named by tool name (a span of type ``tool`` whose name is the
    tool's), not by ref. The message names the tools never called.

    ```yaml
    expect:
      tools_called: [read_order, lookup_policy]
    ```
    """
    calls = run.index.tool_calls
    missing = [name for name in names if name not in calls]
    if missing:
        return failed("tools_called", f"never called: {listing(missing)}")
    return passed("tools_called", f"all {len(names)} tools called")


@check("tools_not_called")
def tools_not_called(run: Run, names: list[str], /) -> CheckResult:
    """None of the listed tools was called (side-effect intents count as calls).

    Evidence: the offending calls.

    ```yaml
    expect:
      tools_not_called: [issue_refund]
    ```
    """
    index = run.index
    calls = index.tool_calls
    called = [name for name in dict.fromkeys(names) if name in calls]
    if called:
        positions = sorted(p for name in called for p in calls[name])
        return failed("tools_not_called", f"called: {listing(called)}", index, positions)
    return passed("tools_not_called", f"none of {len(names)} tools called")


def _same(expected: Any, actual: Any) -> bool:
    """Equality that does not take ``true`` for ``1``."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, Mapping):
        return (
            isinstance(actual, Mapping)
            and expected.keys() == actual.keys()
            and all(_same(value, actual[key]) for key, value in expected.items())
        )
    if isinstance(expected, list | tuple):
        return (
            isinstance(actual, list | tuple)
            and len(expected) == len(actual)
            and all(_same(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return bool(expected == actual)


def subset(expected: Any, actual: Any) -> bool:
    """``actual`` has what ``expected`` says: mappings as subsets, all the way down."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and subset(value, actual[key]) for key, value in expected.items()
        )
    return _same(expected, actual)


def _is_schema_spec(spec: Mapping[str, Any]) -> bool:
    return len(spec) == 1 and isinstance(spec.get("schema"), Mapping)


def _tool_problem(index: RunIndex, tool: str, spec: Mapping[str, Any]) -> tuple[str, list[int]]:
    """Why the tool's calls do not meet ``spec`` ("" when they do), with the calls to blame."""
    calls = index.tool_calls.get(tool)
    if not calls:
        return f"{tool} never called", []
    spans = index.spans
    if _is_schema_spec(spec):
        try:
            validate = validator(spec["schema"])
        except SchemaProblem as exc:
            return f"{tool}: {exc}", []
        for number, position in enumerate(calls, 1):
            why = validate(tool_arguments(spans[position]))
            if why is not None:
                return f"{tool} call #{number} arguments: {why}", [position]
        return "", []
    if any(subset(spec, tool_arguments(spans[p])) for p in calls):
        return "", []
    shown = ", ".join(f"{key}={value!r}" for key, value in spec.items())
    count = f"{len(calls)} call{'s' * (len(calls) != 1)}"
    return f"no call of {tool} had {shown} ({count})", list(calls)


@check("tool_args")
def tool_args(run: Run, specs: dict[str, dict[str, Any]], /) -> CheckResult:
    """Tools were called with the expected arguments.

    ``{tool: {arg: value, …}}``: at least one call of the tool has those
    arguments (a subset match: other arguments may be there; nested
    mappings are compared as subsets too, lists must be equal).
    ``{tool: {schema: {…}}}``: the tool was called and the arguments of
    every call validate against that JSON Schema. A tool never called fails
    in both forms. Evidence: the calls that did not match (for a schema,
    the first invalid call).

    ```yaml
    expect:
      tool_args:
        issue_refund: {order_id: ord_123, amount: 840}
        send_email:
          schema:
            type: object
            required: [to, body]
            properties: {to: {type: string, minLength: 3}}
    ```
    """
    index = run.index
    problems: list[str] = []
    positions: list[int] = []
    for tool, spec in specs.items():
        problem, blame = _tool_problem(index, tool, spec)
        if problem:
            problems.append(problem)
            positions.extend(blame)
    if problems:
        return failed("tool_args", "; ".join(problems), index, sorted(set(positions)))
    return passed("tool_args", f"arguments of {listing(specs)} as expected")
