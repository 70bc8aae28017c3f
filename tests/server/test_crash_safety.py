"""SIGKILL the server at random moments while the real exporter sends: every batch that
got a 200 is stored after the last restart, and no span is stored twice."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from sqlalchemy import func, select

from ratchet.store.keys import create_key
from ratchet.store.schema import spans, traces
from ratchet.store.store import open_store

KILLS = 4
MAX_SECONDS = 30.0


class _Collect(SpanExporter):
    def __init__(self) -> None:
        self.spans: list[ReadableSpan] = []

    def export(self, spans: object) -> SpanExportResult:
        self.spans.extend(spans)  # type: ignore[arg-type]
        return SpanExportResult.SUCCESS


def _batches(n: int, size: int) -> list[list[ReadableSpan]]:
    """n batches of finished SDK spans, each batch one trace."""
    collect = _Collect()
    provider = TracerProvider(resource=Resource.create({"service.name": "crash-test"}))
    provider.add_span_processor(SimpleSpanProcessor(collect))
    tracer = provider.get_tracer("crash")
    for i in range(n):
        with tracer.start_as_current_span(f"run-{i}", attributes={"session.id": f"s{i}"}):
            for j in range(size - 1):
                with tracer.start_as_current_span(
                    f"step-{j}", attributes={"input.value": "x" * 200}
                ):
                    pass
    return [collect.spans[i * size : (i + 1) * size] for i in range(n)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.proc = env, port, None  # type: ignore[var-annotated]
        self.log = log

    def start(self) -> None:
        self.proc = subprocess.Popen(  # type: ignore[assignment]
            [
                sys.executable,
                "-m",
                "ratchet.cli.main",
                "serve",
                "--port",
                str(self.port),
                "--log-level",
                "error",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("ab"),
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if (
                    httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=0.5).status_code
                    == 200
                ):
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("server did not come up")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


@pytest.mark.slow
def test_acknowledged_spans_survive_sigkill_exactly_once(db_url: str, home: Path) -> None:
    rng = random.Random(20261121)
    store = open_store(url=db_url, home=str(home))
    key, project = create_key(store, "crash", None)
    env = {**os.environ, "RATCHET_HOME": str(home), "RATCHET_DATABASE_URL": db_url}
    log = home / "server.log"
    server = _Server(env, _free_port(), log)
    server.start()
    exporter = OTLPSpanExporter(
        endpoint=f"http://127.0.0.1:{server.port}/v1/traces",
        headers={"Authorization": f"Bearer {key}"},
        timeout=2,
    )
    batches = _batches(400, 25)
    ledger: set[tuple[str, str]] = set()
    kills: list[float] = []

    def killer() -> None:
        # Kills land at random moments, in the middle of requests as well as between them.
        while len(kills) < KILLS:
            time.sleep(rng.uniform(0.2, 0.9))
            server.kill()
            kills.append(time.monotonic())
            server.start()

    thread = threading.Thread(target=killer, daemon=True)
    started = time.monotonic()
    thread.start()
    pending = list(range(len(batches)))
    try:
        while pending and thread.is_alive() and time.monotonic() - started < MAX_SECONDS:
            index = pending[0]
            if exporter.export(batches[index]) is SpanExportResult.SUCCESS:
                ledger.update(
                    (format(s.context.trace_id, "032x"), format(s.context.span_id, "016x"))
                    for s in batches[index]
                )
                pending.pop(0)
                # Re-send some acknowledged batches: a retry after a lost reply.
                if rng.random() < 0.2:
                    exporter.export(batches[index])
    finally:
        thread.join(30)
        server.kill()
    assert len(kills) == KILLS, log.read_text()[-3000:]
    assert len(ledger) >= 25 * 10, log.read_text()[-3000:]
    with store.read() as conn:
        stored = {
            (r.trace_id, r.span_id)
            for r in conn.execute(
                select(spans.c.trace_id, spans.c.span_id).where(spans.c.project_id == project.id)
            )
        }
        total_rows = conn.execute(
            select(func.count()).select_from(spans).where(spans.c.project_id == project.id)
        ).scalar_one()
        counted = conn.execute(
            select(func.sum(traces.c.span_count)).where(traces.c.project_id == project.id)
        ).scalar_one()
    store.close()
    assert ledger <= stored, f"{len(ledger - stored)} acknowledged spans were lost"
    assert total_rows == len(stored) == counted  # none twice, and trace counts agree
