"""How long loading a large fixture suite takes, without and with the content cache.

Writes a suite of 10,000 realistic fixtures (about 20 lines of YAML each, a
tenth of them JSON, in 20 sub-folders) to a temporary folder, then times
``load_suite`` in fresh processes:

- cold: no cache (every file parsed and validated);
- cold + fill: the first load with an empty cache (parses and writes it);
- warm: the cache filled by the previous process.

Each figure is the best of ``--repeat`` fresh processes; the process's
whole wall time (interpreter start and imports included) is shown beside
it; the last line shows what a command that keeps the suite to its end
gains by calling ``gc.freeze()`` after loading (no collector pass over
the fixtures at exit). A micro-benchmark then compares ways of rebuilding
a cached fixture (orjson + ``model_validate``, ``model_validate_json``, a
hand-written ``model_construct``).
Run: ``python benchmarks/bench_fixtures.py [--fixtures N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

SEED = 20260419
TARGETS = {"cold": 3.0, "warm": 0.5}

_TOOLS = ["read_order", "lookup_customer", "issue_refund", "send_email", "search_kb", "book_slot"]
_SPANS = ["retrieval:refund_policy", "policy:refund_threshold", "approval:required"]
_WORDS = [
    "refund",
    "order",
    "customer",
    "policy",
    "approval",
    "amount",
    "threshold",
    "answer",
    "invoice",
    "account",
]
_TEAMS = ["support-platform", "payments", "scheduling", "contracts"]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def make_fixture(rng: random.Random, index: int) -> dict[str, Any]:
    """One fixture as plain data, about 20 lines once written as YAML."""
    tools = rng.sample(_TOOLS, 3)
    severity = rng.choice(["blocking", "warning", "exploratory"])
    day = date(2026, 1, 1) + timedelta(days=rng.randrange(200))
    data: dict[str, Any] = {
        "id": f"incident-{index:05d}-{rng.choice(_WORDS)}",
        "owner": rng.choice(_TEAMS),
        "severity": severity,
        "reason": _sentence(rng, 12),
        "failure_mode": rng.choice(["skipped-approval", "wrong-tool", "stale-memory"]),
        "created_at": day,
        "gates": rng.sample(["prompt", "policy", "model", "tool_schema", "topology"], 2),
        "input": {"user_message": _sentence(rng, 14), "order_id": f"ord_{index:06d}"},
        "context": {"policy_version": "refund-policy-2026-04", "customer_status": "standard"},
        "tools": {
            tools[0]: {"returns": {"order_id": f"ord_{index:06d}", "amount": rng.randrange(900)}},
            tools[1]: {"side_effect": True},
            tools[2]: [{"when": {"q": "a"}, "returns": {"hits": 2}}, {"error": "timeout"}],
        },
        "expect": {
            "required_spans": [f"tool:{tools[0]}", *rng.sample(_SPANS, 2)],
            "forbidden_spans": [f"tool:{tools[1]}"],
            "stop_reason": "needs_human_approval",
            "output_must_not_contain": ["approved", "processed"],
        },
    }
    return data


def write_suite(folder: Path, count: int) -> None:
    """``count`` fixture files under ``folder`` (YAML, with one in ten as JSON).

    Half the YAML files are written as people write them (short lists inline,
    as in DESIGN.md §3), half as ``dump_fixture`` writes them (block style).
    """
    from ratchet.fixtures import Fixture, dump_fixture

    rng = random.Random(SEED)
    for index in range(count):
        data = make_fixture(rng, index)
        sub = folder / f"area-{index % 20:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        if index % 10 == 9:
            (sub / f"{data['id']}.json").write_text(json.dumps(data, indent=2, default=str))
        elif index % 2:
            (sub / f"{data['id']}.yaml").write_text(dump_fixture(Fixture.model_validate(data)))
        else:
            text = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=100)
            (sub / f"{data['id']}.yaml").write_text(text)


_CHILD = """
import sys, time
start = time.perf_counter()
from pathlib import Path
from ratchet.fixtures import FixtureCache, load_suite
imported = time.perf_counter()
cache = FixtureCache(Path(sys.argv[2])) if sys.argv[2] != "-" else None
suite = load_suite(Path(sys.argv[1]), cache=cache)
done = time.perf_counter()
assert len(suite) == int(sys.argv[3]), len(suite)
if sys.argv[4] == "freeze":  # what a command that keeps the suite to the end can do
    import gc
    gc.freeze()
