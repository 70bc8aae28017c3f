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

from ratchet.review.watch import watch
from ratchet.server.state import ServerState
from ratchet.store.projects import list_projects

log = logging.getLogger("ratchet.server.watcher")


def watch_all(state: ServerState) -> int:
    """One round over every project; returns the signals stored."""
    stored = 0
    for project in list_projects(state.store):
        report = watch(state.store, project.id, clock=state.clock)
        stored += report.signals
        for problem in report.problems:
            log.warning("project %s: %s", project.name, problem)
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
