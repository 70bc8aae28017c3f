"""The report files: JUnit XML any CI parses, and a Markdown comment that keeps its table."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ratchet.gate.outputs.junit import junit_xml
from ratchet.gate.outputs.markdown import markdown
from ratchet.gate.report import ChangeNote, FailedCheck, GateReport, Verdict, WaiverNote


def _report() -> GateReport:
    return GateReport(
        decision="held",
        exit_code=1,
        change=ChangeNote(types=["prompt"], source="--change prompt", key="k"),
        agent="app.agent:run",
        skipped_expired=["old-promo"],
        verdicts=[
            Verdict(
                id="crashes",
                severity="blocking",
                owner="core",
                outcome="error",
                held=True,
                reason="agent raised ValueError: \x1b[31mboom\x1b[0m \x00",
            ),
            Verdict(
                id="pipes",
                severity="warning",
                outcome="failed",
                failed_checks=[
                    FailedCheck(
                        check="output_regex", message="no match for a|b", refs=["message:reply"]
                    )
                ],
            ),
            Verdict(
                id="wobbly",
                severity="blocking",
                owner="core",
                outcome="flaky",
                attempts=["passed", "failed"],
                held=True,
            ),
            Verdict(
                id="excused",
                severity="blocking",
                owner="core",
                outcome="failed",
                waived=WaiverNote(by="ana", reason="known"),
            ),
            Verdict(id="idea", severity="exploratory", outcome="failed"),
            Verdict(
                id="fine",
                severity="blocking",
                owner="core",
                outcome="passed",
                findings=["the agent called tool 'x', which fixture 'fine' does not mock"],
            ),
        ],
    )


def test_junit_is_valid_xml_even_when_an_agent_prints_control_characters() -> None:
    root = ET.fromstring(junit_xml(_report()))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert list(cases) == ["crashes", "pipes", "wobbly", "excused", "idea", "fine", "old-promo"]
    error = cases["crashes"].find("error")
    assert error is not None and error.get("message") == (
        "agent raised ValueError: \\x1b[31mboom\\x1b[0m \\x00"
    )
    assert cases["wobbly"].find("failure") is not None
    assert "attempts: passed, failed" in (cases["wobbly"].findtext("failure") or "")
    assert cases["fine"].find("failure") is None and cases["fine"].find("error") is None
    assert cases["old-promo"].find("skipped") is not None
    severity = {
        c.get("name"): {p.get("name"): p.get("value") for p in c.iter("property")}.get("severity")
        for c in cases.values()
    }
    assert severity["idea"] == "exploratory" and severity["pipes"] == "warning"
    suite = root.find("testsuite")
    assert suite is not None
    assert (
        suite.get("tests"),
        suite.get("failures"),
        suite.get("errors"),
        suite.get("skipped"),
    ) == (
        "7",
        "4",
        "1",
        "1",
    )


def test_markdown_leads_with_the_decision_and_keeps_tables_whole() -> None:
    text = markdown(_report())
    lines = text.splitlines()
    assert lines[0] == "## ❌ Ratchet gate: release HELD"
    assert "| `wobbly` | core | flaky (passed, failed) |" in lines
    assert "| `pipes` | warning | `output_regex`: no match for a\\|b |" in lines
    assert "- `excused` waived by ana: known" in lines
    assert "1 exploratory fixture(s) did not pass (recorded only)." in lines
    assert "idea" not in text
    assert "- `fine`: the agent called tool 'x', which fixture 'fine' does not mock" in lines
