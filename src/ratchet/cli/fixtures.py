"""``ratchet fixtures``: draft one from a trace, verify it fails, list them, print the schema."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ratchet.cli import common
from ratchet.cli.check import FixtureArgument, print_checks, require_checks
from ratchet.cli.run_options import (
    AgentOption,
    ConfigOption,
    StrictOption,
    SuiteOption,
    TimeoutOption,
)

if TYPE_CHECKING:
    from datetime import date

    from ratchet.evaluate.results import FixtureResult
    from ratchet.fixtures.draft import Draft
    from ratchet.fixtures.model import Fixture, Severity
    from ratchet.fixtures.suite import FixtureFile

app = typer.Typer(
    help="Make, verify and list fixtures: the owned eval cases that gate releases.",
    no_args_is_help=True,
)

SEVERITIES = ("blocking", "warning", "exploratory")


@app.command("new")
def new(
    from_trace: Annotated[
        str,
        typer.Option(
            "--from-trace",
            help="The stored trace to draft from (32 hex characters): the failing run.",
            show_default=False,
        ),
    ],
    owner: Annotated[
        str | None,
        typer.Option(help="Team or person who keeps the fixture healthy (required if blocking)."),
    ] = None,
    severity: Annotated[
        str | None,
        typer.Option(
            help="blocking, warning or exploratory. Asked on a terminal; else left unset (warning)."
        ),
    ] = None,
    fixture_id: Annotated[
        str | None,
        typer.Option("--id", help="The fixture's id and file name. Default: trace name + id."),
    ] = None,
    failure_mode: Annotated[
        str | None, typer.Option("--failure-mode", help="The failure mode's taxonomy name.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option(help="Why the fixture exists: the behaviour it protects.")
    ] = None,
    incident: Annotated[
        str | None, typer.Option("--incident", help="The incident it came from (e.g. INC-42).")
    ] = None,
    suite: SuiteOption = None,
    project: common.ProjectOption = None,
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the draft's YAML instead of writing the file.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Draft a minimal fixture from a stored trace, written to <suite>/<id>.yaml.

    The draft replays the trace: its root input, the context it recorded, and each
    tool's answers as mocks (side effects recorded, not run). Its expectations are
    copied from what the run DID; edit them to what it SHOULD do, then check the
    current agent fails it with `ratchet fixtures verify FILE --expect-fail`.
    """
    from ratchet.core.clock import SystemClock
    from ratchet.core.errors import RatchetError
    from ratchet.core.ids import is_trace_id
    from ratchet.fixtures.draft import draft_fixture

    trace_id = from_trace.strip().lower()
    if not is_trace_id(trace_id):
        raise RatchetError(f"--from-trace {from_trace!r} is not a trace id (32 hex characters)")
    trace = common.read_trace(project, trace_id)  # before asking anything: it may not exist
    chosen, owner = _ask(severity, owner)
    draft = draft_fixture(
        trace,
        today=SystemClock().now().date(),
        fixture_id=fixture_id,
        owner=owner,
        severity=chosen,
        reason=reason,
        failure_mode=failure_mode,
        incident_id=incident,
        signal=_signal(project, trace_id, trace.session_id) if trace.signal_count else None,
    )
    err = common.get_console(stderr=True)
    for note in draft.notes:
        err.print(f"[yellow]note:[/] {_escape(note)}", highlight=False)
    if print_only:
        sys.stdout.write(draft.text())
        return
    path = _write(_suite_folder(suite), draft, force)
    sys.stdout.write(f"{path}\n")
    sys.stdout.flush()
    err.print(
        "next: edit `expect:` to what the run SHOULD have done, then confirm the current"
        f" agent fails it: ratchet fixtures verify {_escape(str(path))} --agent"
        " module:function --expect-fail",
        highlight=False,
    )


