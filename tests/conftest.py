"""Shared fixtures: a fresh store on SQLite and on PostgreSQL, and a live server on loopback.

Tests that take the ``store`` fixture (directly or through ``server``) run
twice, once per database. Each PostgreSQL test gets its own schema, so runs
never see each other's rows. Without PostgreSQL the second half is skipped,
loudly; under CI (``CI=true``) that is a failure instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ratchet.core.clock import ManualClock
from ratchet.store.store import Store, open_store
from support.live_server import LiveServer

pytest_plugins = ["support.browser"]

PG_URL = os.environ.get(
    "RATCHET_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_pg_state: dict[str, str | None] = {}


def _pg_problem() -> str | None:
    """None when PostgreSQL answers, else why not (checked once per run)."""
    if "problem" not in _pg_state:
        try:
            with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3) as conn:
                conn.execute("select 1")
            _pg_state["problem"] = None
        except Exception as exc:
            _pg_state["problem"] = f"{type(exc).__name__}: {exc}".strip()
    return _pg_state["problem"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    problem = _pg_state.get("problem")
    if problem:
        bar = "!" * 78
        terminalreporter.write_line(bar, red=True, bold=True)
        terminalreporter.write_line(
            f"THE POSTGRESQL HALF OF THE TESTS WAS SKIPPED: {problem}", red=True, bold=True
        )
        terminalreporter.write_line(
            "Start PostgreSQL on 127.0.0.1:5432 with a database 'test' (or set "
            "RATCHET_TEST_DATABASE_URL) and run again; CI fails instead of skipping.",
            red=True,
        )
        terminalreporter.write_line(bar, red=True, bold=True)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def _pg_schema_url() -> Iterator[str]:
    problem = _pg_problem()
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is required under CI and is not reachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    schema = f"rt_{uuid.uuid4().hex[:12]}"
    plain = PG_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'create schema "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'drop schema "{schema}" cascade')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for an empty store, once per database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'home' / 'ratchet.db'}"
    else:
        yield from _pg_schema_url()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def store(db_url: str, home: Path, clock: ManualClock) -> Iterator[Store]:
    st = open_store(url=db_url, home=str(home), clock=clock)
    try:
        yield st
    finally:
        st.close()


@pytest.fixture
def server(store: Store) -> Iterator[LiveServer]:
    """The real app served by uvicorn on a free loopback port."""
    with LiveServer.start(store) as live:
        yield live
