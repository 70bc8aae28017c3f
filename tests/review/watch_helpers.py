"""Runs that arrive when a test says: background detection follows arrival, not end times.

Each run is a root ``agent`` span with the user's message and the answer,
and its tool calls. :func:`arrive` writes spans the way ingest does, stamped
with the arrival time given, so a test can send a run late, in pieces, or
many at the same instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from ratchet.core.clock import to_unix_nanos
from ratchet.store.ingest import write_spans
from ratchet.store.records import SpanRecord
from ratchet.store.store import Store

#: When the runs of these tests happen (the application's clock).
T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def tid(i: int) -> str:
    return f"{i + 1:032x}"


def root(
    i: int,
    *,
    at: datetime = T0,
    message: str = "Can we book my next session two weeks from now?",
    answer: str = "Booked you for the 30th.",
    session: str | None = None,
) -> SpanRecord:
    start = to_unix_nanos(at)
    return SpanRecord(
        trace_id=tid(i),
        span_id=f"{i + 1:08x}00000001",
        name="scheduling-assistant",
        type="agent",
        status="ok",
        start_ns=start,
        end_ns=start + 900_000_000,
        input={"user_message": message},
        output=answer,
        session_id=session,
        surface="scheduling",
        service="scheduling",
        final_status="resolved",
        stop_reason="completed",
    )


def tool(
    i: int,
    n: int,
    *,
    at: datetime = T0,
    name: str = "create_booking",
    arguments: object = None,
    failed: bool = False,
) -> SpanRecord:
    """The ``n``-th tool call of run ``i`` (n from 2), 10 ms after the one before."""
    start = to_unix_nanos(at) + n * 10_000_000
    return SpanRecord(
        trace_id=tid(i),
        span_id=f"{i + 1:08x}{n:08x}",
        parent_span_id=f"{i + 1:08x}00000001",
        name=name,
        type="tool",
        status="error" if failed else "ok",
        status_message="calendar unavailable" if failed else None,
        start_ns=start,
        end_ns=start + 5_000_000,
        tool_arguments=arguments if arguments is not None else {"when": "2026-11-30"},
        tool_result=None if failed else {"ok": True},
    )


def failing_run(i: int, *, at: datetime = T0, session: str | None = None) -> list[SpanRecord]:
    """A run whose one tool call failed: the tool-error detector fires on it."""
    return [root(i, at=at, session=session), tool(i, 2, at=at, failed=True)]


def arrive(store: Store, project_id: int, records: Sequence[SpanRecord], at: datetime) -> None:
    """Store spans as ingest does, as if they reached the server at ``at``."""
    with store.write() as conn:
        write_spans(conn, project_id, records, seen_ns=to_unix_nanos(at))
