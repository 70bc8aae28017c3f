"""``make bench``: capture performance figures on SQLite and PostgreSQL (figures, not pass/fail).

For each store it starts a real ``ratchet serve`` on an empty store, then:
ingests ``--spans`` spans from 8 concurrent clients (throughput over the
first and the last tenth), sends 2,000 spans/s open-loop for 30 s (p99
latency), reads the server's peak RSS, posts feedback on 1% of the runs,
times the filtered trace list and ``ratchet traces show`` of a 500-span
trace. Then it runs the decode and redaction micro-benchmarks, and the
release side (``bench_runner.py``: runner overhead, ``ratchet gate`` on 10k
fixtures, 1,000 agents in flight, ``ratchet run`` RSS on 100k fixtures),
then the review side (``bench_signals.py``: the detectors' traces/s;
``bench_review.py``: trace view, review queue and sessions list on a store
of 1 M traces), and prints the tables. ``--write`` puts them, the machine
and the date into benchmarks/README.md (each side in its own block).

Usage::

    python benchmarks/run.py                   # 1 M spans, SQLite and PostgreSQL
    python benchmarks/run.py --quick           # 100k spans, release RSS on 20k fixtures
    python benchmarks/run.py --backends sqlite --save sqlite.json
    python benchmarks/run.py --backends none --load sqlite.json --load pg.json --write
    python benchmarks/run.py --backends none --no-micro --no-review --save release.json
    python benchmarks/run.py --backends none --no-micro --no-release --write   # review side
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ingest_load import Server, paced, post_feedback, running_server, send_bodies, sustained
from query_bench import list_filters, time_lists, time_show
from report import render_release, render_review, render_table, write_readme
from spans import SERVICES, SPANS_PER_REQUEST, Traffic, big_trace_bodies

HERE = Path(__file__).resolve().parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def log(message: str) -> None:
    print(message, flush=True)


def _pg_schema(base_url: str, action: str, schema: str) -> None:
    import psycopg

    dsn = base_url.replace("postgresql+psycopg://", "postgresql://").split("?", 1)[0]
    with psycopg.connect(dsn, autocommit=True) as conn:
        if action == "create":
            conn.execute(f'CREATE SCHEMA "{schema}"')
        else:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _pg_analyze_if_needed(base_url: str, schema: str) -> bool:
    """ANALYZE the bench schema when the server's autovacuum is off; True if it did.

    With autovacuum off the planner never gets statistics for tables that
    were empty when created, and chooses plans a production server (where
    autovacuum analyses after bulk inserts) would not.
    """
    import psycopg

    dsn = base_url.replace("postgresql+psycopg://", "postgresql://").split("?", 1)[0]
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("SHOW autovacuum").fetchone()
        if row and row[0] == "on":
            return False
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute("ANALYZE")
    return True


def _pg_version(base_url: str) -> str:
    import psycopg

    dsn = base_url.replace("postgresql+psycopg://", "postgresql://").split("?", 1)[0]
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "?"


def _lists(
    out: dict[str, Any], server: Server, filters: Any, backend: str, pg_url: str, schema: str
) -> None:
    lists = time_lists(server, filters)
    for t in lists:
        log(f"[{backend}] list {t.name}: p50 {t.p50_ms:.1f} ms, p95 {t.p95_ms:.1f} ms")
    if backend == "postgres" and _pg_analyze_if_needed(pg_url, schema):
        log(f"[{backend}] autovacuum is off on this server: ANALYZE, then time again")
        out["lists_without_statistics"] = [vars(t) for t in lists]
        lists = time_lists(server, filters)
        for t in lists:
            log(f"[{backend}] list {t.name}: p50 {t.p50_ms:.1f} ms, p95 {t.p95_ms:.1f} ms")
    out["lists"] = [vars(t) for t in lists]


def bench_store(
    backend: str, spans: int, pg_url: str, latency_seconds: float, workers: int = 1
) -> dict[str, Any]:
    """Everything measured against one store, from empty to ``spans`` spans."""
    home = Path(tempfile.mkdtemp(prefix=f"ratchet-bench-{backend}-"))
    schema = f"bench_{os.urandom(4).hex()}"
    url = None
    if backend == "postgres":
        _pg_schema(pg_url, "create", schema)
        url = f"{pg_url}?options=-csearch_path%3D{schema}"
    out: dict[str, Any] = {"backend": backend, "workers": workers}
    try:
        with running_server(home, url, workers) as server:
            log(f"[{backend}] server pid {server.pid} at {server.url}; building traffic")
            traffic = Traffic()
            log(f"[{backend}] sustained ingest of {spans:,} spans, 8 concurrent clients")
            fill = asyncio.run(sustained(server, traffic, spans, label=f"[{backend}] "))
            requests = fill.spans // SPANS_PER_REQUEST
            out["ingest"] = {
                "spans": fill.spans,
                "seconds": fill.seconds,
                "rate": fill.rate,
                "window": fill.window,
                "first_rate": fill.first_rate,
                "last_rate": fill.last_rate,
                "ratio": fill.ratio,
                "retries": fill.retries,
                "server_cpu_us": fill.server_cpu_us,
                "load_average": fill.load_average,
            }
            log(
                f"[{backend}] {fill.rate:,.0f} spans/s overall; first {fill.window:,}: "
                f"{fill.first_rate:,.0f}/s, last {fill.window:,}: {fill.last_rate:,.0f}/s "
                f"({fill.ratio:.0%}); 503 retries: {fill.retries}; server CPU"
                f" {fill.server_cpu_us:.0f} µs/span; load average {fill.load_average:.1f}"
            )
            log(f"[{backend}] paced 20 requests/s of 100 spans for {latency_seconds:.0f} s")
            lat = asyncio.run(paced(server, traffic, requests, rps=20, seconds=latency_seconds))
            out["latency"] = {
                "rate": lat.rate,
                "p50_ms": lat.p50_ms,
                "p99_ms": lat.p99_ms,
                "max_ms": lat.max_ms,
                "retries": lat.retries,
                "store_spans": fill.spans,
            }
            log(
                f"[{backend}] p50 {lat.p50_ms:.0f} ms, p99 {lat.p99_ms:.0f} ms,"
                f" max {lat.max_ms:.0f} ms"
            )
            posted = post_feedback(server, traffic, requests)
            log(f"[{backend}] posted feedback on {posted} runs")
            big_id, bodies = big_trace_bodies(500, fill.stamped_ns[-1])
            send_bodies(server, bodies)
            stamps = fill.stamped_ns
            filters = list_filters(
                SERVICES[0], stamps[len(stamps) * 4 // 10], stamps[len(stamps) // 2]
            )
            try:
                _lists(out, server, filters, backend, pg_url, schema)
            except Exception as exc:  # one broken phase must not lose the others' figures
                out["lists_error"] = repr(exc)
                log(f"[{backend}] trace list failed: {exc!r}")
            try:
                show = time_show(server, big_id)
                out["show"] = vars(show)
                log(
                    f"[{backend}] traces show ({show.spans} spans): CLI best"
                    f" {show.cli_best_ms:.0f} ms (ratchet --version {show.version_best_ms:.0f}"
                    f" ms); get_trace {show.get_trace_ms:.0f} ms, render {show.render_ms:.0f} ms"
                )
            except Exception as exc:
                out["show_error"] = repr(exc)
                log(f"[{backend}] traces show failed: {exc!r}")
            peak, current = server.memory_mb()
            out["memory"] = {"peak_mb": peak, "rss_mb": current}
            log(f"[{backend}] server RSS peak {peak:.0f} MB, now {current:.0f} MB")
        if backend == "sqlite":
            out["store_bytes"] = sum(p.stat().st_size for p in home.glob("ratchet.db*"))
    finally:
        if backend == "postgres":
            _pg_schema(pg_url, "drop", schema)
        shutil.rmtree(home, ignore_errors=True)
    return out


def micro() -> dict[str, Any]:
    """The decode and redaction scripts, each in its own process; their figures parsed."""
    out: dict[str, Any] = {}
    for script, patterns in (
        (
            "bench_decode.py",
            {
                "decode_protobuf_us": r"protobuf\s+([\d.]+)\s*µs/span",
                "decode_json_us": r"json\s+([\d.]+)\s*µs/span",
            },
        ),
        ("bench_redaction.py", {"redaction_us": r"redaction:\s*best\s+([\d.]+)\s*µs/span"}),
    ):
        log(f"running {script}")
        done = subprocess.run(
            [sys.executable, str(HERE / script)], capture_output=True, text=True, check=False
        )
        text = done.stdout + done.stderr
        for line in done.stdout.splitlines():
            log(f"  {line}")
        for key, pattern in patterns.items():
            match = re.search(pattern, text)
            out[key] = float(match.group(1)) if match and done.returncode == 0 else None
    return out


def release(quick: bool) -> dict[str, Any]:
    """The release-side figures: bench_runner.py in its own process, its lines shown live."""
    log("running bench_runner.py (release side)")
    with tempfile.TemporaryDirectory(prefix="ratchet-bench-release-") as tmp:
        saved = Path(tmp) / "release.json"
        command = [sys.executable, str(HERE / "bench_runner.py"), "--save", str(saved)]
        done = subprocess.run([*command, *(["--quick"] if quick else [])], check=False)
        if done.returncode != 0 or not saved.exists():
            return {"error": f"exit status {done.returncode}"}
        out: dict[str, Any] = json.loads(saved.read_text())
    out["machine"] = machine("", with_pg=False)
    return out


def _saved_run(script: str, saved: Path, extra: list[str]) -> dict[str, Any]:
    """Run a benchmark script in its own process (its lines shown live); its saved JSON."""
    argv = [sys.executable, str(HERE / script), "--save", str(saved), *extra]
    done = subprocess.run(argv, check=False)
    if done.returncode != 0 or not saved.exists():
        raise RuntimeError(f"{script} exit status {done.returncode}")
    loaded: dict[str, Any] = json.loads(saved.read_text())
    return loaded


def review(quick: bool) -> dict[str, Any]:
    """The review side: the signal detectors' rate, then the web UI's pages on a full store.

    Each script runs in its own process, so one failing keeps the other's figures.
    """
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="ratchet-bench-review-") as tmp:
        log("running bench_signals.py (signal detectors)")
        try:
            out["detectors"] = _saved_run("bench_signals.py", Path(tmp) / "signals.json", [])
        except RuntimeError as exc:
            out["detectors_error"] = str(exc)
        log("running bench_review.py (trace view, review queue)")
        try:
            flags = ["--quick"] if quick else []
            out.update(_saved_run("bench_review.py", Path(tmp) / "review.json", flags))
        except RuntimeError as exc:
            out["error"] = str(exc)
    out["machine"] = machine("", with_pg=False)
    return out


def machine(pg_url: str, with_pg: bool) -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M)
    from ratchet.core.clock import SystemClock

    info = {
        "cpu": model.group(1).strip() if model else platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem.group(1)) / 1024 / 1024) if mem else None,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _pg_version(pg_url) if with_pg else None,
        "date": SystemClock().now().date().isoformat(),
    }
    return info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=1_000_000, help="spans to ingest per store")
    parser.add_argument(
        "--quick", action="store_true", help="100k spans, 10 s latency run, RSS on 20k fixtures"
    )
    parser.add_argument(
        "--backends", default="sqlite,postgres", help="comma-separated: sqlite, postgres, none"
    )
    parser.add_argument("--pg-url", default=os.environ.get("RATCHET_BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--latency-seconds", type=float, default=30.0)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="`ratchet serve --workers` (server processes; default one per core)",
    )
    parser.add_argument("--no-micro", action="store_true", help="skip decode/redaction scripts")
    parser.add_argument(
        "--no-release", action="store_true", help="skip the release side (bench_runner.py)"
    )
    parser.add_argument(
        "--no-review",
        action="store_true",
        help="skip the review side (bench_signals.py, bench_review.py)",
    )
    parser.add_argument("--save", type=Path, help="write the results as JSON to this file")
    parser.add_argument("--load", type=Path, action="append", default=[], help="merge results")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args(argv)
    # Stopped with SIGTERM, still stop the server and drop the schema.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    spans = 100_000 if args.quick and args.spans == 1_000_000 else args.spans
    latency_seconds = 10.0 if args.quick and args.latency_seconds == 30.0 else args.latency_seconds
    backends = [b for b in args.backends.split(",") if b and b != "none"]

    results: dict[str, Any] = {"stores": {}}
    for path in args.load:
        loaded = json.loads(path.read_text())
        results["stores"].update(loaded.get("stores", {}))
        if "micro" in loaded:
            results["micro"] = loaded["micro"]
        if "release" in loaded:
            results["release"] = loaded["release"]
        if "review" in loaded:
            results["review"] = loaded["review"]
        machine_info = results.setdefault("machine", {})
        machine_info.update({k: v for k, v in loaded.get("machine", {}).items() if v is not None})
    for backend in backends:
        name = backend if args.workers == 1 else f"{backend}-w{args.workers}"
        results["stores"][name] = bench_store(
            backend, spans, args.pg_url, latency_seconds, args.workers
        )
        if args.save:  # after each store, so a later failure loses nothing
            args.save.write_text(json.dumps(results, indent=2))
    if not args.no_micro and (backends or "micro" not in results):
        results["micro"] = micro()
    if not args.no_release and (backends or "release" not in results):
        results["release"] = release(args.quick)
    if not args.no_review and (backends or "review" not in results):
        results["review"] = review(args.quick)
    if backends or not results.get("machine"):
        with_pg = any(s.get("backend") == "postgres" for s in results["stores"].values())
        results["machine"] = machine(args.pg_url, with_pg)
    if args.save:
        args.save.write_text(json.dumps(results, indent=2))
    table = render_table(results)
    if table:
        print()
        print(table)
    if results.get("release"):
        print()
        print(render_release(results["release"]))
    if results.get("review"):
        print()
        print(render_review(results["review"]))
    if args.write:
        write_readme(HERE / "README.md", results, table)
        log(f"wrote {HERE.name}/README.md")


if __name__ == "__main__":
    main()
