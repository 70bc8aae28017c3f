"""The suite runner: every fixture, K times, with bounded concurrency, streamed to the store.

Fixtures are pulled by a fixed number of workers rather than spawned as one
task each, so a 100k-fixture suite costs ``concurrency`` coroutines, not
100k. Results go to a buffer that a flusher writes to the store in batches
while the run goes on; only summaries stay in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ratchet.core.clock import Clock, to_unix_nanos
from ratchet.evaluate.results import FixtureResult, Outcome
from ratchet.evaluate.runner.cache import body_digest, cache_key, fixture_digest
from ratchet.evaluate.runner.cached import checks_json, findings_json, result_from_row
from ratchet.evaluate.runner.summary import FixtureSummary, RunSummary
from ratchet.evaluate.runner.trace_rows import span_records
from ratchet.fixtures.model import Fixture
from ratchet.fixtures.suite import FixtureFile
from ratchet.store.evals import ResultRow, add_results, cached_results
from ratchet.store.ingest import write_spans
from ratchet.store.store import Store

Attempt = Callable[[Fixture], Awaitable[FixtureResult]]
#: Seconds between flushes of finished results to the store.
FLUSH_EVERY_S = 0.25
#: Rows that make the flusher write at once, without waiting for its next turn: cached
#: results arrive faster than the timer, and writing them while the runner goes on
#: (SQLite releases the interpreter lock while it writes) beats one write at the end.
FLUSH_ROWS = 2000
#: Results a worker finishes between yields to the event loop. Mocked tools never
#: suspend, so without this one worker could run the whole suite in one go and the
#: flusher would hold every row until the end.
YIELD_EVERY = 64


@dataclass(frozen=True)
class Planned:
    """A fixture to run: the validated model, or a lean file validated when it runs."""

    item: Fixture | FixtureFile
    path: str | None = None

    @property
    def fixture(self) -> Fixture:
        return self.item if isinstance(self.item, Fixture) else self.item.fixture

    @property
    def digest(self) -> str:
        item = self.item
        if isinstance(item, FixtureFile):
            # The file's own digest, taken while loading: no re-serialising 10k fixtures.
            return item.digest or body_digest(item.body)
        return fixture_digest(item)


@dataclass
class RunContext:
    store: Store
    project_id: int
    run_id: str
    clock: Clock
    concurrency: int = 8
    repeat: int = 1
    candidate_key: str | None = None  # None: caching off
    keep_traces: str = "failed"  # all | failed | none


class _Sink:
    """Finished results waiting to be written, and the task that writes them."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.rows: list[ResultRow] = []
        self.traces: list[FixtureResult] = []
        self.wake = asyncio.Event()
        self.done = False

    def add(self, result: FixtureResult, row: ResultRow) -> None:
        self.rows.append(row)
        if _kept(self.ctx, result):
            self.traces.append(result)
        if len(self.rows) >= FLUSH_ROWS:
            self.wake.set()

    async def flush(self) -> None:
        rows, traces = self.rows, self.traces
        self.rows, self.traces = [], []
        if rows or traces:
            await asyncio.to_thread(self._write, rows, traces)

    def _write(self, rows: list[ResultRow], traces: list[FixtureResult]) -> None:
        ctx = self.ctx
        if traces:
            records = [rec for r in traces if r.trace is not None for rec in span_records(r.trace)]
            with ctx.store.write() as conn:
                write_spans(
                    conn, ctx.project_id, records, seen_ns=to_unix_nanos(ctx.store.clock.now())
                )
        add_results(ctx.store, ctx.project_id, rows)

    async def run_flusher(self) -> None:
        while not self.done:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), FLUSH_EVERY_S)
            self.wake.clear()
            await self.flush()

    def finish(self) -> None:
        self.done = True
        self.wake.set()


def _kept(ctx: RunContext, result: FixtureResult) -> bool:
    keep = ctx.keep_traces
    return result.trace is not None and (keep == "all" or (keep == "failed" and not result.passed))


def _row(
    ctx: RunContext,
    planned: Planned,
    result: FixtureResult,
    key: str | None,
    stored: dict[str, Any] | None = None,
) -> ResultRow:
    """The result's row; ``stored``: the cached row it came from, whose JSON is reused."""
    fixture = planned.item
    return ResultRow(
        run_id=ctx.run_id,
        fixture_id=fixture.id,
        attempt=result.attempt,
        outcome=result.outcome.value,
        severity=fixture.effective_severity.value,
        owner=fixture.owner,
        reason=result.reason,
        checks=stored["checks"] if stored is not None else checks_json(result.checks),
        findings=stored["findings"] if stored is not None else findings_json(result.findings),
        output=result.output,
        duration_ms=result.duration_ms,
        # Only a stored trace is named: a result must not point at a trace nobody kept.
        trace_id=result.trace.trace_id if result.trace is not None and _kept(ctx, result) else None,
        cache_key=key,
        created_ns=to_unix_nanos(ctx.clock.now()),
    )


async def run_planned(
    ctx: RunContext,
    plan: Sequence[Planned],
    attempt: Attempt,
    on_result: Callable[[FixtureSummary, FixtureResult], None] | None = None,
) -> RunSummary:
    """Run every planned fixture ``ctx.repeat`` times; results reach the store as they finish."""
    started = ctx.clock.monotonic()
    summaries = [
        FixtureSummary(
            fixture_id=p.item.id,
            severity=p.item.effective_severity,
            owner=p.item.owner,
            path=p.path,
            failure_mode=p.item.failure_mode,
        )
        for p in plan
    ]
    keys = [cache_key(ctx.candidate_key, p.digest) if ctx.candidate_key else None for p in plan]
    wanted = [(k, a) for k in keys if k for a in range(1, ctx.repeat + 1)]
    cached = (
        await asyncio.to_thread(cached_results, ctx.store, ctx.project_id, wanted) if wanted else {}
    )
    sink = _Sink(ctx)
    jobs = iter([(i, a) for i in range(len(plan)) for a in range(1, ctx.repeat + 1)])

    async def worker() -> None:
        for finished, (index, number) in enumerate(jobs, 1):
            planned, key = plan[index], keys[index]
            hit = cached.get((key, number)) if key else None
            # An error (a timeout, a crash) is not a verdict on the candidate's behaviour,
            # and the timeout is not in the key: replay it rather than repeat it.
            if hit is not None and hit["outcome"] == Outcome.ERROR.value:
                hit = None
            if hit is not None:
                result = result_from_row(hit, checks=hit["outcome"] != Outcome.PASSED.value)
                row = _row(ctx, planned, result, key, hit)
                row.cached = 1
            else:
                result = await attempt(planned.fixture)
                if result.attempt != number:
                    result = result.model_copy(update={"attempt": number})
                row = _row(ctx, planned, result, key)
            sink.add(result, row)
            summaries[index].add(result, cached=hit is not None)
            if on_result is not None:
                on_result(summaries[index], result)
            if not finished % YIELD_EVERY:
                await asyncio.sleep(0)

    flusher = asyncio.create_task(sink.run_flusher())
    try:
        await asyncio.gather(*(worker() for _ in range(max(1, ctx.concurrency))))
    finally:
        sink.finish()
        await flusher
        await sink.flush()
    return RunSummary(
        run_id=ctx.run_id, fixtures=summaries, duration_s=ctx.clock.monotonic() - started
    )
