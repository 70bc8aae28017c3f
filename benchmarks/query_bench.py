"""Read paths at scale: the filtered trace list over HTTP, and ``ratchet traces show``.

The list is timed through the running server (what the web UI and scripts
see); ``traces show`` is timed as the CLI command a person types (a new
process each time, imports included) and, to tell import cost from work,
in this process as ``get_trace`` plus rendering the tree to a file console.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from ingest_load import BIN, Server, percentile


def iso(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).isoformat().replace("+00:00", "Z")


@dataclass
class ListTiming:
    """One filter's latency over repeated first-page requests."""

    name: str
    params: dict[str, str]
    p50_ms: float
    p95_ms: float
    rows: int


def list_filters(service: str, since_ns: int, until_ns: int) -> dict[str, dict[str, str]]:
    """The filters people use on the trace list, alone and all together."""
    return {
        "service": {"service": service},
        "status=error": {"status": "error"},
        "time range": {"since": iso(since_ns), "until": iso(until_ns)},
        "has_signal": {"has_signal": "true"},
        "all four": {
            "service": service,
            "status": "error",
            "since": iso(since_ns),
            "has_signal": "true",
        },
    }


def time_lists(
    server: Server, filters: dict[str, dict[str, str]], repeats: int = 50
) -> list[ListTiming]:
    """First page (50 traces) of each filter, ``repeats`` times; p50 and p95 in ms."""
    out = []
    with httpx.Client(base_url=server.url, headers=server.headers(), timeout=60) as client:
        client.get("/healthz")
        for name, params in filters.items():
            timings, rows = [], 0
            for _ in range(repeats):
                started = time.perf_counter()
                resp = client.get("/api/v1/traces", params=params)
                timings.append((time.perf_counter() - started) * 1000)
                if resp.status_code != 200:
                    raise RuntimeError(f"{name}: {resp.status_code} {resp.text[:300]}")
                rows = len(resp.json()["traces"])
            out.append(
                ListTiming(name, params, percentile(timings, 50), percentile(timings, 95), rows)
            )
    return out


@dataclass
class ShowTiming:
    """``ratchet traces show`` of one large trace."""

    spans: int
    cli_best_ms: float
    cli_median_ms: float
    version_best_ms: float
    get_trace_ms: float
    render_ms: float
    lines: int


def _best_wall(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float, str]:
    timings, stdout = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        timings.append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[1:])} exited {done.returncode}: {done.stderr}")
        stdout = done.stdout
    return min(timings), statistics.median(timings), stdout


def _renderer() -> Callable[[Any, Any], None]:
    """How ``ratchet traces show`` draws a trace for a terminal, whichever module holds it."""
    try:
        from ratchet.cli import tree_view

        return lambda trace, console: console.print(tree_view.styled(trace), soft_wrap=True)
    except ImportError:
        from ratchet.cli.traces import render_tree

        return lambda trace, console: console.print(render_tree(trace))


def time_show(server: Server, trace_id: str, runs: int = 5) -> ShowTiming:
    """Wall time of the CLI (best of ``runs``), and the in-process parts of it."""
    render = _renderer()
    ratchet = str(BIN / "ratchet")
    argv = [ratchet, "traces", "show", trace_id, "--project", "bench"]
    best, median, stdout = _best_wall(argv, server.env, runs)
    version_best, _, _ = _best_wall([ratchet, "--version"], server.env, runs)

    from rich.console import Console

    from ratchet.store.projects import resolve_project
    from ratchet.store.store import open_store
    from ratchet.store.traces_read import get_trace

    store = open_store(url=server.env.get("RATCHET_DATABASE_URL"), home=server.env["RATCHET_HOME"])
    try:
        project = resolve_project(store, "bench")
        fetch, drawing = [], []
        for _ in range(runs):
            started = time.perf_counter()
            trace = get_trace(store, project.id, trace_id)
            fetch.append((time.perf_counter() - started) * 1000)
            sink = io.StringIO()
            console = Console(file=sink, width=160, highlight=False, soft_wrap=True)
            started = time.perf_counter()
            render(trace, console)
            drawing.append((time.perf_counter() - started) * 1000)
    finally:
        store.close()
    return ShowTiming(
        spans=len(trace.spans),
        cli_best_ms=best,
        cli_median_ms=median,
        version_best_ms=version_best,
        get_trace_ms=min(fetch),
        render_ms=min(drawing),
        lines=stdout.count("\n"),
    )