print(done - imported, imported - start)
"""


def run_child(
    suite: Path, cache_dir: Path | None, count: int, freeze: bool = False
) -> tuple[float, float, float]:
    """(load seconds, import seconds, process wall seconds) of one fresh process."""
    began = time.perf_counter()
    flag = "freeze" if freeze else "-"
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(suite), str(cache_dir or "-"), str(count), flag],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    wall = time.perf_counter() - began
    return float(out[0]), float(out[1]), wall


def rebuild_micro(passes: int = 2000) -> dict[str, float]:
    """µs per fixture to rebuild a cached entry: validate_json against model_construct."""
    from ratchet.fixtures import Expectations, Fixture, FixtureSource, MockRule, ToolMock
    from ratchet.fixtures.cache import decode
    from ratchet.fixtures.model import Budgets, ChangeType, Severity

    fixture = Fixture.model_validate(make_fixture(random.Random(SEED), 0))
    body = fixture.model_dump_json(exclude_unset=True)

    def construct(text: str) -> Fixture:
        data = json.loads(text)
        expect = data.get("expect")
        if expect is not None:
            if expect.get("budgets") is not None:
                expect["budgets"] = Budgets.model_construct(**expect["budgets"])
            if "order" in expect:
                expect["order"] = [tuple(pair) for pair in expect["order"]]
            data["expect"] = Expectations.model_construct(**expect)
        if "tools" in data:
            data["tools"] = {
                name: ToolMock.model_construct(
                    rules=[MockRule.model_construct(**rule) for rule in mock["rules"]]
                )
                for name, mock in data["tools"].items()
            }
        if data.get("source") is not None:
            data["source"] = FixtureSource.model_construct(**data["source"])
        if data.get("severity") is not None:
            data["severity"] = Severity(data["severity"])
        if "gates" in data:
            data["gates"] = [ChangeType(g) for g in data["gates"]]
        for name in ("created_at", "expires_at"):
            if data.get(name) is not None:
                data[name] = date.fromisoformat(data[name])
        return Fixture.model_construct(**data)

    assert construct(body) == fixture == Fixture.model_validate_json(body) == decode(body.encode())
    timings = {}
    variants: list[tuple[str, Callable[[str], Fixture]]] = [
        ("orjson + model_validate (used)", lambda text: decode(text.encode())),
        ("model_validate_json", Fixture.model_validate_json),
        ("model_construct", construct),
    ]
    for name, fn in variants:
        began = time.perf_counter()
        for _ in range(passes):
            fn(body)
        timings[name] = (time.perf_counter() - began) / passes * 1e6
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ratchet-bench-fixtures-") as tmp:
        suite, cache_dir = Path(tmp) / "evals", Path(tmp) / "cache"
        began = time.perf_counter()
        write_suite(suite, args.fixtures)
        lines = sum(p.read_text().count("\n") for p in suite.rglob("*.yaml"))
        yaml_files = sum(1 for _ in suite.rglob("*.yaml"))
        print(
            f"suite: {args.fixtures} fixtures ({yaml_files} YAML, about "
            f"{lines / max(yaml_files, 1):.0f} lines each) written in "
            f"{time.perf_counter() - began:.1f} s"
        )
        results: dict[str, tuple[float, float, float]] = {}
        results["cold"] = min(
            (run_child(suite, None, args.fixtures) for _ in range(args.repeat)),
            key=lambda r: r[0],
        )
        results["cold + fill"] = run_child(suite, cache_dir, args.fixtures)
        results["warm"] = min(
            (run_child(suite, cache_dir, args.fixtures) for _ in range(args.repeat)),
            key=lambda r: r[0],
        )
        results["warm, then gc.freeze()"] = min(
            (run_child(suite, cache_dir, args.fixtures, True) for _ in range(args.repeat)),
            key=lambda r: r[2],
        )
        size = (cache_dir / "fixtures.sqlite3").stat().st_size
        for name, (load, imports, wall) in results.items():
            target = TARGETS.get(name)
            mark = "" if target is None else (" ✓" if load < target else " ✗")
            goal = f" (target < {target} s){mark}" if target else ""
            print(
                f"{name:22} load_suite {load:5.2f} s{goal}; "
                f"imports {imports:.2f} s; process {wall:.2f} s"
            )
        print(f"cache file: {size / 1e6:.1f} MB")
    micro = rebuild_micro()
    print(
        "rebuild one cached fixture: "
        + ", ".join(f"{name} {us:.1f} µs" for name, us in micro.items())
    )


if __name__ == "__main__":
    main()
