"""Result rows as the runner writes them, and the cache's lookup of the newest, on both stores."""

from __future__ import annotations

from ratchet.store.evals import (
    ResultRow,
    RunRow,
    add_results,
    cached_results,
    run_results,
    start_run,
)
from ratchet.store.projects import resolve_project
from ratchet.store.store import Store


def _row(run: str, fixture: str, key: str, created: int, **extra: object) -> ResultRow:
    values: dict[str, object] = {
        "run_id": run,
        "fixture_id": fixture,
        "attempt": 1,
        "outcome": "passed",
        "severity": "blocking",
        "checks": '[{"check":"stop_reason","passed":true,"message":"ok","evidence":[],"refs":[]}]',
        "findings": "[]",
        "duration_ms": 1.5,
        "created_ns": created,
        "cache_key": key,
    }
    values.update(extra)
    return ResultRow(**values)  # type: ignore[arg-type]


def _run(store: Store, project_id: int, run_id: str) -> None:
    start_run(
        store,
        project_id,
        RunRow(run_id, "run", "app:agent", "{}", "0", "{}", started_ns=1),
    )


def test_a_large_batch_is_stored_whole_and_read_back(store: Store) -> None:
    project_id = resolve_project(store, None).id
    _run(store, project_id, "r1")
    rows = [_row("r1", f"f{i:04d}", f"k{i}", 10 + i, output=f"out {i}") for i in range(1203)]
    add_results(store, project_id, rows)
    stored = run_results(store, project_id, "r1")
    assert len(stored) == 1203
    first = stored[0]
    assert (first["fixture_id"], first["output"], first["duration_ms"]) == ("f0000", "out 0", 1.5)
    assert first["checks"] == rows[0].checks and first["cached"] == 0


def test_the_cache_reads_the_newest_result_that_was_not_itself_cached(store: Store) -> None:
    project_id = resolve_project(store, None).id
    for run in ("r1", "r2", "r3"):
        _run(store, project_id, run)
    add_results(
        store,
        project_id,
        [
            _row("r1", "a", "ka", 100, output="old"),
            _row("r1", "b", "kb", 100, attempt=2, output="b2"),
            _row("r2", "a", "ka", 200, output="new"),
            _row("r3", "a", "ka", 300, output="copy", cached=1),
        ],
    )
    found = cached_results(store, project_id, [("ka", 1), ("kb", 1), ("kb", 2), ("kz", 1)])
    assert sorted(found) == [("ka", 1), ("kb", 2)]
    assert found[("ka", 1)]["output"] == "new"
    assert found[("kb", 2)]["output"] == "b2"
    assert cached_results(store, project_id, []) == {}
