"""A pull-request comment: the decision first, then what held it and the evidence."""

from __future__ import annotations

from ratchet.gate.report import GateReport, Verdict


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _evidence(v: Verdict) -> str:
    parts = [f"`{c.check}`: {_cell(c.message)}" for c in v.failed_checks]
    if v.reason:
        parts.insert(0, _cell(v.reason))
    if v.outcome == "flaky":
        parts.append(f"flaky ({', '.join(v.attempts)})")
    return "<br>".join(parts) or v.outcome


def markdown(report: GateReport) -> str:
    held = report.held
    icon = "❌" if report.decision == "held" else "✅"
    lines = [f"## {icon} Ratchet gate: release {report.decision.upper()}", ""]
    lines.append(
        f"**Changed:** {', '.join(report.change.types) or 'nothing'} (from {report.change.source})"
    )
    passed = report.count("passed")
    lines.append(
        f"**Fixtures:** {len(report.verdicts)} run, {passed} passed, {len(held)} held"
        + (f", {len(report.skipped_expired)} expired (skipped)" if report.skipped_expired else "")
    )
    if report.agent:
        lines.append(f"**Agent:** `{report.agent}`")
    lines.append("")
    if held:
        lines += ["### Held by", "", "| fixture | owner | what failed |", "| --- | --- | --- |"]
        lines += [f"| `{v.id}` | {_cell(v.owner)} | {_evidence(v)} |" for v in held]
        lines.append("")
    waived = [v for v in report.verdicts if v.waived]
    if waived:
        lines += ["### Waived", ""]
        lines += [
            f"- `{v.id}` waived by {_cell(v.waived.by)}: {_cell(v.waived.reason)}"
            for v in waived
            if v.waived
        ]
        lines.append("")
    unpassed = [v for v in report.verdicts if not v.held and not v.waived and v.outcome != "passed"]
    # Exploratory results are recorded only: counted here, detailed in the JSON and JUnit.
    warned = [v for v in unpassed if v.severity != "exploratory"]
    if explored := len(unpassed) - len(warned):
        lines += [f"{explored} exploratory fixture(s) did not pass (recorded only).", ""]
    if warned:
        lines += [
            "### Not blocking",
            "",
            "| fixture | severity | what failed |",
            "| --- | --- | --- |",
        ]
        lines += [f"| `{v.id}` | {v.severity} | {_evidence(v)} |" for v in warned]
        lines.append("")
    noted = report.passing_findings()
    if noted:
        lines += ["### Findings on passing fixtures", ""]
        lines += [f"- `{fixture_id}`: {_cell(finding)}" for fixture_id, finding in noted] + [""]
    if report.warnings:
        lines += ["### Notes", ""] + [f"- {_cell(w)}" for w in report.warnings] + [""]
    return "\n".join(lines)
