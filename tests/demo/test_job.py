"""`ratchet demo`: simulated production captured end to end through a real server."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from ratchet.cli.common import Context
from ratchet.demo.job import run_demo


def test_demo_captures_traffic_and_feedback(db_url: str, home: Path) -> None:
    options = Context()
    options.database_url, options.home = db_url, str(home)
    console = Console(record=True, width=200)
    summary = run_demo(options, traces=60, seed=7, port=0, console=console)
    assert summary["traces"] == 60
    assert set(summary["services"]) == {"refund-assistant", "scheduling-assistant"}
    assert summary["traces_with_feedback"] > 0
    assert summary["spans"] > 60 * 3
    text = console.export_text()
    assert "captured 60 traces" in text
    assert "ratchet serve" in text
    # Each example id printed is a real trace the user can show.
    for trace_id, _service, _name in summary["examples_with_feedback"]:
        assert trace_id in text and len(trace_id) == 32
    # The release side: the changes that keep a bug are held, the fixes pass.
    assert [code for _title, code in summary["gates"]] == [1, 0, 1, 0]
    assert "held by 2 blocking fixture(s)" in text
    assert "refund-approval-bypass-regression" in text
    assert "relative-date-two-weeks-from-now" in text
    assert "output says: 'approved', 'processed'" in text
    assert (home / "demo-reports" / "gate-1.md").read_text().startswith("## ❌")
    assert (home / "demo-reports" / "gate-2.md").read_text().startswith("## ✅")
    # The review side: signals found, a session read by the (labelled) simulated reviewer,
    # failure modes counted with intervals, and the saturation line.
    review = summary["review"]
    assert review["signals"] > 0 and review["reviewed"] > 0
    assert "SIMULATED REVIEWER" in text
    assert set(review["modes"]) <= {
        "date-handling",
        "refund-approval-skipped",
        "tool-outage-unhandled",
    }
    assert sum(review["modes"].values()) > 0
    for name, count in review["modes"].items():
        assert f"{name}: {count} of {review['reviewed']}, " in text
    assert review["saturation"] in text
    assert "sign-in key (user 'reviewer', project demo): rk_" in text


@pytest.mark.parametrize("seed", [7])
def test_demo_is_deterministic_for_a_seed(tmp_path: Path, seed: int) -> None:
    results = []
    for run in range(2):
        options = Context()
        options.home = str(tmp_path / f"home{run}")
        with open(tmp_path / f"out{run}", "w") as out:
            summary = run_demo(options, traces=30, seed=seed, port=0, console=Console(file=out))
        results.append(summary)
    assert results[0]["examples_with_feedback"] == results[1]["examples_with_feedback"]
    assert results[0]["final_status"] == results[1]["final_status"]
    assert results[0]["gates"] == results[1]["gates"]
    assert results[0]["review"]["modes"] == results[1]["review"]["modes"]
