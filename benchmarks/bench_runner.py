"""Release-side performance: the runner, ``ratchet gate`` and ``ratchet run`` on large suites.

Builds suites of refund fixtures (ten deterministic checks each) and the
candidate module in a temporary folder, then measures the four release-side
targets:

1. runner overhead per fixture with a trivial agent, in this process: the
   suite runner (replay, ten checks, summary, the result row written to a
   SQLite store by its writer thread), best of ``--passes``; the CPU time of
   the runner's thread is shown beside it;
2. ``ratchet gate --change prompt`` on 10,000 fixtures, each a new process
   (start-up included), best of ``--repeat``: with an empty RATCHET_HOME
   (fixture-file cache cold), with the fixture cache filled and
   ``--no-cache`` (every fixture replayed), and a fully cached re-run
   (checked: every verdict cached);
3. an agent that awaits a simulated 1 s model call, ``ratchet run
   --concurrency 1000`` on 3,000 fixtures: fixtures per second over the run
   (``duration_s`` of the report) against concurrency ÷ latency;
4. peak RSS of ``ratchet run`` on 100,000 fixtures (``ru_maxrss`` of the
   process from ``wait4``), fixture cache cold.

Prints one line per figure with its target (✓/✗) and, with ``--save``, the
figures as JSON (``run.py`` reads them). Run:
``python benchmarks/bench_runner.py [--quick] [--save FILE]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SEED = 20260419
#: (figure key, target, met?) — what run.py and this script print beside each figure.
TARGETS: dict[str, tuple[str, Any]] = {
    "runner_us": ("≤ 100 µs", lambda v: v <= 100),
    "gate_cold_s": ("< 5 s", lambda v: v < 5),
    "gate_warm_s": ("< 5 s", lambda v: v < 5),
    "gate_cached_s": ("< 2 s", lambda v: v < 2),
    "concurrency_ratio": ("≥ 90%", lambda v: v >= 0.9),
    "run_rss_mb": ("< 500 MB", lambda v: v < 500),
}

AGENT = """
import asyncio


async def _refund(case, tools):
    order = await tools.call("read_order", order_id=case.input["order_id"])
    with tools.span("policy", "refund_threshold"):
        pass
    if order["amount"] > 500:
        with tools.span("approval", "required"):
            pass
        return {
            "output": "A lead will review your refund.",
            "stop_reason": "needs_human_approval",
            "final_status": "needs_human",
        }
    await tools.call("issue_refund", order_id=case.input["order_id"])
    return {"output": "Refunded.", "stop_reason": "completed", "final_status": "resolved"}


async def run(case, tools):
    return await _refund(case, tools)


async def slow(case, tools):
    await asyncio.sleep(1.0)  # a model call
    return await _refund(case, tools)
