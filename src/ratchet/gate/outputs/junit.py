"""JUnit XML: one testcase per fixture, named by its id, severity as a property.

CI systems show each fixture's result from it; the release decision itself is
the exit code (and the ``decision`` property of the suite).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ratchet.gate.report import GateReport, Verdict

# Characters XML 1.0 cannot hold, even escaped. Agents' errors and outputs carry them
# (ANSI colours, NULs); ElementTree writes them as they are, which no parser accepts.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else "\ufffd"


def _props(parent: ET.Element, values: dict[str, str | None]) -> None:
    props = ET.SubElement(parent, "properties")
    for name, value in values.items():
        if value is not None:
            ET.SubElement(props, "property", name=name, value=value)


def _failure_text(v: Verdict) -> str:
    lines = [
        f"{c.check}: {c.message}" + (f" [{', '.join(c.refs)}]" if c.refs else "")
        for c in v.failed_checks
    ]
    if v.reason:
        lines.insert(0, v.reason)
    if v.attempts and len(v.attempts) > 1:
        lines.append(f"attempts: {', '.join(v.attempts)}")
    lines.extend(f"finding: {f}" for f in v.findings)
    return "\n".join(lines)


def junit_xml(report: GateReport) -> str:
    failures = sum(1 for v in report.verdicts if v.outcome in ("failed", "flaky"))
    errors = report.count("error")
    total = len(report.verdicts) + len(report.skipped_expired)
    seconds = f"{report.duration_s:.3f}"
    suites = ET.Element(
        "testsuites",
        name="ratchet gate",
        tests=str(total),
        failures=str(failures),
        errors=str(errors),
        time=seconds,
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="ratchet gate",
        tests=str(total),
        failures=str(failures),
        errors=str(errors),
        skipped=str(len(report.skipped_expired)),
        time=seconds,
        timestamp=report.created_at,
    )
    _props(
        suite,
        {
            "decision": report.decision,
            "change": ", ".join(report.change.types),
            "change_source": report.change.source,
            "agent": report.agent,
            "git_commit": report.git_commit,
            "shard": report.shard,
        },
    )
    for v in report.verdicts:
        case = ET.SubElement(
            suite,
            "testcase",
            name=v.id,
            classname=f"ratchet.{v.severity}",
            time=f"{v.duration_ms / 1000:.3f}",
        )
        if v.path:
            case.set("file", v.path)
        _props(
            case,
            {
                "severity": v.severity,
                "owner": v.owner,
                "failure_mode": v.failure_mode,
                "held": "true" if v.held else "false",
                "waived_by": v.waived.by if v.waived else None,
            },
        )
        if v.outcome == "error":
            el = ET.SubElement(
                case, "error", message=v.reason or "the agent failed", type=v.severity
            )
            el.text = _failure_text(v)
        elif v.outcome in ("failed", "flaky"):
            first = v.failed_checks[0].message if v.failed_checks else v.outcome
            el = ET.SubElement(case, "failure", message=first, type=v.severity)
            el.text = _failure_text(v)
    for fixture_id in report.skipped_expired:
        case = ET.SubElement(suite, "testcase", name=fixture_id, classname="ratchet.expired")
        ET.SubElement(case, "skipped", message="expired: skipped")
    ET.indent(suites)
    # Markup itself never holds such characters: cleaning the whole text reaches every value.
    body = _NOT_XML.sub(_visible, ET.tostring(suites, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
