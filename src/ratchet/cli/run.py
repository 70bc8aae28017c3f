"""``ratchet run``: replay every fixture of a suite against a candidate and record the results."""

from __future__ import annotations

from typing import Annotated

import typer

from ratchet.cli import common
from ratchet.cli.run_options import (
    AgentOption,
    CandidateOption,
    ConcurrencyOption,
    ConfigOption,
    JsonReportOption,
    JunitOption,
    KeepTracesOption,
    MarkdownOption,
    NoCacheOption,
    RepeatOption,
    ShardOption,
    StrictOption,
    SuiteOption,
    TimeoutOption,
)


def run(
    suite: SuiteOption = None,
    agent: AgentOption = None,
    config: ConfigOption = None,
    project: common.ProjectOption = None,
    repeat: RepeatOption = 1,
    concurrency: ConcurrencyOption = None,
    timeout: TimeoutOption = None,
    strict_mocks: StrictOption = False,
    no_cache: NoCacheOption = False,
    keep_traces: KeepTracesOption = "failed",
    shard: ShardOption = None,
    candidate: CandidateOption = None,
    junit: JunitOption = None,
    markdown: MarkdownOption = None,
    json_report: JsonReportOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary line.")] = False,
) -> None:
    """Replay every fixture (expired ones skipped) with mocked tools and check what the agent did.

    Results are stored in the local store as they finish, stamped with the candidate's
    manifest, the git commit and Ratchet's version; unchanged fixtures reuse cached results.
    Exit 1 when a blocking fixture fails, 0 otherwise.
    """
    from ratchet.cli import run_options as ro
    from ratchet.core.clock import SystemClock
    from ratchet.gate.service import prepare

    ro.check_writable(junit, markdown, json_report)
    cfg, suite_dir, agent_spec = ro.resolve(config, suite, agent)
    request = ro.build_request(
        cfg,
        suite_dir,
        agent_spec,
        repeat=repeat,
        concurrency=concurrency,
        timeout=timeout,
        strict_mocks=strict_mocks,
        no_cache=no_cache,
        keep_traces=keep_traces,
        shard=shard,
        candidate=candidate,
    )
    prepared = prepare(request, SystemClock().now().date().isoformat())
    report = ro.run_with_progress(prepared, "run", project or cfg.project)
    ro.write_reports(report, junit, markdown, json_report)
    if quiet:
        common.get_console().print(
            f"{report.decision}: {len(report.verdicts)} fixtures, {report.count('passed')} passed"
        )
        raise typer.Exit(report.exit_code)
    ro.finish(report)