"""

_TEAMS = ["support-platform", "payments", "refunds", "risk"]
_SEVERITIES = ["blocking", "warning", "warning"]


def fixture_yaml(rng: random.Random, index: int) -> str:
    """One refund fixture that the bench agent passes, with ten checks."""
    amount = rng.choice([40, 120, 480, 900, 2500])
    order = f"ord_{index:06d}"
    held = amount > 500
    return (
        f"id: refund-{index:06d}\n"
        f"owner: {rng.choice(_TEAMS)}\n"
        f"severity: {rng.choice(_SEVERITIES)}\n"
        "gates: [prompt, policy]\n"
        f'input: {{order_id: {order}, user_message: "Refund order {order} please"}}\n'
        "tools:\n"
        f"  read_order: {{returns: {{order_id: {order}, amount: {amount}}}}}\n"
        "  issue_refund: {side_effect: true}\n"
        "expect:\n"
        "  required_spans: [tool:read_order, policy:refund_threshold]\n"
        "  forbidden_spans: [message:customer_promise_sent]\n"
        "  tools_called: [read_order]\n"
        '  order: [[policy:refund_threshold, "@side_effect"]]\n'
        "  output_must_not_contain: [approved]\n"
        f"  budgets: {{max_tool_calls: {rng.choice([3, 4, 6])}}}\n"
        "  no_error_spans: true\n"
        "  no_tool_after_denial: true\n"
        f"  final_status: {'needs_human' if held else 'resolved'}\n"
        f"  stop_reason: {'needs_human_approval' if held else 'completed'}\n"
    )


def write_suite(folder: Path, count: int) -> Path:
    """``count`` fixture files in sub-folders of 1,000, and the agent module beside them."""
    rng = random.Random(SEED)
    for index in range(count):
        sub = folder / "evals" / f"batch-{index // 1000:03d}"
        if index % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"refund-{index:06d}.yaml").write_text(fixture_yaml(rng, index))
    (folder / "bench_agent.py").write_text(AGENT)
    return folder / "evals"


# --- 1. runner overhead, in this process ------------------------------------------------------


async def _runner_pass(planned: list[Any], home: Path, agent: Any) -> tuple[float, float]:
    """(wall, CPU of this thread) in seconds of one run of ``planned`` into a new store."""
    from ratchet.core.clock import SystemClock
    from ratchet.evaluate.runner.attempt import Attempter, Candidate
    from ratchet.evaluate.runner.engine import RunContext, run_planned
    from ratchet.evaluate.runner.ids import BufferedRandomIds
    from ratchet.store.projects import resolve_project
    from ratchet.store.store import open_store

    store = open_store(home=str(home))
    try:
        project_id = resolve_project(store, None).id
        gc.freeze()  # as the CLI does once the suite is loaded and the store open
        clock, ids = SystemClock(), BufferedRandomIds()  # as the CLI passes
        ctx = RunContext(store, project_id, ids.hex(8), clock, concurrency=8)
        attempt = Attempter(Candidate("bench_agent:run", agent), clock=clock, ids=ids)
        began, cpu = time.perf_counter(), time.thread_time()
        summary = await run_planned(ctx, planned, attempt)
        elapsed, cpu = time.perf_counter() - began, time.thread_time() - cpu
    finally:
        store.close()
    assert summary.count("passed") == len(planned), "the bench agent must pass every fixture"
    return elapsed, cpu


def runner_overhead(root: Path, passes: int) -> dict[str, float]:
    """Best µs per fixture of the suite runner over the suite, store writes included.

    Wall time is the figure; the CPU time of the runner's thread (the store's
    writer thread works beside it) is shown too, as it moves less with other
    load on the machine.
    """
    from ratchet.evaluate.runner.engine import Planned
    from ratchet.fixtures import FixtureCache, load_suite

    sys.path.insert(0, str(root))
    import bench_agent  # type: ignore[import-not-found]

    with FixtureCache(root / "home" / "cache") as cache:
        suite = load_suite(root / "evals", cache=cache)
    planned = [Planned(f.fixture, f.name) for f in suite.files]
    runs = [
        asyncio.run(_runner_pass(planned, root / f"runner-home-{i}", bench_agent.run))
        for i in range(passes)
    ]
    per = 1e6 / len(planned)
    return {
        "runner_us": min(w for w, _ in runs) * per,
        "runner_cpu_us": min(c for _, c in runs) * per,
    }


# --- 2-4. commands in new processes ------------------------------------------------------------


def ratchet(root: Path, home: Path, *args: str) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, output) of one ``ratchet`` command in a new process."""
    env = {**os.environ, "RATCHET_HOME": str(home)}
    env.pop("RATCHET_DATABASE_URL", None)
    command = [str(Path(sys.executable).with_name("ratchet")), *args]
    with tempfile.TemporaryFile("w+") as log:
        began = time.perf_counter()
        child = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
        # wait4 rather than wait: it gives this child's own peak RSS (ru_maxrss, KiB).
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - began
        child.returncode = code = os.waitstatus_to_exitcode(status)
        log.seek(0)
        out = log.read()
    if code not in (0, 1):
        raise RuntimeError(f"ratchet {' '.join(args)} exited {code}:\n{out[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out


def gate_times(root: Path, repeat: int) -> dict[str, float]:
    """Best wall time of ``repeat`` gates of each kind, each a new process.

    Cold: an empty RATCHET_HOME each time (no fixture cache, no results).
    Warm: the fixture cache filled, ``--no-cache`` so every fixture replays.
    Cached: every result reused from the earlier runs.
    """
    gate = ("gate", "--suite", "evals", "--agent", "bench_agent:run", "--change", "prompt")
    homes = [root / f"gate-home-{i}" for i in range(repeat)]
    cold = min(ratchet(root, home, *gate)[0] for home in homes)
    warm = min(ratchet(root, homes[0], *gate, "--no-cache")[0] for _ in range(repeat))
    cached = min(ratchet(root, homes[0], *gate)[0] for _ in range(repeat))
    report = root / "gate-report.json"
    ratchet(root, homes[0], *gate, "--json-report", str(report))
    verdicts = json.loads(report.read_text())["verdicts"]
    if not all(v["cached"] for v in verdicts):
        raise RuntimeError("the re-run replayed fixtures: the result cache missed")
    return {"gate_cold_s": cold, "gate_warm_s": warm, "gate_cached_s": cached}


def concurrency(root: Path, fixtures: int, in_flight: int) -> dict[str, float]:
    """Throughput of an agent that waits 1 s per fixture, against ``in_flight`` per second."""
    report = root / "slow-report.json"
    ratchet(
        root,
        root / "slow-home",
        "run",
        "--suite",
        "evals",
        "--agent",
        "bench_agent:slow",
        "--concurrency",
        str(in_flight),
        "--no-cache",
        "--json-report",
        str(report),
        "--quiet",
    )
    seconds = float(json.loads(report.read_text())["duration_s"])
    rate = fixtures / seconds
    ideal = min(in_flight, fixtures) / 1.0
    return {"concurrency_rate": rate, "concurrency_ideal": ideal, "concurrency_ratio": rate / ideal}


def run_rss(root: Path) -> dict[str, float]:
    run = ("run", "--suite", "evals", "--agent", "bench_agent:run", "--no-cache", "--quiet")
    wall, rss, _ = ratchet(root, root / "big-home", *run)
    return {"run_rss_mb": rss, "run_big_s": wall}


def mark(key: str, value: float) -> str:
    target, met = TARGETS[key]
    return f"(target {target}) {'✓' if met(value) else '✗'}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=int, default=10_000, help="runner and gate suite")
    parser.add_argument("--slow-fixtures", type=int, default=3_000)
    parser.add_argument("--concurrency", type=int, default=1_000)
    parser.add_argument("--big", type=int, default=100_000, help="suite for the RSS figure")
    parser.add_argument("--passes", type=int, default=5, help="runner passes (best counts)")
    parser.add_argument("--repeat", type=int, default=3, help="gate processes of each kind")
    parser.add_argument("--quick", action="store_true", help="20k fixtures for the RSS figure")
    parser.add_argument(
        "--only", default="runner,gate,concurrency,rss", help="comma-separated parts to run"
    )
    parser.add_argument("--save", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    big = 20_000 if args.quick and args.big == 100_000 else args.big
    out: dict[str, Any] = {
        "fixtures": args.fixtures,
        "big": big,
        "slow_fixtures": args.slow_fixtures,
        "concurrency": args.concurrency,
    }
    n = f"{args.fixtures:,}"
    with tempfile.TemporaryDirectory(prefix="ratchet-bench-runner-") as tmp:
        root = Path(tmp) / "suite"
        if only & {"runner", "gate"}:
            began = time.perf_counter()
            write_suite(root, args.fixtures)
            print(f"suite: {n} fixtures written in {time.perf_counter() - began:.1f} s")
        if "runner" in only:
            out.update(runner_overhead(root, args.passes))
            us = out["runner_us"]
            print(
                f"runner overhead: {us:.0f} µs/fixture ({1e6 / us:,.0f} fixtures/s)"
                f" {mark('runner_us', us)}; runner thread CPU {out['runner_cpu_us']:.0f} µs"
            )
        if "gate" in only:
            out.update(gate_times(root, args.repeat))
            for key, name in (
                ("gate_cold_s", "cold fixture cache"),
                ("gate_warm_s", "warm fixture cache, every fixture replayed"),
                ("gate_cached_s", "fully cached re-run"),
            ):
                print(f"gate, {n} fixtures, {name}: {out[key]:.2f} s {mark(key, out[key])}")
        if "concurrency" in only:
            slow = Path(tmp) / "slow"
            write_suite(slow, args.slow_fixtures)
            out.update(concurrency(slow, args.slow_fixtures, args.concurrency))
            ratio = out["concurrency_ratio"]
            print(
                f"1 s agent, --concurrency {args.concurrency}, {args.slow_fixtures:,} fixtures:"
                f" {out['concurrency_rate']:,.0f} fixtures/s of {out['concurrency_ideal']:,.0f}"
                f" ideal = {ratio:.1%} {mark('concurrency_ratio', ratio)}"
            )
        if "rss" in only:
            many = Path(tmp) / "big"
            began = time.perf_counter()
            write_suite(many, big)
            print(f"suite: {big:,} fixtures written in {time.perf_counter() - began:.1f} s")
            out.update(run_rss(many))
            verdict = (
                mark("run_rss_mb", out["run_rss_mb"])
                if big >= 100_000
                else "(the target, < 500 MB, is for 100,000)"
            )
            print(
                f"ratchet run, {big:,} fixtures: peak RSS {out['run_rss_mb']:.0f} MB {verdict};"
                f" wall {out['run_big_s']:.1f} s"
            )
    if args.save:
        args.save.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
