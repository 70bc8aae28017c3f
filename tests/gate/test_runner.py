"""The suite runner streams results to the store while the run goes on."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from ratchet.core.clock import SystemClock
from ratchet.evaluate.results import FixtureResult, Outcome
from ratchet.evaluate.runner.engine import Planned, RunContext, run_planned
from ratchet.fixtures.model import Fixture
from ratchet.store.evals import run_results
from ratchet.store.projects import ensure_project
from ratchet.store.store import Store, open_store


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    st = open_store(url=f"sqlite:///{tmp_path / 'ratchet.db'}", home=str(tmp_path))
    try:
        yield st
    finally:
        st.close()


def test_results_reach_the_store_before_the_run_ends(sqlite_store: Store) -> None:
    project_id = ensure_project(sqlite_store, "default").id
    ctx = RunContext(
        store=sqlite_store, project_id=project_id, run_id="r1", clock=SystemClock(), concurrency=1
    )
    seen_during_run: list[str] = []

    async def attempt(fixture: Fixture) -> FixtureResult:
        if fixture.id == "last":
            # Wait (bounded) until the first fixture's result is readable by anyone.
            for _ in range(100):
                rows = await asyncio.to_thread(run_results, sqlite_store, project_id, "r1")
                if rows:
                    seen_during_run.extend(r["fixture_id"] for r in rows)
                    break
                await asyncio.sleep(0.05)
        return FixtureResult(fixture_id=fixture.id, outcome=Outcome.PASSED)

    plan = [Planned(Fixture(id="first")), Planned(Fixture(id="last"))]
    summary = asyncio.run(run_planned(ctx, plan, attempt))
    assert seen_during_run == ["first"]
    assert [r["fixture_id"] for r in run_results(sqlite_store, project_id, "r1")] == [
        "first",
        "last",
    ]
    assert summary.count("passed") == 2


def test_a_burst_of_results_is_written_without_waiting_for_the_timer(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ratchet.evaluate.runner import engine

    # The timer alone would write once, at the end; the row count must wake the flusher.
    monkeypatch.setattr(engine, "FLUSH_EVERY_S", 60.0)
    monkeypatch.setattr(engine, "FLUSH_ROWS", 10)
    batches: list[int] = []
    real_add = engine.add_results

    def counting_add(store: Store, project_id: int, rows: list[object]) -> None:
        batches.append(len(rows))
        real_add(store, project_id, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "add_results", counting_add)
    project_id = ensure_project(sqlite_store, "default").id
    ctx = RunContext(
        store=sqlite_store, project_id=project_id, run_id="r2", clock=SystemClock(), concurrency=2
    )

    async def attempt(fixture: Fixture) -> FixtureResult:
        await asyncio.sleep(0.001)  # lets the woken flusher take its turn
        return FixtureResult(fixture_id=fixture.id, outcome=Outcome.PASSED)

    plan = [Planned(Fixture(id=f"f{i:03d}")) for i in range(50)]
    asyncio.run(run_planned(ctx, plan, attempt))
    assert len(batches) >= 3 and sum(batches) == 50
    assert len(run_results(sqlite_store, project_id, "r2")) == 50
