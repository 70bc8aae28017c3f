"""The gate's summary for people: the decision, what held it, and the evidence.

Printed through Rich; when stdout is not a terminal (CI logs) there is no
styling and nothing is truncated, so ids, refs and paths stay whole.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from ratchet.gate.report import GateReport, Verdict


def _verdict_lines(v: Verdict) -> list[str]:
    where = f" ({escape(v.path)})" if v.path else ""
    owner = escape(v.owner) if v.owner else "no owner"
    head = f"  [bold]{escape(v.id)}[/]{where} — {v.severity}, owner {owner}"
    if v.failure_mode:
        head += f", failure mode {escape(v.failure_mode)}"
    lines = [head]
    if v.outcome == "flaky":
        lines.append(
            f"    flaky: attempts {', '.join(v.attempts)}; {owner} should make it deterministic"
        )
    if v.reason:
        lines.append(f"    {escape(v.reason)}")
    for check in v.failed_checks:
        refs = f"  [dim]evidence: {escape(', '.join(check.refs))}[/]" if check.refs else ""
        lines.append(f"    ✗ {escape(check.check)}: {escape(check.message)}{refs}")
    lines.extend(f"    ! {escape(f)}" for f in v.findings)
    return lines


def print_report(report: GateReport, console: Console) -> None:
    change = ", ".join(report.change.types) or "nothing"
    if report.kind == "gate":  # `ratchet run` replays every fixture: nothing to say about changes
        console.print(f"changed: {escape(change)} (from {escape(report.change.source)})")
    if report.change.unmatched:
        shown = ", ".join(report.change.unmatched[:5])
        more = (
            f" and {len(report.change.unmatched) - 5} more"
            if len(report.change.unmatched) > 5
            else ""
        )
        console.print(
            f"  files outside every artifact glob count as every change type: {escape(shown)}{more}"
        )
    counts = [
        f"{len(report.verdicts)} fixtures run",
        f"{report.count('passed')} passed",
        f"{report.count('failed')} failed",
    ]
    for word in ("error", "flaky"):
        if report.count(word):
            counts.append(f"{report.count(word)} {word}")
    if report.skipped_expired:
        counts.append(f"{len(report.skipped_expired)} expired (skipped)")
    console.print(", ".join(counts) + f" in {report.duration_s:.1f} s")
    held = report.held
    if held:
        console.print(f"\n[bold red]held by {len(held)} blocking fixture(s):[/]")
        for v in held:
            for line in _verdict_lines(v):
                console.print(line, highlight=False)
    waived = [v for v in report.verdicts if v.waived]
    if waived:
        console.print("\n[yellow]waived:[/]")
        for v in waived:
            if v.waived:
                console.print(
                    f"  {escape(v.id)} by {escape(v.waived.by)}: {escape(v.waived.reason)}",
                    highlight=False,
                )
    # Exploratory results are recorded only (stored, and in the report files), not detailed here.
    unpassed = [v for v in report.verdicts if not v.held and not v.waived and v.outcome != "passed"]
    warned = [v for v in unpassed if v.severity != "exploratory"]
    if warned:
        console.print(f"\n[yellow]not blocking ({len(warned)}):[/]")
        for v in warned:
            for line in _verdict_lines(v):
                console.print(line, highlight=False)
    if explored := len(unpassed) - len(warned):
        console.print(f"{explored} exploratory fixture(s) did not pass (recorded only)")
    noted = report.passing_findings()
    if noted:
        console.print("\n[yellow]findings on passing fixtures:[/]")
        for fixture_id, finding in noted:
            console.print(f"  {escape(fixture_id)}: {escape(finding)}", highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    if report.decision == "held":
        console.print(
            "\n[bold red]HELD[/]: this release must not ship until the fixtures above pass."
        )
    else:
        console.print("\n[bold green]PASSED[/]: no blocking fixture failed.")
