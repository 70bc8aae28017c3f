"""The store on both databases: migrations, idempotent span writes, trace folding, keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from ratchet.store import migrate
from ratchet.store.ingest import write_spans
from ratchet.store.keys import authenticate, create_key, list_keys
from ratchet.store.projects import ensure_project, resolve_project
from ratchet.store.records import SpanRecord
from ratchet.store.schema import api_keys, metadata
from ratchet.store.settings import settings_from_env
from ratchet.store.store import Store, open_store
from ratchet.store.traces_read import get_trace
from ratchet.store.writer import BatchWriter, Overloaded

T = "ab" * 16


def span(i: int, parent: int | None = 0, **extra: object) -> SpanRecord:
    return SpanRecord(
        trace_id=T,
        span_id=f"{i:016x}",
        parent_span_id=None if parent is None else f"{parent:016x}",
        name=f"s{i}",
        start_ns=1_000 + i,
        end_ns=2_000 + i,
        **extra,  # type: ignore[arg-type]
    )


def test_migrations_match_the_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert MigrationContext.configure(conn).get_current_revision() == migrate.head_revision()
    assert diff == [], "schema.py and the migrations disagree: add a migration"


def test_opening_creates_home_database_and_schema(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "home"
    st = open_store(home=str(home))
    try:
        assert (home / "ratchet.db").exists()
        assert migrate.current_revision(st.engine) == migrate.head_revision()
        with st.read() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    finally:
        st.close()


def test_spans_are_idempotent_and_trace_fields_fold_in_any_order(store: Store) -> None:
    project = ensure_project(store, "acme")
    children = [span(2, 1, status="error"), span(3, 1, versions={"prompt": {"reply": "v2"}})]
    root = span(
        1,
        None,
        stop_reason="needs_human_approval",
        final_status="needs_human",
        session_id="sess",
        service="refunds",
        versions={"policy": {"refunds": "p1"}},
    )
    with store.write() as conn:
        first = write_spans(conn, project.id, children)
    trace = get_trace(store, project.id, T)
    assert (first.stored, trace.span_count, trace.name, trace.final_status) == (2, 2, None, None)
    with store.write() as conn:
        second = write_spans(conn, project.id, [root, *children, root])
    assert (second.stored, second.duplicates) == (1, 3)
    trace = get_trace(store, project.id, T)
    assert trace.span_count == 3 and len(trace.spans) == 3 and trace.error_count == 1
    assert trace.name == "s1" and trace.root_span_id == f"{1:016x}"
    assert trace.stop_reason == "needs_human_approval" and trace.final_status == "needs_human"
    assert trace.session_id == "sess" and trace.service == "refunds"
    assert trace.versions.prompt == {"reply": "v2"} and trace.versions.policy == {"refunds": "p1"}
    assert trace.start is not None and trace.end is not None
    assert (trace.spans[0].start.microsecond, trace.spans[-1].span_id) == (1, f"{3:016x}")


def test_a_non_root_span_never_sets_how_the_trace_ended(store: Store) -> None:
    project = ensure_project(store, "acme")
    with store.write() as conn:
        write_spans(conn, project.id, [span(1, None, final_status="done")])
        write_spans(conn, project.id, [span(2, 1, final_status="child-says-otherwise")])
    assert get_trace(store, project.id, T).final_status == "done"


def test_keys_are_stored_hashed_and_revocable(store: Store) -> None:
    key, _ = create_key(store, "acme", "ana")
    with store.read() as conn:
        stored = conn.execute(select(api_keys)).one()
    assert key not in str(tuple(stored)) and stored.key_hash != key
    principal = authenticate(store, key)
    assert principal is not None and (principal.project, principal.user) == ("acme", "ana")
    assert authenticate(store, key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert [k.prefix for k in list_keys(store)] == [stored.prefix]


def test_default_project_rules(store: Store) -> None:
    assert resolve_project(store, None).name == "default"
    ensure_project(store, "second")
    with pytest.raises(Exception, match="default, second"):
        resolve_project(store, None)
    assert resolve_project(store, "second").name == "second"


def test_group_writer_commits_each_batch_and_refuses_when_full(store: Store) -> None:
    project = ensure_project(store, "acme")
    writer = BatchWriter(store, max_pending_spans=3)
    futures = [writer.submit(project.id, [span(i, None)]) for i in range(1, 4)]
    with pytest.raises(Overloaded):
        writer.submit(project.id, [span(9, None)])
    writer.start()
    assert [f.result(10).stored for f in futures] == [1, 1, 1]
    writer.close()
    assert get_trace(store, project.id, T).span_count == 3


def test_settings_hide_passwords_and_default_to_sqlite(tmp_path: Path) -> None:
    settings = settings_from_env(env={"RATCHET_HOME": str(tmp_path)})
    assert settings.url == f"sqlite:///{tmp_path / 'ratchet.db'}"
    pg = settings_from_env(env={"RATCHET_DATABASE_URL": "postgresql://u:s3cret@db/x"})
    assert pg.url.startswith("postgresql+psycopg://")
    assert "s3cret" not in pg.describe() and "db/x" in pg.describe()


def test_head_revision_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    assert (
        migrate.head_revision()
        == ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    )


def test_a_locked_sqlite_database_is_reported_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from ratchet.core.errors import StoreBusy

    monkeypatch.setenv("RATCHET_SQLITE_BUSY_TIMEOUT_MS", "100")
    st = open_store(home=str(tmp_path))
    other = sqlite3.connect(tmp_path / "ratchet.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusy, match="retry"), st.write():
            pass
        other.execute("ROLLBACK")
        with st.write() as conn:  # free again: the next writer goes through
            conn.execute(text("SELECT 1"))
    finally:
        other.close()
        st.close()
