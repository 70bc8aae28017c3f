"""When a trace arrived: stamped by ingest on every new span, backfilled for rows stored before.

Background detection reads traces in arrival order from a two-part cursor;
these tests pin what it relies on, on both databases.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import insert, select

from ratchet.store import migrate
from ratchet.store.engine import make_engine
from ratchet.store.ingest import write_spans
from ratchet.store.jobs import get_cursor, set_cursor
from ratchet.store.projects import ensure_project
from ratchet.store.records import SpanRecord
from ratchet.store.schema import projects, traces
from ratchet.store.settings import settings_from_env
from ratchet.store.store import Store
from ratchet.store.trace_batches import settled_after

T = "cd" * 16


def _span(i: int, trace_id: str = T) -> SpanRecord:
    return SpanRecord(
        trace_id=trace_id,
        span_id=f"{i:016x}",
        parent_span_id=None if i == 1 else f"{1:016x}",
        name=f"s{i}",
        source="production",
        start_ns=1_000 + i,
        end_ns=2_000 + i,
    )


def _seen(store: Store, trace_id: str = T) -> int:
    with store.read() as conn:
        return int(
            conn.execute(select(traces.c.seen_ns).where(traces.c.trace_id == trace_id)).scalar_one()
        )


def test_a_trace_is_seen_when_it_last_gained_a_span_not_when_spans_are_sent_again(
    store: Store,
) -> None:
    project_id = ensure_project(store, "acme").id
    with store.write() as conn:
        write_spans(conn, project_id, [_span(1)], seen_ns=10)
    assert _seen(store) == 10
    with store.write() as conn:
        write_spans(conn, project_id, [_span(1), _span(2)], seen_ns=20)
    assert _seen(store) == 20
    with store.write() as conn:
        result = write_spans(conn, project_id, [_span(1), _span(2)], seen_ns=30)
    assert result.stored == 0 and _seen(store) == 20


def test_settled_traces_page_by_arrival_then_id(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    with store.write() as conn:
        for n, seen in enumerate([5, 5, 5, 7, 9]):
            write_spans(conn, project_id, [_span(1, f"{n:032x}")], seen_ns=seen)
    first = settled_after(store, project_id, (0, ""), 8, 2)
    assert [(t[-1:], s) for t, s, _ in first] == [("0", 5), ("1", 5)]
    rest = settled_after(store, project_id, (first[-1][1], first[-1][0]), 8, 10)
    assert [(t[-1:], s) for t, s, _ in rest] == [("2", 5), ("3", 7)]
    assert len(settled_after(store, project_id, (0, ""), None, 10)) == 5


def test_a_cursor_keeps_both_parts(store: Store) -> None:
    project_id = ensure_project(store, "acme").id
    assert get_cursor(store, project_id, "job") == (0, "")
    set_cursor(store, project_id, "job", 5, "ab")
    set_cursor(store, project_id, "job", 7, "cd")
    assert get_cursor(store, project_id, "job") == (7, "cd")
    assert get_cursor(store, project_id, "other") == (0, "")


def test_traces_stored_before_the_upgrade_arrive_when_they_ended(db_url: str, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings_from_env(url=db_url, home=str(home)))
    try:
        config = migrate.alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0003")
        with engine.begin() as conn:
            conn.execute(
                insert(projects).values(id=1, name="acme", created_ns=0, redaction_secret="s")
            )
            for trace_id, end in (("a" * 32, 2_000), ("b" * 32, None)):
                conn.execute(
                    insert(traces).values(
                        project_id=1,
                        trace_id=trace_id,
                        source="production",
                        start_ns=1_000,
                        end_ns=end,
                        span_count=1,
                        error_count=0,
                    )
                )
        migrate.upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                select(traces.c.trace_id, traces.c.seen_ns).order_by(traces.c.trace_id)
            ).all()
        assert [tuple(r) for r in rows] == [("a" * 32, 2_000), ("b" * 32, 1_000)]
    finally:
        engine.dispose()
