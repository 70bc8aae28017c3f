"""The server's background watcher: signal detection and online checks, every few seconds.

Each replica may run one; the work is shared through cursors in the
database and its findings are stored once, so two replicas watching the
same store only repeat a little reading.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.concurrency import run_in_threadpool

from ratchet.review.watch import BATCH, watch
from ratchet.server.state import ServerState
from ratchet.store.projects import list_projects

log = logging.getLogger("ratchet.server.watcher")


#: Batches of each pass per project per round: a round over a long backlog (a first start on a
#: big store, a backfill) ends in bounded time, so shutdown never waits for all of it; the
#: next round goes on from the cursor.
ROUND_BATCHES = 20


def watch_all(state: ServerState, *, max_batches: int = ROUND_BATCHES, limit: int = BATCH) -> int:
    """One round over every project; returns the signals stored.

    Projects are watched one by one, each on its own: one whose round fails
    (its store rows, a bug) is logged and the others still get theirs.
    """
    stored = 0
    for project in list_projects(state.store):
        try:
            report = watch(
                state.store, project.id, clock=state.clock, limit=limit, max_batches=max_batches
            )
        except Exception:
            log.exception("project %s: signal detection failed this round", project.name)
            continue
        stored += report.signals
        for problem in report.problems:
            log.warning("project %s: %s", project.name, problem)
        if report.backlog:
            log.info("project %s: more traces to read; the next round goes on", project.name)
    return stored


async def run_watcher(state: ServerState, every_s: float) -> None:
    """Watch until cancelled; a failed round is logged and the next one tries again."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await run_in_threadpool(watch_all, state)
        except Exception:  # a bad round must not stop detection for good
            log.exception("signal detection round failed; retrying in %s s", every_s)


@contextlib.asynccontextmanager
async def watching(state: ServerState, every_s: float | None):  # type: ignore[no-untyped-def]
    if not every_s:
        yield
        return
    task = asyncio.create_task(run_watcher(state, every_s))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
