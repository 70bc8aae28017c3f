"""Sharding a gate across CI jobs, and merging the shards' reports into one decision."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ratchet.core.errors import RatchetError
from ratchet.gate.report import ChangeNote, GateReport, Verdict
from ratchet.gate.shards import in_shard, load_report, merge_reports, parse_shard

IDS = [f"fixture-{n:04d}" for n in range(600)]


def test_parse_shard() -> None:
    assert parse_shard("2/4") == (2, 4) and parse_shard("1/1") == (1, 1)
    for bad in ("0/4", "5/4", "1/0", "two/4", "1-4", "1/"):
        with pytest.raises(RatchetError, match=f"--shard {bad}"):
            parse_shard(bad)


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_cover_every_fixture_exactly_once(count: int) -> None:
    homes = {fid: [i for i in range(1, count + 1) if in_shard(fid, i, count)] for fid in IDS}
    assert all(len(h) == 1 for h in homes.values())
    sizes = [sum(1 for h in homes.values() if h == [i]) for i in range(1, count + 1)]
    assert min(sizes) > 0.6 * len(IDS) / count  # roughly even


def test_a_fixtures_shard_depends_on_its_id_alone() -> None:
    # Adding fixtures (a new incident's regression test) never moves the others between jobs.
    before = {fid: in_shard(fid, 1, 3) for fid in IDS[:100]}
    assert {fid: in_shard(fid, 1, 3) for fid in IDS} | before == {
        fid: in_shard(fid, 1, 3) for fid in IDS
    }
    assert before == {fid: in_shard(fid, 1, 3) for fid in reversed(IDS[:100])}


def _report(
    shard: str | None, *held: str, passed: tuple[str, ...] = (), key: str = "k"
) -> GateReport:
    verdicts = [Verdict(id=f, severity="blocking", outcome="failed", held=True) for f in held]
    verdicts += [Verdict(id=f, severity="blocking", outcome="passed") for f in passed]
    return GateReport(
        decision="held" if held else "passed",
        exit_code=1 if held else 0,
        change=ChangeNote(types=["prompt"], source="--change prompt", key=key),
        shard=shard,
        verdicts=verdicts,
        warnings=[f"note from {shard}"],
    )


def test_merge_decides_on_every_shards_verdicts() -> None:
    merged = merge_reports(
        [_report("2/2", passed=("b",)), _report("1/2", "a", passed=("c",))], ["s2", "s1"]
    )
    assert (merged.decision, merged.exit_code, merged.shard) == ("held", 1, None)
    assert [v.id for v in merged.verdicts] == ["a", "b", "c"]
    assert merged.warnings == ["note from 2/2", "note from 1/2"]
    fine = merge_reports([_report("1/2", passed=("a",)), _report("2/2", passed=("b",))], ["x", "y"])
    assert (fine.decision, fine.exit_code) == ("passed", 0)


def test_merge_refuses_reports_that_do_not_make_one_gate() -> None:
    cases = [
        ([_report("1/2"), _report("2/2", key="other")], "s2: gated a different change than s1"),
        ([_report("1/2", "a"), _report("2/2", "a")], "fixture a is in both s1 and s2"),
        ([_report("1/2"), _report("2/3")], "different shard counts: 1/2, 2/3"),
        ([_report("1/3"), _report("3/3")], "only shards 1/3, 3/3 of 3 were given"),
        ([], "name the shard reports to merge"),
    ]
    for reports, words in cases:
        with pytest.raises(RatchetError, match=words):
            merge_reports(reports, ["s1", "s2"][: len(reports)])


def test_load_report_names_a_file_that_is_not_a_gate_report(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(_report("1/1", "a").model_dump_json())
    assert load_report(good).held[0].id == "a"
    bad = tmp_path / "junit.xml"
    bad.write_text("<testsuites/>")
    with pytest.raises(RatchetError, match=re.escape("junit.xml: not a gate report")):
        load_report(bad)
    with pytest.raises(RatchetError, match=re.escape("missing.json: cannot read it")):
        load_report(tmp_path / "missing.json")
