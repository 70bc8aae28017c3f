"""Worker threads for sync agents, which a hung agent cannot keep the process waiting on.

``asyncio.to_thread`` would do, except that its executor's threads are
joined at exit: a sync agent stuck in an endless loop, abandoned by its
timeout, would then hold ``ratchet gate`` open forever. These workers are
daemon threads, reused while they are free; a stuck one is simply never
free again and a new one takes its place.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import queue
import threading
from collections.abc import Callable
from typing import Any

_Job = tuple[
    contextvars.Context, Callable[[], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]"
]


class DaemonWorkers:
    """Runs functions on daemon threads, each in a copy of the caller's context."""

    def __init__(self, name: str = "ratchet-replay") -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._idle = 0
        self._started = 0
        self._lock = threading.Lock()

    def run(self, fn: Callable[[], Any]) -> asyncio.Future[Any]:
        """Start ``fn`` on a worker; the future resolves with its result or exception."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        with self._lock:
            spawn = self._idle == 0
            if spawn:
                self._started += 1
            else:
                self._idle -= 1
        if spawn:
            threading.Thread(
                target=self._work, name=f"{self._name}-{self._started}", daemon=True
            ).start()
        self._jobs.put((contextvars.copy_context(), fn, loop, future))
        return future

    def _work(self) -> None:
        while True:
            context, fn, loop, future = self._jobs.get()
            try:
                outcome: tuple[bool, Any] = (True, context.run(fn))
            except BaseException as exc:
                outcome = (False, exc)
            del fn, context
            with contextlib.suppress(RuntimeError):  # the loop closed while the agent ran
                loop.call_soon_threadsafe(_settle, future, outcome)
            del future, loop, outcome
            with self._lock:
                self._idle += 1


def _settle(future: asyncio.Future[Any], outcome: tuple[bool, Any]) -> None:
    if future.cancelled():
        return
    ok, value = outcome
    if ok:
        future.set_result(value)
    elif isinstance(value, StopIteration):  # a future refuses StopIteration
        future.set_exception(RuntimeError(f"agent raised StopIteration: {value}"))
    else:
        future.set_exception(value)


WORKERS = DaemonWorkers()
