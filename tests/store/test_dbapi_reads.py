"""The light read path: the bare driver reads what SQLAlchemy reads, only from a ready store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import make_url

from ratchet.core.signals import Signal, SignalKind
from ratchet.store.dbapi import open_reader, psycopg_args
from ratchet.store.ingest import write_spans
from ratchet.store.projects import ensure_project, resolve_project
from ratchet.store.records import SpanRecord
from ratchet.store.schema import spans, traces
from ratchet.store.settings import StoreSettings
from ratchet.store.signals_write import add_signal
from ratchet.store.sql_reads import SpanRow, TraceRow, choose_project, list_projects, read_trace
from ratchet.store.store import Store
from ratchet.store.traces_read import get_trace, list_traces

A, B = "a1" * 16, "b2" * 16


def _records(trace_id: str, session: str) -> list[SpanRecord]:
    root = SpanRecord(
        trace_id=trace_id,
        span_id="0" * 15 + "1",
        name="support.run",
        type="agent",
        status="ok",
        start_ns=1_000,
        end_ns=9_000,
        input={"question": "where is my order?"},
        session_id=session,
        service="support",
        service_version="1.4.2",
        versions={"prompt": {"answer": "v3"}, "model": {"main": "m-2"}},
        stop_reason="answered",
        final_status="resolved",
        attributes={"user.tier": "gold"},
    )
    llm = SpanRecord(
        trace_id=trace_id,
        span_id="0" * 15 + "2",
        parent_span_id=root.span_id,
        name="chat",
        type="model",
        status="ok",
        start_ns=2_000,
        end_ns=4_500,
        model="m-2",
        input_tokens=120,
        output_tokens=30,
        total_tokens=150,
        cost=0.0021,
        output="Let me look that up.",
        events=[{"name": "retry", "time_ns": 2_500}],
    )
    tool = SpanRecord(
        trace_id=trace_id,
        span_id="0" * 15 + "3",
        parent_span_id=root.span_id,
        name="lookup_order",
        type="tool",
        status="error",
        status_message="timeout after 5 s",
        start_ns=5_000,
        tool_arguments={"order": 42},
        tool_result=None,
    )
    return [root, llm, tool]


def _signal(n: int, trace_id: str | None, session_id: str | None) -> Signal:
    return Signal(
        id=f"sig-{n}",
        kind=SignalKind.THUMBS_DOWN,
        trace_id=trace_id,
        session_id=session_id,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_row_shapes_follow_the_tables() -> None:
    assert TraceRow._fields == tuple(c.name for c in traces.c)
    assert SpanRow._fields == tuple(c.name for c in spans.c)


def test_the_driver_reads_a_trace_exactly_as_sqlalchemy_does(store: Store) -> None:
    project = ensure_project(store, "acme")
    with store.write() as conn:
        write_spans(conn, project.id, _records(A, "sess-1") + _records(B, "sess-1"))
    # By trace, by session only (counts on both traces), by session and trace (once).
    for n, (trace_id, session) in enumerate([(A, None), (None, "sess-1"), (B, "sess-1")]):
        add_signal(store, project.id, _signal(n, trace_id, session))

    reader = open_reader(store.settings)
    assert reader is not None
    with reader:
        chosen = choose_project(list_projects(reader.query), None)
        light = {tid: read_trace(reader.query, project.id, tid) for tid in (A, B)}
    assert chosen == resolve_project(store, None)
    listed = {t.trace_id: t for t in list_traces(store, project.id).traces}
    for tid, trace in light.items():
        assert trace == get_trace(store, project.id, tid)
        assert trace.signal_count == listed[tid].signal_count == 2
    assert light[A].spans[2].tool is not None and light[A].spans[2].tool.arguments == {"order": 42}
    assert light[A].versions.service == "1.4.2" and light[A].versions.prompt == {"answer": "v3"}


def test_the_driver_leaves_a_store_that_is_not_ready_to_the_usual_open(
    store: Store, tmp_path: Path
) -> None:
    missing = StoreSettings(url=f"sqlite:///{tmp_path / 'none' / 'ratchet.db'}", home=tmp_path)
    assert open_reader(missing) is None
    assert not (tmp_path / "none").exists()

    reader = open_reader(store.settings)
    assert reader is not None
    reader.close()
    with store.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    assert open_reader(store.settings) is None


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Drt_x",
        "postgresql+psycopg://ana:p%40ss%3Aw@[::1]:5433/my%20db",
        "postgresql+psycopg:///ratchet?host=/var/run/postgresql",
        "postgresql+psycopg://db.internal/ratchet?sslmode=require&application_name=ratchet",
        "postgresql+psycopg://ana:@db.internal/ratchet",
    ],
)
def test_postgresql_urls_connect_as_sqlalchemy_connects(url: str) -> None:
    _, expected = PGDialect_psycopg().create_connect_args(make_url(url))
    assert psycopg_args(url) == expected


def test_several_hosts_are_left_to_sqlalchemy() -> None:
    assert psycopg_args("postgresql+psycopg:///db?host=a&host=b") is None
