"""``ratchet gate``: replay the fixtures that protect what changed; hold the release if one fails.

Exit codes: 0 passed, 1 held, 2 usage or configuration error.
"""

from __future__ import annotations

from pathlib import Path
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

app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
)


@app.callback()
def gate(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Git ref to diff the working tree against (e.g. origin/main); changed artifact"
            " files give the change types.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Production's version manifest, compared to --candidate."),
    ] = None,
    candidate: CandidateOption = None,
    change: Annotated[
        list[str] | None,
        typer.Option(
            "--change",
            help="Change types by name (repeatable or comma-separated): prompt, tool_schema,"
            " policy, model, retrieval_index, memory_rule, topology, or all.",
        ),
    ] = None,
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
    waive: Annotated[
        list[str] | None,
        typer.Option(
            "--waive", help="Let a held fixture through for this change (needs --by, --reason)."
        ),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who waives (recorded).")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (recorded).")] = None,
    junit: JunitOption = None,
    markdown: MarkdownOption = None,
    json_report: JsonReportOption = None,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            help="Also post the decision to this Ratchet server (key from RATCHET_API_KEY).",
        ),
    ] = None,
) -> None:
    """Gate a release: replay the fixtures that protect what changed; exit 1 when one holds.

    What changed picks the fixtures: --since REF, --baseline with --candidate, or --change.

    --since diffs the files named per change type under \\[artifacts] in ratchet.toml.

    Blocking failures hold (exit 1); warnings are reported; exploratory results are recorded.

    With no change named, every change type counts. Exit 2: usage or configuration error.
    """
    if ctx.invoked_subcommand is not None:
        return
    from ratchet.cli import run_options as ro
    from ratchet.core.clock import SystemClock
    from ratchet.core.errors import RatchetError
    from ratchet.gate import changes
    from ratchet.gate.service import empty_report, prepare

    ro.check_writable(junit, markdown, json_report)
    if server is not None and not _key():  # said before the run, not after it
        raise RatchetError("--server needs a key: set RATCHET_API_KEY (ratchet keys create)")
    cfg, suite_dir, agent_spec = ro.resolve(config, suite, agent)
    named = sum(x is not None and x != [] for x in (since, baseline, change))
    if named > 1:
        raise RatchetError("name the change one way: --since, --baseline/--candidate, or --change")
    if since is not None:
        from ratchet.store.settings import settings_from_env

        # Ratchet's own state (./.ratchet by default) is no change to the application.
        home = settings_from_env(url=common.CTX.database_url, home=common.CTX.home).home
        found = changes.from_git(since, cfg.root, cfg.artifacts, ignore=(home,))
    elif baseline is not None:
        if candidate is None:
            raise RatchetError("--baseline needs --candidate: the two manifests are compared")
        found = changes.from_manifests(baseline, candidate)
    elif change:
        found = changes.from_flags(change)
    else:
        found = changes.from_flags(["all"])
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
    request.change = found
    request.waive = list(waive or [])
    request.waived_by, request.waive_reason = by, reason
    prepared = prepare(request, SystemClock().now().date().isoformat())
    # A shard with nothing to run still replays (nothing) and reports, so `gate merge`
    # gets a report of the same change from every shard.
    if not prepared.planned and request.shard is None:
        from rich.markup import escape

        report = empty_report(prepared, agent_spec)
        console = common.get_console()
        what = (
            "every fixture that protects what changed has expired"
            if prepared.expired
            else "no fixture protects what changed"
        )
        console.print(f"{what}: {escape(found.describe())}; nothing to replay", highlight=False)
        for warning in report.warnings:
            console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
        ro.write_reports(report, junit, markdown, json_report)
        raise typer.Exit(0)
    report = ro.run_with_progress(prepared, "gate", project or cfg.project)
    ro.write_reports(report, junit, markdown, json_report)
    # The summary comes first: a server that cannot be reached must not hide the decision.
    ro.show(report)
    if server is not None:
        _post(server, report)  # asked for: a failure to post is an error
    elif cfg.server and _key():
        # Configured, not asked for: the release decision stands if the server is away.
        from ratchet.core.errors import RatchetError

        try:
            _post(cfg.server, report)
        except RatchetError as exc:
            common.get_console(stderr=True).print(f"warning: {exc.message}", markup=False)
    raise typer.Exit(report.exit_code)


def _key() -> str | None:
    import os

    return os.environ.get("RATCHET_API_KEY")


def _post(server: str | None, report: object) -> None:
    import httpx

    from ratchet.core.errors import RatchetError
    from ratchet.gate.report import GateReport

    assert isinstance(report, GateReport)
    key = _key()
    if not server or not key:
        raise RatchetError("--server needs a key: set RATCHET_API_KEY (ratchet keys create)")
    url = server.rstrip("/") + "/api/v1/gate-decisions"
    try:
        answer = httpx.post(
            url,
            content=report.model_dump_json(),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            timeout=30,
        )
    except httpx.HTTPError as exc:
        raise RatchetError(f"could not post the decision to {url}: {exc}") from exc
    if answer.status_code >= 400:
        raise RatchetError(f"{url} answered {answer.status_code}: {answer.text[:300]}")
    common.get_console(stderr=True).print(f"decision posted to {server}")


@app.command("merge")
def merge(
    reports: Annotated[list[Path], typer.Argument(help="--json-report files of every shard.")],
    junit: JunitOption = None,
    markdown: MarkdownOption = None,
    json_report: JsonReportOption = None,
    project: common.ProjectOption = None,
) -> None:
    """Combine the shards of one gate (`gate --shard i/n --json-report F`) into one decision.

    The merged decision is stored in the local store like a gate's own.
    """
    from ratchet.cli import run_options as ro
    from ratchet.core.clock import SystemClock, to_unix_nanos
    from ratchet.core.ids import RandomIds
    from ratchet.gate.shards import load_report, merge_reports
    from ratchet.store.gates import save_decision

    ro.check_writable(junit, markdown, json_report)
    merged = merge_reports([load_report(p) for p in reports], [str(p) for p in reports])
    ro.write_reports(merged, junit, markdown, json_report)
    st = common.store()
    try:
        save_decision(
            st,
            common.project(st, project).id,
            decision_id=RandomIds().hex(8),
            run_id=None,
            decision=merged.decision,
            change_types=merged.change.types,
            change_key=merged.change.key,
            report=merged.model_dump(mode="json"),
            created_ns=to_unix_nanos(SystemClock().now()),
        )
    finally:
        st.close()
    ro.finish(merged)