@app.command("verify")
def verify(
    fixture: FixtureArgument,
    agent: AgentOption = None,
    expect_fail: Annotated[
        bool,
        typer.Option(
            "--expect-fail",
            help="The fixture must FAIL (before the fix): exit 0 when it does, 1 when it passes.",
        ),
    ] = False,
    strict_mocks: StrictOption = False,
    timeout: TimeoutOption = None,
    config: ConfigOption = None,
) -> None:
    """Replay one fixture file against an agent and print each check's result; stores nothing.

    Without --expect-fail: exit 0 when it passes, 1 when it fails. With --expect-fail
    (a new fixture, before the fix): exit 0 when the agent fails it, as it should,
    and 1 when it passes, which means the fixture does not reproduce the failure.
    """
    import asyncio

    from ratchet.cli.run_options import resolve
    from ratchet.fixtures.load import load_fixture_file

    cfg, _, spec = resolve(config, None, agent)
    loaded = load_fixture_file(fixture)
    require_checks(loaded, fixture)
    result = asyncio.run(_replay(loaded, spec, cfg.root, timeout or cfg.timeout_s, strict_mocks))
    out = common.get_console()
    out.print(f"{_escape(loaded.id)} against {_escape(spec)}:", highlight=False)
    print_checks(result.checks, result.findings)
    if result.reason:
        out.print(f"  [red]error:[/] {_escape(result.reason)}", highlight=False)
    code = _verdict(result, expect_fail)
    sys.stdout.flush()
    raise typer.Exit(code)


