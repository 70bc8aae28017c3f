"""``ratchet run`` and ``ratchet gate`` end to end: load, select, replay, decide, record.

The pure parts (selection, verdicts, decision) live in :mod:`ratchet.gate.decision`;
this module does the I/O around them in order, so a reader can follow a gate
from the suite folder to the stored decision.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ratchet import __version__
from ratchet.core.clock import Clock, to_unix_nanos
from ratchet.core.errors import RatchetError
from ratchet.core.ids import IdSource
from ratchet.core.traces import VersionManifest
from ratchet.evaluate.replay import load_agent, source_hash
from ratchet.evaluate.results import FixtureResult
from ratchet.evaluate.runner.attempt import Attempter, Candidate
from ratchet.evaluate.runner.cache import candidate_digest
from ratchet.evaluate.runner.engine import Planned, RunContext, run_planned
from ratchet.evaluate.runner.summary import FixtureSummary
from ratchet.fixtures import FixtureCache, load_suite
from ratchet.fixtures.model import ALL_CHANGE_TYPES
from ratchet.gate.changes import ChangeSet, key_with
from ratchet.gate.decision import (
    Item,
    check_waivers,
    configuration_errors,
    decide,
    select,
    verdicts,
)
from ratchet.gate.report import ChangeNote, GateReport
from ratchet.gate.shards import in_shard
from ratchet.store.evals import RunRow, finish_run, start_run
from ratchet.store.gates import Waiver, add_waivers, save_decision, waivers_for
from ratchet.store.store import Store

Progress = Callable[[int, FixtureSummary, FixtureResult], None]


@dataclass
class GateRequest:
    suite: Path
    agent: str
    change: ChangeSet | None = None  # None: every fixture (``ratchet run``)
    manifest: VersionManifest = field(default_factory=VersionManifest)
    agent_path: Path | None = None  # imported from first (the application's root)
    repeat: int = 1
    concurrency: int = 8
    timeout_s: float = 30.0
    strict_mocks: bool = False
    use_cache: bool = True
    keep_traces: str = "failed"
    artifacts_digest: str = ""  # of the artifact files the agent may read
    shard: tuple[int, int] | None = None
    waive: list[str] = field(default_factory=list)
    waived_by: str | None = None
    waive_reason: str | None = None


def git_commit(folder: Path) -> str | None:
    """The commit checked out where the suite lives; None outside a repository."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, check=False
        )
    except (FileNotFoundError, NotADirectoryError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _all_change() -> ChangeSet:
    return ChangeSet(types=frozenset(ALL_CHANGE_TYPES), source="every fixture", key="all")


@dataclass
class Prepared:
    """A gate ready to run: what was selected and why, before any replay."""

    request: GateRequest
    change: ChangeSet
    planned: list[Planned]
    expired: list[str]
    warnings: list[str]
    suite_size: int


def prepare(request: GateRequest, today_iso: str) -> Prepared:
    """Load the suite and select the fixtures; raises RatchetError (exit 2) on bad config."""
    from datetime import date

    with FixtureCache() as cache:
        # A large suite loads lean: each fixture stays compact JSON until a worker
        # replays it (100k validated models would take about 1 GB).
        suite = load_suite(request.suite, cache=cache, lean=None)
    change = request.change or _all_change()
    pairs: list[tuple[Item, str | None]] = [(f, f.name) for f in suite.files]
    chosen = select(pairs, change.types, date.fromisoformat(today_iso))
    # Checked on the whole selection, before sharding: every shard of a CI job gets the
    # same flags (the same --waive), and a broken suite is broken for all of them.
    errors = configuration_errors(chosen.selected)
    if errors:
        raise RatchetError("configuration errors:\n  " + "\n  ".join(errors))
    if request.waive:
        check_waivers(request.waive, chosen.selected)
        if not (request.waived_by or "").strip() or not (request.waive_reason or "").strip():
            raise RatchetError("--waive needs --by NAME and --reason TEXT: a waiver is on record")
    if request.shard is not None:
        index, count = request.shard
        chosen.selected = [p for p in chosen.selected if in_shard(p[0].id, index, count)]
        chosen.expired = [p for p in chosen.expired if in_shard(p[0].id, index, count)]
    warnings = list(suite.notes)
    warnings += [
        f"{f.id}: expired on {f.expires_at}; skipped (renew it or delete it)"
        for f, _ in chosen.expired
    ]
    return Prepared(
        request=request,
        change=change,
        planned=[Planned(f, path) for f, path in chosen.selected],
        expired=[f.id for f, _ in chosen.expired],
        warnings=warnings,
        suite_size=len(suite),
    )


async def execute(
    prepared: Prepared,
    store: Store,
    project_id: int,
    *,
    clock: Clock,
    ids: IdSource,
    kind: str = "gate",
    on_result: Progress | None = None,
) -> GateReport:
    """Replay the selected fixtures, decide, and record the run (and, for a gate, the decision)."""
    request, change = prepared.request, prepared.change
    agent = load_agent(request.agent, path=request.agent_path)
    source = source_hash(agent)
    candidate = Candidate(request.agent, agent, request.manifest, source)
    commit = git_commit(request.suite if request.suite.is_dir() else Path.cwd())
    change_key = key_with(
        change,
        request.agent,
        source or "",
        request.manifest.model_dump_json(),
        request.artifacts_digest,
    )
    run_id = ids.hex(8)
    started = clock.now()
    shard = f"{request.shard[0]}/{request.shard[1]}" if request.shard else None
    options = {
        "repeat": request.repeat,
        "concurrency": request.concurrency,
        "strict_mocks": request.strict_mocks,
        "timeout_s": request.timeout_s,
        "shard": shard,
        "change": sorted(t.value for t in change.types),
    }
    row = RunRow(
        id=run_id,
        kind=kind,
        agent=request.agent,
        manifest=request.manifest.model_dump_json(),
        ratchet_version=__version__,
        options=orjson.dumps(options).decode(),
        started_ns=to_unix_nanos(started),
        suite=str(request.suite),
        git_commit=commit,
        fixture_count=len(prepared.planned),
    )
    if request.waive and request.waived_by and request.waive_reason:
        add_waivers(
            store,
            project_id,
            [
                Waiver(fid, change_key, request.waived_by, request.waive_reason, row.started_ns)
                for fid in request.waive
            ],
        )
    start_run(store, project_id, row)
    ctx = RunContext(
        store=store,
        project_id=project_id,
        run_id=run_id,
        clock=clock,
        concurrency=request.concurrency,
        repeat=request.repeat,
        candidate_key=candidate_digest(
            request.agent,
            source,
            request.manifest,
            request.strict_mocks,
            request.artifacts_digest,
        )
        if request.use_cache
        else None,
        keep_traces=request.keep_traces,
    )
    attempt = Attempter(
        candidate,
        timeout_s=request.timeout_s,
        strict_mocks=request.strict_mocks,
        clock=clock,
        ids=ids,
    )
    finished = 0

    def progress(summary: FixtureSummary, result: FixtureResult) -> None:
        nonlocal finished
        finished += 1
        if on_result is not None:
            on_result(finished, summary, result)

    status = "interrupted"
    try:
        summary = await run_planned(ctx, prepared.planned, attempt, progress)
        status = "finished"
    finally:
        row.status = status
        row.finished_ns = to_unix_nanos(clock.now())
        if status == "finished":
            counts = Counter(f.outcome for f in summary.fixtures)
            row.passed, row.failed = counts["passed"], counts["failed"]
            row.errored, row.flaky = counts["error"], counts["flaky"]
            row.cached = summary.cached
        finish_run(store, project_id, row)
        close = getattr(agent, "aclose", None)
        if close is not None:
            await close()
    waived = waivers_for(store, project_id, change_key)
    found = verdicts(summary.fixtures, waived)
    decision, code = decide(found)
    warnings = list(prepared.warnings)
    if change.unmatched:
        warnings.append(
            f"{len(change.unmatched)} changed file(s) match no artifact glob and count as"
            " every change type; name them under [artifacts] in ratchet.toml to narrow the gate"
        )
    judged = sorted({v.id for v in found if any("judges not yet" in f for f in v.findings)})
    if judged:
        warnings.append(f"judges not yet evaluated for: {', '.join(judged)}")
    report = GateReport(
        decision=decision,
        exit_code=code,
        kind=kind,
        change=ChangeNote(
            types=sorted(t.value for t in change.types),
            source=change.source,
            key=change_key,
            files=list(change.files),
            unmatched=list(change.unmatched),
        ),
        agent=request.agent,
        run_id=run_id,
        manifest=request.manifest.model_dump(exclude_defaults=True),
        git_commit=commit,
        ratchet_version=__version__,
        created_at=started.isoformat(),
        shard=shard,
        suite_size=prepared.suite_size,
        skipped_expired=prepared.expired,
        warnings=warnings,
        verdicts=found,
        duration_s=summary.duration_s,
    )
    if kind == "gate":
        save_decision(
            store,
            project_id,
            decision_id=ids.hex(8),
            run_id=run_id,
            decision=decision,
            change_types=report.change.types,
            change_key=change_key,
            report=report.model_dump(mode="json"),
            created_ns=row.started_ns,
        )
    return report


def empty_report(prepared: Prepared, agent: str | None) -> GateReport:
    """No fixture protects what changed: nothing to run, nothing held."""
    change = prepared.change
    return GateReport(
        decision="passed",
        exit_code=0,
        change=ChangeNote(
            types=sorted(t.value for t in change.types),
            source=change.source,
            key=change.key,
            files=list(change.files),
            unmatched=list(change.unmatched),
        ),
        agent=agent,
        ratchet_version=__version__,
        suite_size=prepared.suite_size,
        skipped_expired=prepared.expired,
        warnings=prepared.warnings,
    )
