"""Checks on which spans a run has, and in what order."""

from __future__ import annotations

from ratchet.evaluate.checks.common import failed, listing, passed
from ratchet.evaluate.checks.registry import Run, check
from ratchet.evaluate.results import CheckResult


@check("required_spans")
def required_spans(run: Run, refs: list[str], /) -> CheckResult:
    """Every listed ref appears in the run.

    A ref is ``type:name`` (``tool:read_order``, ``approval:required``) and
    matches a span whose ref is exactly that. The message names the refs
    that are missing.

    ```yaml
    expect:
      required_spans: [tool:read_order, policy:refund_threshold, approval:required]
    ```
    """
    present = run.index.first_by_ref
    missing = [ref for ref in refs if ref not in present]
    if missing:
        return failed("required_spans", f"missing: {listing(missing)}")
    return passed("required_spans", f"all {len(refs)} required spans present")


@check("forbidden_spans")
def forbidden_spans(run: Run, refs: list[str], /) -> CheckResult:
    """No span has a listed ref.

    Side-effect calls that replay recorded as intents are spans too, so
    forbidding ``tool:issue_refund`` catches an agent that tried to refund
    even though nothing ran. Evidence: the offending spans.

    ```yaml
    expect:
      forbidden_spans: [tool:issue_refund, message:customer_promise_sent]
    ```
    """
    index = run.index
    by_ref = index.positions_by_ref
    found = [ref for ref in dict.fromkeys(refs) if ref in by_ref]
    if found:
        positions = sorted(p for ref in found for p in by_ref[ref])
        return failed("forbidden_spans", f"forbidden: {listing(found)}", index, positions)
    return passed("forbidden_spans", f"none of {len(refs)} forbidden spans present")


@check("order")
def order(run: Run, pairs: list[tuple[str, str]], /) -> CheckResult:
    """For each ``[A, B]``: every span matching B is preceded by a span matching A.

    Spans are ordered by start time, ties by their position in the trace. If
    no span matches B the pair holds (require B with ``required_spans``).
    A and B are refs, globs over refs (``tool:*``, shell-style) or
    ``@side_effect``, which matches any span whose attributes mark it as a
    side effect (``ratchet.side_effect`` or ``ratchet.tool.side_effect``
    true): replay marks the intents it records so, and applications may set
    it too. Evidence: the first B that came too early.

    ```yaml
    expect:
      order:
        - [approval:required, message:customer_reply]
        - [approval:required, "@side_effect"]   # approval before any side effect
    ```
    """
    index = run.index
    broken: list[str] = []
    positions: list[int] = []
    for before, after in pairs:
        first_after = index.first_match(after)
        if first_after is None:
            continue
        first_before = index.first_match(before)
        if first_before is None or first_before >= first_after:
            ref = index.refs[first_after]
            label = ref if ref == after else f"{ref} (matching {after})"
            broken.append(f"{label} has no {before} before it")
            positions.append(first_after)
    if broken:
        return failed("order", "; ".join(broken), index, positions)
    return passed("order", f"all {len(pairs)} order constraints hold")
