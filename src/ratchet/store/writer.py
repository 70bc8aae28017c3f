"""Group commit: many requests' spans written in one transaction, each acknowledged after it.

``synchronous=FULL`` makes every SQLite commit an fsync, which caps commits at
a few hundred a second. Batching whatever requests are waiting into one
transaction keeps each request's guarantee (acknowledged only once committed)
while paying for one fsync per group instead of one per request.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from ratchet.core.clock import to_unix_nanos
from ratchet.core.errors import RatchetError, StoreBusy
from ratchet.store.ingest import WriteResult, write_spans
from ratchet.store.records import SpanRecord
from ratchet.store.store import Store

log = logging.getLogger("ratchet.store.writer")


class Overloaded(RatchetError):
    """More work is queued than the writer accepts; the caller should retry later."""

    code = "unavailable"
    status = 503


@dataclass
class _Job:
    project_id: int
    records: Sequence[SpanRecord]
    future: Future[WriteResult] = field(default_factory=Future)


class BatchWriter:
    """A single writer thread fed by a bounded queue.

    Args:
        store: where to write.
        max_pending_spans: spans that may wait before :meth:`submit` refuses
            with :class:`Overloaded` (the server answers 503 + Retry-After).
        max_group_spans: spans written in one transaction at most.
    """

    def __init__(
        self, store: Store, *, max_pending_spans: int = 50_000, max_group_spans: int = 5_000
    ) -> None:
        self._store = store
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._pending = 0
        self._pending_lock = threading.Lock()
        self._max_pending = max_pending_spans
        self._max_group = max_group_spans
        self._thread = threading.Thread(target=self._run, name="ratchet-writer", daemon=True)
        self._started = False

    def start(self) -> None:
        if not self._started:
            self._started = True
            self._thread.start()

    def submit(self, project_id: int, records: Sequence[SpanRecord]) -> Future[WriteResult]:
        """Queue a batch; the future resolves once its rows are committed."""
        n = max(1, len(records))
        with self._pending_lock:
            # A lone batch larger than the limit is still admitted when the
            # queue is empty, so no valid request can be refused forever.
            if self._pending and self._pending + n > self._max_pending:
                raise Overloaded("the server is busy writing earlier batches; retry shortly")
            self._pending += n
        job = _Job(project_id, records)
        self._queue.put(job)
        return job.future

    def close(self, timeout: float = 30.0) -> None:
        """Finish queued work, then stop the thread."""
        if self._started:
            self._queue.put(None)
            self._thread.join(timeout)

    def _run(self) -> None:
        stopping = False
        while not stopping:
            job = self._queue.get()
            if job is None:
                break
            group = [job]
            size = len(job.records)
            while size < self._max_group:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stopping = True
                    break
                group.append(nxt)
                size += len(nxt.records)
            self._write_group(group)

    def _write_group(self, group: list[_Job]) -> None:
        outcome = self._try_write(group)
        if isinstance(outcome, list):
            for job, result in zip(group, outcome, strict=True):
                job.future.set_result(result)
        elif len(group) > 1 and not isinstance(outcome, StoreBusy):
            # One bad batch must not fail the others that shared its commit.
            for job in group:
                self._write_group([job])
            return
        else:
            if not isinstance(outcome, StoreBusy):
                log.error("writing a batch failed", exc_info=outcome)
                outcome = StoreBusy(
                    f"the store could not write this batch ({type(outcome).__name__}); retry"
                )
            for job in group:
                job.future.set_exception(outcome)
        self._release(group)

    def _try_write(self, group: list[_Job]) -> list[WriteResult] | Exception:
        try:
            with self._store.write() as conn:
                seen = to_unix_nanos(self._store.clock.now())
                return [
                    write_spans(conn, job.project_id, job.records, seen_ns=seen) for job in group
                ]
        except StoreBusy as exc:
            return exc
        except Exception as exc:  # a fault here must never kill the writer thread
            return exc

    def _release(self, group: list[_Job]) -> None:
        with self._pending_lock:
            self._pending -= sum(max(1, len(j.records)) for j in group)
