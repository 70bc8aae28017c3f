"""``ratchet gate`` reports for CI (JUnit, Markdown, JSON) and its shards, merged.

They run on SQLite only: the store is not what they are about.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import orjson

from support.suites import (
    calls,
    copy_demo,
    fixture,
    one_error_line,
    verdicts,
)


def test_every_shard_accepts_the_same_waiver(cli, toy: tuple[Path, str], work: Path) -> None:  # type: ignore[no-untyped-def]
    # CI passes the same flags to every shard; only one of them holds the waived fixture.
    suite, agent = toy
    fixture(suite, "wire-transfer", say="nope", severity="blocking", owner="payments")
    for n in range(5):
        fixture(suite, f"case-{n}", severity="blocking", owner="core")
    waive = ("--waive", "wire-transfer", "--by", "ana", "--reason", "known")
    base = ("gate", "--suite", str(suite), "--agent", agent, *waive)
    for i in (1, 2, 3):
        result = cli(*base, "--shard", f"{i}/3", "--json-report", f"s{i}.json")
        assert result.code == 0, result.err
    merged = cli("gate", "merge", "s1.json", "s2.json", "s3.json")
    assert merged.code == 0 and "wire-transfer by ana: known" in merged.out


# -- reports ---------------------------------------------------------------------------


def test_junit_markdown_and_json_reports(cli, work: Path) -> None:  # type: ignore[no-untyped-def]
    folder = copy_demo(work, "refunds")
    junit, md, js = work / "gate.xml", work / "gate.md", work / "gate.json"
    result = cli(
        "gate",
        "--suite",
        str(folder),
        "--agent",
        "ratchet.demo.agents.refunds:run_buggy",
        "--junit",
        str(junit),
        "--markdown",
        str(md),
        "--json-report",
        str(js),
    )
    assert result.code == 1

    root = ET.parse(junit).getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {
        "incident-2026-04-18-refund-approval-bypass",
        "refund-approval-bypass-regression",
        "small-refund-self-serve",
    }

    def props(el: ET.Element) -> dict[str, str | None]:
        return {p.get("name"): p.get("value") for p in el.findall("properties/property")}  # type: ignore[misc]

    assert props(cases["small-refund-self-serve"])["severity"] == "warning"
    held = cases["refund-approval-bypass-regression"]
    assert props(held)["severity"] == "blocking" and props(held)["held"] == "true"
    failure = held.find("failure")
    assert failure is not None and "required_spans" in (failure.text or "")
    assert cases["small-refund-self-serve"].find("failure") is None
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "3" and suite.get("failures") == "2"
    assert props(suite)["decision"] == "held"

    text = md.read_text()
    assert text.startswith("## ❌ Ratchet gate: release HELD")
    assert "| `refund-approval-bypass-regression` | support-platform |" in text
    assert "**Fixtures:** 3 run, 1 passed, 2 held" in text

    report = orjson.loads(js.read_bytes())
    assert report["decision"] == "held" and report["exit_code"] == 1
    assert {v["id"]: v["held"] for v in report["verdicts"]} == {
        "incident-2026-04-18-refund-approval-bypass": True,
        "refund-approval-bypass-regression": True,
        "small-refund-self-serve": False,
    }


def test_an_unwritable_report_path_stops_the_gate_before_it_runs(
    cli, toy: tuple[Path, str], work: Path
) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    fixture(suite, "anything", severity="blocking", owner="core")
    target = work / "no-such-folder" / "gate.xml"
    line = one_error_line(
        cli("gate", "--suite", str(suite), "--agent", agent, "--junit", str(target))
    )
    assert "does not exist" in line and "no-such-folder" in line
    assert calls(work) == []
    assert one_error_line(
        cli("run", "--suite", str(suite), "--agent", agent, "--markdown", str(work))
    )
    assert calls(work) == []


# -- shards ------------------------------------------------------------------------------


def test_shards_cover_the_suite_once_and_merge_to_the_same_decision(
    cli, toy: tuple[Path, str], work: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    suite, agent = toy
    ids = [f"case-{n:02d}" for n in range(12)]
    for n, fid in enumerate(ids):
        fixture(
            suite, fid, say="nope" if n % 5 == 0 else "all good", severity="blocking", owner="core"
        )
    base = ("gate", "--suite", str(suite), "--agent", agent, "--change", "prompt")
    whole = cli(*base, "--json-report", "whole.json")
    assert whole.code == 1

    slices = []
    for i in (1, 2, 3):
        result = cli(*base, "--shard", f"{i}/3", "--json-report", f"shard{i}.json")
        assert result.code in (0, 1), result.err
        slices.append(set(verdicts(work / f"shard{i}.json")))
    assert sorted(x for s in slices for x in s) == ids  # every fixture, exactly once
    cli(*base, "--shard", "2/3", "--json-report", "again.json")
    assert set(verdicts(work / "again.json")) == slices[1]  # stable

    merged = cli(
        "gate", "merge", "shard1.json", "shard2.json", "shard3.json", "--json-report", "merged.json"
    )
    assert merged.code == whole.code == 1
    assert "held by 3 blocking fixture(s):" in merged.out and "case-00" in merged.out
    mine, theirs = verdicts(work / "merged.json"), verdicts(work / "whole.json")
    assert {k: v["outcome"] for k, v in mine.items()} == {
        k: v["outcome"] for k, v in theirs.items()
    }
    # The merged decision is on record too, newest, with every shard's fixtures.
    from ratchet.store.gates import list_decisions
    from ratchet.store.projects import resolve_project
    from ratchet.store.store import open_store

    st = open_store(home=str(tmp_path / "home"))
    try:
        newest = list_decisions(st, resolve_project(st, None).id, limit=1)[0]
    finally:
        st.close()
    assert newest["decision"] == "held" and newest["run_id"] is None
    assert sorted(v["id"] for v in newest["report"]["verdicts"]) == ids  # type: ignore[index]

    missing = one_error_line(cli("gate", "merge", "shard1.json", "shard3.json"))
    assert "only shards 1/3, 3/3 of 3 were given" in missing
    bad = one_error_line(cli(*base, "--shard", "4/3"))
    assert "--shard 4/3" in bad


def test_an_empty_shard_still_merges(cli, toy: tuple[Path, str], work: Path) -> None:  # type: ignore[no-untyped-def]
    # One fixture over two shards: one shard has nothing to run, and says so in its report.
    suite, agent = toy
    fixture(suite, "lonely", say="nope", severity="blocking", owner="core")
    base = ("gate", "--suite", str(suite), "--agent", agent)
    codes = [cli(*base, "--shard", f"{i}/2", "--json-report", f"s{i}.json").code for i in (1, 2)]
    assert sorted(codes) == [0, 1]
    assert {orjson.loads((work / f"s{i}.json").read_bytes())["shard"] for i in (1, 2)} == {
        "1/2",
        "2/2",
    }
    merged = cli("gate", "merge", "s1.json", "s2.json")
    assert merged.code == 1, merged.err
    assert "held by 1 blocking fixture(s):" in merged.out and "lonely" in merged.out
