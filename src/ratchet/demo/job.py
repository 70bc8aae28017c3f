"""The main job: simulated production for two example agents, captured end to end.

Everything goes through the real parts a user runs: a Ratchet server on the
store, the OpenTelemetry SDK and OTLP exporter in the "application", and the
REST API for feedback. Then the release side: the example application's
changes are gated on the fixtures from the two incidents, the changes that
keep a bug are held and the fixes pass. Later stages extend this job until
it runs the loop.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ratchet.core.clock import SystemClock
from ratchet.core.ids import RandomIds
from ratchet.demo.release import run_release_demo
from ratchet.demo.review_step import run_review_demo
from ratchet.demo.traffic import simulate_production
from ratchet.server.app import create_app
from ratchet.server.background import serve_in_thread
from ratchet.store.keys import create_key
from ratchet.store.store import Store, open_store
from ratchet.store.traces_read import TraceFilter, list_traces

DEMO_PROJECT = "demo"


class StoreOptions(Protocol):
    database_url: str | None
    home: str | None


def run_demo(
    options: StoreOptions,
    *,
    traces: int,
    seed: int,
    port: int,
    console: Console,
    serve: bool = False,
) -> dict[str, Any]:
    """Run the demo and print what was captured; returns the summary figures.

    With ``serve``, the server keeps running on the demo's store afterwards
    (until Ctrl-C), for signing in to the web UI.
    """
    store = open_store(url=options.database_url, home=options.home)
    try:
        console.print(f"store: {store.settings.describe()}")
        key, project = create_key(store, DEMO_PROJECT, "demo")
        start = SystemClock().now()
        with serve_in_thread(create_app(store, migrate=False), port=port) as url:
            console.print(f"server: {url} (project {project.name})")
            with Progress(
                TextColumn("simulating production"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                task = bar.add_task("runs", total=traces)
                report = simulate_production(
                    url,
                    key,
                    traces=traces,
                    seed=seed,
                    start=start,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        summary = summarize(store, project.id)
        _print_summary(console, report, summary, options)
        summary["review"] = run_review_demo(
            store,
            project.id,
            report.failure_modes,
            clock=SystemClock(),
            ids=RandomIds(),
            console=console,
            seed=seed,
        )
        summary["gates"] = run_release_demo(store.settings.home, options.database_url, console)
        reviewer_key, _ = create_key(store, DEMO_PROJECT, "reviewer")
        _print_ui(console, options, reviewer_key, serve)
        if serve:
            _serve(store, port)
        return summary
    finally:
        store.close()


def summarize(store: Store, project_id: int) -> dict[str, Any]:
    """Counts over every trace in the project, read back through the store."""
    services: Counter[str] = Counter()
    finals: Counter[str] = Counter()
    total = errors = spans = with_signal = 0
    cursor = None
    failing: list[tuple[str, str, str]] = []
    while True:
        page = list_traces(store, project_id, TraceFilter(), limit=500, cursor=cursor)
        for t in page.traces:
            total += 1
            spans += t.span_count
            services[t.service or "?"] += 1
            finals[t.final_status or "unset"] += 1
            errors += bool(t.error_count)
            with_signal += bool(t.signal_count)
            if t.signal_count and len(failing) < 5:
                failing.append((t.trace_id, t.service or "?", t.name or ""))
        cursor = page.next_cursor
        if cursor is None:
            break
    return {
        "traces": total,
        "spans": spans,
        "traces_with_errors": errors,
        "traces_with_feedback": with_signal,
        "services": dict(services),
        "final_status": dict(finals),
        "examples_with_feedback": failing,
    }


def _print_summary(
    console: Console, report: Any, summary: dict[str, Any], options: StoreOptions
) -> None:
    console.print(
        f"\nsent {report.traces} runs in {report.sessions} sessions; "
        f"posted {report.feedback_posted} pieces of feedback"
    )
    console.print(
        f"captured {summary['traces']} traces, {summary['spans']} spans; "
        f"{summary['traces_with_errors']} with a failed span, "
        f"{summary['traces_with_feedback']} with feedback"
    )
    for service, n in sorted(summary["services"].items()):
        console.print(f"  {service}: {n} traces")
    finals = ", ".join(f"{k} {v}" for k, v in sorted(summary["final_status"].items()))
    console.print(f"  final status: {finals}")
    if summary["examples_with_feedback"]:
        console.print(
            "\ntraces users complained about (look at one with `ratchet traces show ID`):"
        )
        for trace_id, service, name in summary["examples_with_feedback"]:
            console.print(f"  {trace_id}  {service}  {name}")


def _prefix(options: StoreOptions) -> str:
    if options.database_url:
        return "RATCHET_DATABASE_URL=… "
    return f"RATCHET_HOME={options.home} " if options.home else ""


def _print_ui(console: Console, options: StoreOptions, key: str, serving: bool) -> None:
    prefix = _prefix(options)
    console.print(f"\nlook around: {prefix}ratchet traces list --has-signal")
    console.print(f"review status: {prefix}ratchet review status")
    if not serving:
        console.print(
            f"web UI over this store: {prefix}ratchet serve   (or `ratchet demo --serve`),"
            " then open http://127.0.0.1:4318/ and sign in"
        )
    console.print(f"sign-in key (user 'reviewer', project demo): {key}", markup=False)


def _serve(store: Store, port: int) -> None:
    import uvicorn

    url = f"http://127.0.0.1:{port or 4318}/"
    app = create_app(store, migrate=False, watch_every_s=10.0)
    print(f"serving the demo store at {url} (Ctrl-C stops)", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=port or 4318, log_level="warning", access_log=False)
