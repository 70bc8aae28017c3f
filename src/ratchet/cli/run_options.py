"""Options ``ratchet run`` and ``ratchet gate`` share, and the steps they share.

Both replay a suite against a candidate; ``gate`` first works out what
changed and keeps only the fixtures that protect it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from ratchet.gate.config import GateConfig
    from ratchet.gate.report import GateReport
    from ratchet.gate.service import GateRequest, Prepared

SuiteOption = Annotated[
    Path | None,
    typer.Option("--suite", help="Suite folder. Default: `suite` in ratchet.toml, else ./evals."),
]
AgentOption = Annotated[
    str | None,
    typer.Option(
        "--agent",
        help="Candidate: module:function (called as function(case, tools)) or an http(s) URL."
        " Default: `agent` in ratchet.toml.",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="ratchet.toml to read. Default: the nearest one upwards."),
]
RepeatOption = Annotated[
    int,
    typer.Option(
        "--repeat", min=1, help="Run each fixture K times; disagreeing attempts are flaky."
    ),
]
ConcurrencyOption = Annotated[
    int | None,
    typer.Option("--concurrency", min=1, help="Fixtures replayed at once. Default: 8."),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option("--timeout", min=0.001, help="Seconds per fixture (a fixture's timeout_s wins)."),
]
StrictOption = Annotated[
    bool,
    typer.Option("--strict-mocks", help="A tool call no mock answers fails the fixture by itself."),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Replay everything; do not reuse cached results.")
]
KeepTracesOption = Annotated[
    str,
    typer.Option("--keep-traces", help="Store replayed traces: failed (default), all, or none."),
]
ShardOption = Annotated[
    str | None,
    typer.Option("--shard", help="Run a stable slice i/n of the fixtures (e.g. 1/4)."),
]
CandidateOption = Annotated[
    Path | None,
    typer.Option(
        "--candidate",
        help="The candidate's version manifest (YAML/JSON); stamped on every replayed trace.",
    ),
]
JunitOption = Annotated[
    Path | None, typer.Option("--junit", help="Write JUnit XML here (one testcase per fixture).")
]
MarkdownOption = Annotated[
    Path | None, typer.Option("--markdown", help="Write a Markdown summary (a PR comment) here.")
]
JsonReportOption = Annotated[
    Path | None,
    typer.Option(
        "--json-report", help="Write the full report as JSON here (`gate merge` reads it)."
    ),
]


def check_writable(*paths: Path | None) -> None:
    """Refuse report paths that cannot be written before spending time on a run."""
    from ratchet.core.errors import RatchetError

    for path in paths:
        if path is None:
            continue
        parent = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            raise RatchetError(f"{path} is a folder; name a file for the report")
        if not parent.is_dir():
            raise RatchetError(f"cannot write {path}: folder {parent} does not exist")
        if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise RatchetError(f"cannot write {path}: permission denied")


def write_reports(
    report: GateReport, junit: Path | None, markdown: Path | None, json_report: Path | None
) -> None:
    from ratchet.core.errors import RatchetError

    outputs: list[tuple[Path | None, str]] = []
    if junit is not None:
        from ratchet.gate.outputs.junit import junit_xml

        outputs.append((junit, junit_xml(report)))
    if markdown is not None:
        from ratchet.gate.outputs.markdown import markdown as render_markdown

        outputs.append((markdown, render_markdown(report)))
    if json_report is not None:
        outputs.append((json_report, report.model_dump_json(indent=2) + "\n"))
    for path, text in outputs:
        if path is None:
            continue
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise RatchetError(f"cannot write {path}: {exc.strerror or exc}") from exc


def resolve(
    config_path: Path | None, suite: Path | None, agent: str | None
) -> tuple[GateConfig, Path, str]:
    """The config, and the suite and agent from flags first, then ratchet.toml."""
    from ratchet.core.errors import RatchetError
    from ratchet.gate.config import load_config

    config = load_config(explicit=config_path)
    chosen_suite = suite or (config.root / config.suite)
    chosen_agent = agent or config.agent
    if not chosen_agent:
        raise RatchetError(
            "no agent to replay: pass --agent module:function (or a URL), or set `agent` in"
            " ratchet.toml"
        )
    return config, chosen_suite, chosen_agent


def run_with_progress(prepared: Prepared, kind: str, project_name: str | None) -> GateReport:
    """Replay with a progress bar on a terminal; store the run; return the report."""
    import gc

    from ratchet.cli import common
    from ratchet.core.clock import SystemClock
    from ratchet.evaluate.runner.ids import BufferedRandomIds
    from ratchet.gate.service import execute

    st = common.store()
    try:
        project_id = common.project(st, project_name).id
        # The suite and the store's machinery live until the command ends: frozen, the
        # collector's passes during the run skip them (they took a fifth of a 10k gate).
        gc.freeze()
        # Hundreds of replays in flight each hold a few dozen tracked objects: collect
        # the young generation less often (it found nothing to free in these runs).
        gc.set_threshold(20_000, 20, 20)
        total = len(prepared.planned) * prepared.request.repeat
        err = common.get_console(stderr=True)
        if not err.is_terminal or total < 2:
            return _run(
                execute(
                    prepared,
                    st,
                    project_id,
                    clock=SystemClock(),
                    ids=BufferedRandomIds(),
                    kind=kind,
                )
            )
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("replaying", total=total)
            return _run(
                execute(
                    prepared,
                    st,
                    project_id,
                    clock=SystemClock(),
                    ids=BufferedRandomIds(),
                    kind=kind,
                    on_result=lambda done, _s, _r: bar.update(task, completed=done),
                )
            )
    finally:
        st.close()


def _run(work: Coroutine[Any, Any, GateReport]) -> GateReport:
    """``asyncio.run(work)``, with the report kept out of the main task's result.

    On its way out ``asyncio.run`` (Python 3.11) reprs its main task, result
    included, while restoring the SIGINT handler: twice a full repr of the
    report, 0.3 s for 10k verdicts.
    """
    import asyncio

    kept: list[GateReport] = []

    async def main() -> None:
        kept.append(await work)

    asyncio.run(main())
    return kept[0]


def build_request(
    config: GateConfig,
    suite: Path,
    agent: str,
    *,
    repeat: int,
    concurrency: int | None,
    timeout: float | None,
    strict_mocks: bool,
    no_cache: bool,
    keep_traces: str,
    shard: str | None,
    candidate: Path | None,
) -> GateRequest:
    from ratchet.core.errors import RatchetError
    from ratchet.core.traces import VersionManifest
    from ratchet.gate.changes import artifacts_digest, load_manifest
    from ratchet.gate.service import GateRequest
    from ratchet.gate.shards import parse_shard

    if keep_traces not in ("failed", "all", "none"):
        raise RatchetError(f"--keep-traces {keep_traces}: use failed, all or none")
    return GateRequest(
        suite=suite,
        agent=agent,
        manifest=load_manifest(candidate) if candidate else VersionManifest(),
        agent_path=config.root,
        repeat=repeat,
        concurrency=concurrency or config.concurrency,
        timeout_s=timeout or config.timeout_s,
        strict_mocks=strict_mocks,
        use_cache=not no_cache,
        keep_traces=keep_traces,
        artifacts_digest=artifacts_digest(config.root, config.artifacts),
        shard=parse_shard(shard) if shard else None,
    )


def show(report: GateReport) -> None:
    from ratchet.cli import common
    from ratchet.gate.outputs.terminal import print_report

    print_report(report, common.get_console())
    sys.stdout.flush()


def finish(report: GateReport) -> None:
    show(report)
    raise typer.Exit(report.exit_code)
