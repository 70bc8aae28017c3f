"""``ratchet check --trace ID FIXTURE``: a fixture's expectations against a stored trace.

No replay: the checks read the production trace itself, so a fixture can be
confirmed against the incident it came from (it should fail there) before
it guards a release. Also home to how check results are printed, which
``fixtures verify`` shares.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ratchet.cli import common

if TYPE_CHECKING:
    from ratchet.evaluate.results import CheckResult, Finding
    from ratchet.fixtures.model import Fixture

FixtureArgument = Annotated[
    Path,
    typer.Argument(help="The fixture file (YAML or JSON).", dir_okay=False, show_default=False),
]


def check(
    fixture: FixtureArgument,
    trace_id: Annotated[
        str,
        typer.Option(
            "--trace", help="The stored trace to check: 32 hex characters.", show_default=False
        ),
    ],
    project: common.ProjectOption = None,
    as_json: common.JsonOption = False,
) -> None:
    """Run a fixture's expectations against a stored trace, without replaying anything.

    Use it to confirm a fixture against the incident it came from: on the trace
    that showed the failure its checks should fail. The trace's final output is
    its root span's output. Exit 0 when every check passes, 1 when one fails,
    2 for an unknown trace or a fixture with nothing to check.
    """
    from ratchet.core.errors import RatchetError
    from ratchet.core.ids import is_trace_id
    from ratchet.evaluate.checks.apply import run_checks
    from ratchet.evaluate.checks.stored import stored_run
    from ratchet.fixtures.load import load_fixture_file

    wanted = trace_id.strip().lower()
    if not is_trace_id(wanted):
        raise RatchetError(f"--trace {trace_id!r} is not a trace id (32 hex characters)")
    loaded = load_fixture_file(fixture)
    require_checks(loaded, fixture)
    trace = common.read_trace(project, wanted)
    results = run_checks(loaded.expect, stored_run(trace))
    passed = all(r.passed for r in results)
    if as_json:
        common.emit_json(
            {
                "fixture_id": loaded.id,
                "trace_id": wanted,
                "passed": passed,
                "checks": [r.model_dump(mode="json") for r in results],
            }
        )
        raise typer.Exit(0 if passed else 1)
    out = common.get_console()
    out.print(f"{_plain(loaded.id)} against trace {wanted}:", highlight=False)
    print_checks(results)
    failed = sum(not r.passed for r in results)
    if passed:
        out.print(f"[green]passed[/]: all {len(results)} checks hold on this trace")
    else:
        out.print(
            f"[red]failed[/]: {failed} of {len(results)} checks fail on this trace",
            highlight=False,
        )
    sys.stdout.flush()
    raise typer.Exit(0 if passed else 1)


def require_checks(fixture: Fixture, path: Path) -> None:
    """Refuse a fixture whose expectations ask for no deterministic check: it proves nothing."""
    from ratchet.core.errors import RatchetError
    from ratchet.evaluate.checks.apply import BUILTIN_CHECKS, is_set

    expect = fixture.expect
    if expect.checks or any(is_set(getattr(expect, name)) for name in BUILTIN_CHECKS):
        return
    judged = " (only judges, which this command does not run)" if expect.judges else ""
    raise RatchetError(f"{path}: no expectations to check{judged}; write them under `expect:`")


def print_checks(results: Sequence[CheckResult], findings: Sequence[Finding] = ()) -> None:
    """One line per check (✓ or ✗, its message, the refs that decided it), then findings."""
    out = common.get_console()
    for result in results:
        mark = "[green]✓[/]" if result.passed else "[red]✗[/]"
        refs = f"  [dim]evidence: {_plain(', '.join(result.refs))}[/]" if result.refs else ""
        out.print(
            f"  {mark} {_plain(result.check)}: {_plain(result.message)}{refs}", highlight=False
        )
    for finding in findings:
        out.print(f"  [yellow]![/] {_plain(finding.message)}", highlight=False)


def _plain(text: str) -> str:
    from rich.markup import escape

    return escape(text)