@app.command("list")
def list_(
    suite: SuiteOption = None,
    project: common.ProjectOption = None,
    as_json: common.JsonOption = False,
) -> None:
    """List the suite's fixtures: owner, severity, failure mode, age, expiry and last result.

    The last result is the newest one `ratchet run` or `ratchet gate` stored for the fixture.
    """
    from ratchet.core.clock import SystemClock
    from ratchet.fixtures import FixtureCache, load_suite
    from ratchet.store.evals import last_results

    folder = _suite_folder(suite)
    with FixtureCache() as cache:
        loaded = load_suite(folder, cache=cache)
    st = common.store()
    try:
        last = last_results(st, common.project(st, project).id)
    finally:
        st.close()
    today = SystemClock().now().date()
    entries = [_entry(folder, item, last.get(item.fixture.id), today) for item in loaded.files]
    if as_json:
        common.emit_json({"suite": str(folder), "fixtures": entries})
        return
    rows = [
        [
            e["id"],
            e["owner"] or "",
            e["severity"] + (" (default)" if e["severity_default"] else ""),
            e["failure_mode"] or "",
            "" if e["age_days"] is None else f"{e['age_days']} days",
            _expiry(e["expires_at"], e["expires_in_days"]),
            _last(e["last_result"]),
            e["file"],
        ]
        for e in entries
    ]
    common.print_rows(
        ["id", "owner", "severity", "failure mode", "age", "expiry", "last result", "file"], rows
    )


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of a fixture file (point your editor's YAML schema setting at it)."""
    import ratchet

    shipped = Path(ratchet.__file__).parent / "fixtures" / "fixture.schema.json"
    if shipped.is_file():
        sys.stdout.write(shipped.read_text(encoding="utf-8"))
        return
    from ratchet.fixtures.schema import render

    sys.stdout.write(render())


async def _replay(
    fixture: Fixture, spec: str, root: Path, timeout_s: float, strict_mocks: bool
) -> FixtureResult:
    from ratchet.evaluate.replay import load_agent
    from ratchet.evaluate.runner.attempt import Attempter, Candidate

    agent = load_agent(spec, path=root)
    try:
        attempt = Attempter(Candidate(spec, agent), timeout_s=timeout_s, strict_mocks=strict_mocks)
        return await attempt(fixture)
    finally:
        close = getattr(agent, "aclose", None)
        if close is not None:
            await close()


def _verdict(result: FixtureResult, expect_fail: bool) -> int:
    """Say what the outcome means and give the exit code."""
    out = common.get_console()
    failed = not result.passed
    if not expect_fail:
        if failed:
            out.print(f"[red]{result.outcome.value}[/]", highlight=False)
            return 1
        out.print("[green]passed[/]")
        return 0
    if failed:
        out.print(
            "[green]confirmed[/]: the current agent fails this fixture, as it should before the"
            " fix",
            highlight=False,
        )
        if result.reason:
            # An error counts as a failure, but it may be the fixture that is broken.
            out.print(
                "  it failed by erroring rather than by a check: make sure that error is the"
                " failure this fixture is meant to catch",
                highlight=False,
            )
        return 0
    out.print(
        "[red]not reproduced[/]: the current agent PASSES this fixture, so it does not catch"
        " the failure. Its expectations still describe what the failing run did (a draft"
        " copies them from the trace): edit `expect:` to what the agent SHOULD do, e.g. move"
        " the tool it must not call from required_spans to forbidden_spans and set"
        " stop_reason / final_status to the right outcome, then verify again.",
        highlight=False,
    )
    return 1


def _suite_folder(suite: Path | None) -> Path:
    if suite is not None:
        return suite
    from ratchet.gate.config import load_config

    config = load_config()
    return config.root / config.suite if config.path is not None else Path(config.suite)


def _ask(severity: str | None, owner: str | None) -> tuple[Severity | None, str | None]:
    """Severity and owner from the flags, asked for on a terminal when not given."""
    from ratchet.core.errors import RatchetError
    from ratchet.fixtures.model import Severity

    interactive = sys.stdin.isatty()
    if severity is None and interactive:
        severity = typer.prompt("Severity (blocking, warning, exploratory)", default="warning")
    chosen: Severity | None = None
    if severity is not None:
        text = severity.strip().lower()
        if text not in SEVERITIES:
            raise RatchetError(f"--severity {severity!r}: use blocking, warning or exploratory")
        chosen = Severity(text)
    if owner is None and interactive:
        if chosen is Severity.BLOCKING:
            owner = typer.prompt("Owner (a blocking fixture needs one)")
        else:
            owner = typer.prompt("Owner (team or person; empty for none)", default="")
    return chosen, (owner or "").strip() or None


def _signal(project: str | None, trace_id: str, session_id: str | None) -> str | None:
    from ratchet.fixtures.draft import strongest_signal
    from ratchet.store.signals_write import signals_for_trace

    st = common.store()
    try:
        proj = common.project(st, project)
        return strongest_signal(signals_for_trace(st, proj.id, trace_id, session_id))
    finally:
        st.close()


def _write(folder: Path, draft: Draft, force: bool) -> Path:
    """Write the draft with write_fixture's guarantees, then put the editing comment on top."""
    import contextlib
    import os
    import tempfile

    from ratchet.core.errors import Conflict
    from ratchet.fixtures.save import write_fixture

    try:
        path = write_fixture(folder, draft.fixture, overwrite=force)
    except Conflict:
        taken = folder / f"{draft.fixture.id}.yaml"
        raise Conflict(
            f"{taken} already exists: pass --force to replace it, or choose another --id"
        ) from None
    # write_fixture writes the fixture's data only; the comment rides in a second
    # atomic replace, so a reader sees a whole file either way.
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(draft.text())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


def _entry(
    folder: Path, item: FixtureFile, last: dict[str, Any] | None, today: date
) -> dict[str, Any]:
    from ratchet.core.clock import from_unix_nanos

    fixture = item.fixture
    created, expires = fixture.created_at, fixture.expires_at
    return {
        "id": fixture.id,
        "owner": fixture.owner,
        "severity": fixture.effective_severity.value,
        "severity_default": fixture.severity is None,
        "failure_mode": fixture.failure_mode,
        "created_at": created.isoformat() if created else None,
        "age_days": (today - created).days if created else None,
        "expires_at": expires.isoformat() if expires else None,
        "expires_in_days": (expires - today).days if expires else None,
        "last_result": None
        if last is None
        else {
            "outcome": last["outcome"],
            "at": from_unix_nanos(int(last["created_ns"])).isoformat(),
            "run_id": last["run_id"],
        },
        "file": str(folder / item.name),
    }


def _expiry(expires_at: str | None, days: int | None) -> str:
    if expires_at is None or days is None:
        return "never"
    if days <= 0:
        return f"{expires_at} (expired)"
    return f"{expires_at} (in {days} day{'s' if days != 1 else ''})"


def _last(last: dict[str, Any] | None) -> str:
    if last is None:
        return "never run"
    return f"{last['outcome']} ({last['at'][:16].replace('T', ' ')})"


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
