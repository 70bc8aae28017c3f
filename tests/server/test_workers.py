"""`ratchet serve --workers 2`: several processes on one store, nothing lost or doubled."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ratchet.store.keys import create_key
from ratchet.store.store import open_store
from support.otlp import request_bytes


def test_two_worker_processes_share_one_store(db_url: str, home: Path) -> None:
    store = open_store(url=db_url, home=str(home))
    key, _ = create_key(store, "acme", None)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RATCHET_HOME": str(home), "RATCHET_DATABASE_URL": db_url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ratchet.cli.main", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/x-protobuf"}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

        def send(n: int) -> int:
            body = request_bytes(50, trace_byte=n + 1)
            return httpx.post(
                base + "/v1/traces", content=body, headers=headers, timeout=30
            ).status_code

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            assert list(pool.map(send, range(24))) == [200] * 24
        with concurrent.futures.ThreadPoolExecutor(4) as pool:  # resent: stored once
            assert list(pool.map(send, range(24))) == [200] * 24
        listed = httpx.get(base + "/api/v1/traces", params={"limit": 100}, headers=headers).json()
        assert len(listed["traces"]) == 24
        assert {t["span_count"] for t in listed["traces"]} == {50}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
        store.close()


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.update(int(c) for c in task.read_text().split())
    return found


def test_supervisor_is_light_and_replaces_a_dead_worker(home: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RATCHET_HOME": str(home)}
    env.pop("RATCHET_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ratchet.cli.main", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = _children(proc.pid)
        assert len(workers) == 2
        # After the store is migrated the parent becomes the stdlib-only supervisor.
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert b"ratchet.server.supervisor" in cmdline
        rss_kb = next(
            int(line.split()[1])
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines()
            if line.startswith("VmRSS:")
        )
        assert rss_kb < 40_000
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        while time.monotonic() < deadline:
            now = _children(proc.pid)
            if len(now) == 2 and victim not in now:
                break
            time.sleep(0.1)
        assert victim not in _children(proc.pid)
        assert len(_children(proc.pid)) == 2
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    assert proc.returncode == 0
    assert b"starting another" in proc.stderr.read() if proc.stderr else False
