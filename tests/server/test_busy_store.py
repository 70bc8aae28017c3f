"""A busy database answers 503 with Retry-After (never a 500) and loses nothing acknowledged;
concurrent requests are queued and served rather than refused."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from ratchet.store.store import open_store
from support.live_server import LiveServer
from support.otlp import request_bytes

PB = {"Content-Type": "application/x-protobuf"}


def test_database_locked_by_another_writer_is_503_then_recovers(
    db_url: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATCHET_SQLITE_BUSY_TIMEOUT_MS", "300")
    store = open_store(url=db_url, home=str(home))
    other = create_engine(db_url)
    try:
        with LiveServer.start(store) as server, server.client() as client:
            assert (
                client.post(
                    "/v1/traces", content=request_bytes(3, trace_byte=1), headers=PB
                ).status_code
                == 200
            )
            with other.connect() as conn:
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    conn.begin()
                    conn.execute(text("LOCK TABLE spans IN EXCLUSIVE MODE"))
                resp = client.post("/v1/traces", content=request_bytes(3, trace_byte=2), headers=PB)
                assert resp.status_code == 503
                assert int(resp.headers["Retry-After"]) >= 1
                conn.rollback()
            # The exporter retries after Retry-After; now it goes through.
            resp = client.post("/v1/traces", content=request_bytes(3, trace_byte=2), headers=PB)
            assert resp.status_code == 200
            for byte in (1, 2):
                trace = client.get(f"/api/v1/traces/{f'{byte:02x}' * 16}").json()
                assert trace["span_count"] == 3 and len(trace["spans"]) == 3
    finally:
        other.dispose()
        store.close()


def test_sixteen_concurrent_requests_are_all_served(server: LiveServer) -> None:
    bodies = [request_bytes(100, trace_byte=i + 1) for i in range(16)]

    def send(body: bytes) -> int:
        resp = httpx.post(
            server.otlp_endpoint,
            content=body,
            headers={**PB, "Authorization": f"Bearer {server.key}"},
            timeout=60,
        )
        return resp.status_code

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(send, bodies))
    assert statuses == [200] * 16
    with server.client() as client:
        listed = client.get("/api/v1/traces", params={"limit": 100}).json()["traces"]
    assert len(listed) == 16 and all(t["span_count"] == 100 for t in listed)
