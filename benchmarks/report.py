"""The results table (Markdown) and its place in benchmarks/README.md.

A figure that misses its target is marked "✗", one that meets it "✓"; the
figures are what the run measured, never adjusted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
#: The release-side block (bench_runner.py), written on its own: a run of one side
#: leaves the other side's figures as they were.
RELEASE_START = "<!-- bench:release:start -->"
RELEASE_END = "<!-- bench:release:end -->"
#: The review-side block (bench_signals.py and bench_review.py), also written on its own.
REVIEW_START = "<!-- bench:review:start -->"
REVIEW_END = "<!-- bench:review:end -->"

Store = dict[str, Any]
#: (figure, target, value of one store's results, met?) — value None means "not measured".
Row = tuple[str, str, Callable[[Store], float | None], Callable[[float], bool] | None, str]


def _get(*path: str) -> Callable[[Store], float | None]:
    def read(store: Store) -> float | None:
        value: Any = store
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return float(value) if value is not None else None

    return read


def _list(name: str) -> Callable[[Store], float | None]:
    def read(store: Store) -> float | None:
        for timing in store.get("lists", []):
            if timing["name"] == name:
                return float(timing["p95_ms"])
        return None

    return read


def at_least(limit: float) -> Callable[[float], bool]:
    return lambda value: value >= limit


def at_most(limit: float) -> Callable[[float], bool]:
    return lambda value: value <= limit


def _rows(window: str, size: str) -> list[Row]:
    rows: list[Row] = [
        (
            f"ingest over HTTP, empty store (first {window} spans), spans/s",
            "≥ 10,000",
            _get("ingest", "first_rate"),
            at_least(10_000),
            "{:,.0f}",
        ),
        (
            f"ingest, store growing to {size} (last {window} spans), spans/s",
            "≥ 10,000",
            _get("ingest", "last_rate"),
            at_least(10_000),
            "{:,.0f}",
        ),
        ("last / first", "≥ 60%", _get("ingest", "ratio"), at_least(0.6), "{:.0%}"),
        (f"ingest, whole run to {size}, spans/s", "", _get("ingest", "rate"), None, "{:,.0f}"),
        (
            "server CPU per span ingested (user + system, all threads), µs",
            "",
            _get("ingest", "server_cpu_us"),
            None,
            "{:.0f}",
        ),
        (
            "machine load average during ingest (2 cores)",
            "",
            _get("ingest", "load_average"),
            None,
            "{:.1f}",
        ),
        (
            f"p99 latency at 2,000 spans/s, store at {size}, ms",
            "≤ 250",
            _get("latency", "p99_ms"),
            at_most(250),
            "{:,.0f}",
        ),
        ("p50 latency at 2,000 spans/s, ms", "", _get("latency", "p50_ms"), None, "{:,.0f}"),
        ("server peak RSS (VmHWM), MB", "≤ 300", _get("memory", "peak_mb"), at_most(300), "{:.0f}"),
    ]
    for name in ("service", "status=error", "time range", "has_signal", "all four"):
        rows.append(
            (
                f"`GET /api/v1/traces` p95, filter {name}, ms",
                "≤ 200",
                _list(name),
                at_most(200),
                "{:.1f}",
            )
        )
    rows += [
        (
            "`ratchet traces show` 500 spans, CLI wall, best of 5, ms",
            "< 300",
            _get("show", "cli_best_ms"),
            lambda v: v < 300,
            "{:.0f}",
        ),
        (
            "`ratchet --version` wall (import floor), ms",
            "",
            _get("show", "version_best_ms"),
            None,
            "{:.0f}",
        ),
        ("in process: `get_trace` 500 spans, ms", "", _get("show", "get_trace_ms"), None, "{:.1f}"),
        (
            "in process: render tree to a file console, ms",
            "",
            _get("show", "render_ms"),
            None,
            "{:.1f}",
        ),
    ]
    return rows


def _cell(row: Row, store: Store | None) -> str:
    _, _, read, met, fmt = row
    if store is None:
        return "—"
    value = read(store)
    if value is None:
        return "—"
    text = fmt.format(value)
    if met is not None:
        text += " ✓" if met(value) else " ✗"
    return text


def _size(spans: int) -> str:
    return f"{spans / 1e6:g} M" if spans >= 1_000_000 else f"{spans // 1000}k"


def _store_table(group: dict[str, Store]) -> list[str]:
    sqlite, pg = group.get("sqlite"), group.get("postgres")
    sizes = {s["ingest"]["spans"] for s in group.values() if "ingest" in s}
    spans = max(sizes) if sizes else 0
    lines = ["| figure | target | SQLite | PostgreSQL |", "| --- | --- | ---: | ---: |"]
    for row in _rows(_size(max(100, spans // 10)), _size(spans)):
        lines.append(f"| {row[0]} | {row[1]} | {_cell(row, sqlite)} | {_cell(row, pg)} |")
    if pg and pg.get("lists_without_statistics"):
        before = ", ".join(
            f"{t['name']} {t['p95_ms']:.0f} ms" for t in pg["lists_without_statistics"]
        )
        lines.append("")
        lines.append(
            "The PostgreSQL server used here runs with `autovacuum = off`, so the"
            " trace-list figures above were taken after an explicit `ANALYZE` (what"
            " autovacuum does after bulk inserts). Before it, with no planner"
            f" statistics, the p95s were: {before}."
        )
    if len(sizes) > 1:
        lines.append("")
        lines.append(f"Stores were filled to different sizes: {sorted(sizes)} spans.")
    return lines


def render_table(results: dict[str, Any]) -> str:
    """One table per server configuration (processes), then the per-span micro figures."""
    groups: dict[int, dict[str, Store]] = {}
    for name, store in results.get("stores", {}).items():
        backend = store.get("backend", name)
        groups.setdefault(int(store.get("workers", 1)), {})[backend] = store
    lines: list[str] = []
    for workers in sorted(groups):
        if len(groups) > 1 or workers > 1:
            command = "ratchet serve" + ("" if workers == 1 else f" --workers {workers}")
            how = "one process" if workers == 1 else "summed over the processes"
            lines.append(f"**`{command}`** (RSS and CPU: {how})")
            lines.append("")
        lines += _store_table(groups[workers])
        lines.append("")
    micro = results.get("micro", {})
    if not micro and not groups:  # a release-side run only
        return "\n".join(lines)
    lines += ["| per span, no store | µs |", "| --- | ---: |"]
    for key, label in (
        ("decode_protobuf_us", "decode OTLP protobuf (`bench_decode.py`)"),
        ("decode_json_us", "decode OTLP JSON (`bench_decode.py`)"),
        ("redaction_us", "redaction (`bench_redaction.py`)"),
    ):
        value = micro.get(key)
        lines.append(f"| {label} | {f'{value:.1f}' if value is not None else '—'} |")
    return "\n".join(lines)


def _release_rows(release: dict[str, Any]) -> list[tuple[str, str, str, float | None, bool | None]]:
    """(figure, target, format, value, met) for each release-side figure."""
    n = f"{int(release.get('fixtures', 10_000)):,}"
    big = int(release.get("big", 100_000))
    slow, flight = release.get("slow_fixtures", 3_000), release.get("concurrency", 1_000)

    def row(
        label: str, target: str, fmt: str, key: str, met: Callable[[float], bool] | None = None
    ) -> tuple[str, str, str, float | None, bool | None]:
        value = release.get(key)
        value = float(value) if value is not None else None
        return label, target, fmt, value, (met(value) if met and value is not None else None)

    us = release.get("runner_us")
    rate = 1e6 / float(us) if us else None
    rows = [
        row(
            "runner overhead per fixture: trivial agent, ten checks, result row stored"
            " (in process, best of 5), µs",
            "≤ 100",
            "{:.0f}",
            "runner_us",
            at_most(100),
        ),
        ("same, fixtures/s", "≥ 10,000", "{:,.0f}", rate, rate >= 10_000 if rate else None),
        row("same, CPU of the runner's thread per fixture, µs", "", "{:.0f}", "runner_cpu_us"),
        row(
            f"`ratchet gate`, {n} fixtures, new process, fixture cache cold, s",
            "< 5",
            "{:.2f}",
            "gate_cold_s",
            lambda v: v < 5,
        ),
        row(
            f"`ratchet gate`, {n} fixtures, fixture cache warm, every fixture replayed, s",
            "< 5",
            "{:.2f}",
            "gate_warm_s",
            lambda v: v < 5,
        ),
        row(
            f"`ratchet gate`, {n} fixtures, fully cached re-run, s",
            "< 2",
            "{:.2f}",
            "gate_cached_s",
            lambda v: v < 2,
        ),
        row(
            f"agent awaiting a 1 s model call, `--concurrency {flight}`, {slow:,} fixtures,"
            " fixtures/s",
            "",
            "{:,.0f}",
            "concurrency_rate",
        ),
        row(
            "same, share of concurrency ÷ latency",
            "≥ 90%",
            "{:.1%}",
            "concurrency_ratio",
            at_least(0.9),
        ),
        row(
            f"`ratchet run`, {big:,} fixtures, peak RSS of the process, MB",
            "< 500 (100k fixtures)",
            "{:.0f}",
            "run_rss_mb",
            (lambda v: v < 500) if big >= 100_000 else None,
        ),
        row(f"`ratchet run`, {big:,} fixtures, wall, s", "", "{:.0f}", "run_big_s"),
    ]
    return rows


def render_release(release: dict[str, Any]) -> str:
    """The release-side table: runner, gate and run figures against their targets."""
    lines = ["| release side | target | measured |", "| --- | --- | ---: |"]
    for label, target, fmt, value, met in _release_rows(release):
        cell = "—" if value is None else fmt.format(value)
        if value is not None and met is not None:
            cell += " ✓" if met else " ✗"
        lines.append(f"| {label} | {target} | {cell} |")
    if release.get("error"):
        lines += ["", f"bench_runner.py failed: {release['error']}"]
    return "\n".join(lines)


REVIEW_METHOD = (
    "`bench_review.py` writes production traces of three or four spans (agent, model call, one or"
    " two tools; one in 25 failing a tool) to an SQLite store through the store's own"
    " `write_spans`, with signals of nine kinds on about 5% of them, and starts"
    " `ratchet serve --watch-every 0` on it. Over OTLP it adds one 500-span trace; a browser"
    " signs in at `/login`; one review session of 100 traces is started per filter below (five"
    " times each, timed), and the first is part-read (30 verdicts, 10 notes). Each figure is"
    " one request at a time over loopback (the 500-span view 100 times, each queue 200, after"
    " three untimed ones): server time as a client on the same machine sees it, HTTP included."
    " The detectors' rate is `bench_signals.py` (5,000 generated runs of 10 to 30 spans, best"
    " of five passes, one thread)."
)


def _fmt(value: Any, fmt: str, met: Callable[[float], bool] | None = None) -> str:
    if value is None:
        return "—"
    return fmt.format(value) + ("" if met is None else " ✓" if met(value) else " ✗")


def _review_row(
    label: str, target: str, value: Any, fmt: str, met: Callable[[float], bool] | None = None
) -> str:
    return f"| {label} | {target} | {_fmt(value, fmt, met)} |"


def render_review(review: dict[str, Any]) -> str:
    """The review-side figures (trace view, sessions list, detectors), then the queue by filter."""
    ms = {k: v for k, v in review.items() if isinstance(v, dict) and "p95_ms" in v}
    sig = review.get("detectors") or {}
    lines = []
    if review.get("traces"):
        lines += [
            f"SQLite store of {review['traces']:,} production traces ({review['spans']:,} spans),"
            f" signals on {review['signals']:,} of them, written in {review['load_s']:.0f} s.",
            "",
        ]
    view = ms.get("view_500", {})
    lines += [
        "| review side | target | measured |",
        "| --- | --- | ---: |",
        _review_row(
            f"trace view, 500-span trace ({view.get('bytes', 0) / 1024:,.0f} KB page), p50, ms",
            "≤ 150",
            view.get("p50_ms"),
            "{:.0f}",
            at_most(150),
        ),
        _review_row("same, p95, ms", "≤ 150", view.get("p95_ms"), "{:.0f}", at_most(150)),
        _review_row(
            "trace view of a 4-span trace in its session, p95, ms",
            "",
            ms.get("view_queue_trace", {}).get("p95_ms"),
            "{:.1f}",
        ),
        _review_row(
            "sessions list `/review`, p95, ms",
            "",
            ms.get("sessions_list", {}).get("p95_ms"),
            "{:.1f}",
        ),
        _review_row(
            "signal detectors, all built-in, one core, traces/s",
            "≥ 5,000",
            sig.get("detect_traces_per_s"),
            "{:,.0f}",
            at_least(5_000),
        ),
        _review_row("server peak RSS (VmHWM), MB", "", review.get("server_rss_mb"), "{:.0f}"),
    ]
    queue, rest, start = (review.get(k, {}) for k in ("queue", "queue_api", "start"))
    if queue:
        lines += [
            "",
            "| queue of a 100-trace session drawn with | page p50, ms | page p95, ms (≤ 200)"
            " | REST p95, ms | starting it: p50 / max, ms |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
    for name, page in queue.items():
        began = start.get(name, {})
        lines.append(
            f"| {name} | {page['p50_ms']:.1f} | {_fmt(page['p95_ms'], '{:.1f}', at_most(200))}"
            f" | {_fmt(rest.get(name, {}).get('p95_ms'), '{:.1f}')}"
            f" | {_fmt(began.get('p50_ms'), '{:.0f}')} / {_fmt(began.get('max_ms'), '{:.0f}')} |"
        )
    for key, script in (("error", "bench_review.py"), ("detectors_error", "bench_signals.py")):
        if review.get(key):
            lines += ["", f"{script} failed: {review[key]}"]
    return "\n".join(lines)


def machine_text(results: dict[str, Any]) -> str:
    m = results.get("machine", {})
    parts = [
        f"{m.get('cores')} cores ({m.get('cpu')})",
        f"{m.get('memory_gib')} GiB memory",
        f"Python {m.get('python')}",
        f"SQLite {m.get('sqlite')}",
    ]
    if m.get("postgresql"):
        parts.append(f"PostgreSQL {m['postgresql']} (on the same machine)")
    return f"Measured on {m.get('date')}: " + ", ".join(parts) + "."


def _replace_block(text: str, start: str, end: str, body: str) -> str:
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        return head + block + rest.split(end, 1)[1]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def write_readme(path: Path, results: dict[str, Any], table: str) -> None:
    """Replace the marked blocks of the README (or append them) with the new figures.

    The capture block is written when the results hold stores (or nothing
    else); the release and review blocks when they hold those sides' figures,
    each with the machine and date they were measured on.
    """
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    release, review = results.get("release"), results.get("review")
    if results.get("stores") or not (release or review):
        text = _replace_block(text, START, END, f"{machine_text(results)}\n\n{table}")
    if release:
        when = {"machine": release.get("machine") or results.get("machine", {})}
        body = f"{machine_text(when)}\n\n{render_release(release)}"
        text = _replace_block(text, RELEASE_START, RELEASE_END, body)
    if review:
        when = {"machine": review.get("machine") or results.get("machine", {})}
        body = f"{machine_text(when)}\n\n{REVIEW_METHOD}\n\n{render_review(review)}"
        text = _replace_block(text, REVIEW_START, REVIEW_END, body)
    path.write_text(text)
