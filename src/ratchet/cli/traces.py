"""``ratchet traces``: list and show captured traces."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ratchet.cli import common

app = typer.Typer(help="List and show captured traces.", no_args_is_help=True)


@app.command("list")
def list_(
    since: Annotated[
        str | None, typer.Option(help="Started at or after: ISO 8601 or 30m, 24h, 7d.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Started before: ISO 8601 or a duration ago.")
    ] = None,
    service: Annotated[str | None, typer.Option(help="Only this service.name.")] = None,
    status: Annotated[str | None, typer.Option(help="'error' (a span failed) or 'ok'.")] = None,
    final_status: Annotated[str | None, typer.Option(help="The root span's final status.")] = None,
    has_signal: Annotated[
        bool | None,
        typer.Option(
            "--has-signal/--no-signal", help="Only traces with (or without) feedback or signals."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="Traces per page.")] = 50,
    cursor: Annotated[
        str | None, typer.Option(help="Continue after a previous page (its next cursor).")
    ] = None,
    project: common.ProjectOption = None,
    as_json: common.JsonOption = False,
) -> None:
    """List traces, newest first."""
    from ratchet.store.traces_read import TraceFilter, list_traces

    flt = TraceFilter(
        since=common.parse_when(since, "--since"),
        until=common.parse_when(until, "--until"),
        service=service,
        status=status,
        final_status=final_status,
        has_signal=has_signal,
    )
    st = common.store()
    proj = common.project(st, project)
    page = list_traces(st, proj.id, flt, limit=limit, cursor=cursor)
    st.close()
    if as_json:
        common.emit_json(
            {
                "traces": [t.model_dump(mode="json", exclude={"spans"}) for t in page.traces],
                "next_cursor": page.next_cursor,
            }
        )
        return
    if not page.traces:
        common.console.print(
            "no traces match" if cursor or since or service or status else "no traces yet"
        )
        return
    rows = [
        [
            t.trace_id,
            f"{t.start:%Y-%m-%d %H:%M:%S}" if t.start else "",
            t.service or "",
            t.name or "(no root yet)",
            str(t.span_count),
            "error" if t.error_count else "ok",
            t.final_status or "",
            str(t.signal_count) if t.signal_count else "",
        ]
        for t in page.traces
    ]
    common.print_rows(
        ["trace_id", "start (UTC)", "service", "name", "spans", "status", "final", "signals"], rows
    )
    if page.next_cursor:
        common.err_console.print(f"more: --cursor {page.next_cursor}")


@app.command("show")
def show(
    trace_id: Annotated[str, typer.Argument(help="32 lowercase hex characters.")],
    project: common.ProjectOption = None,
    as_json: common.JsonOption = False,
) -> None:
    """Show one trace as a tree of spans (--json: the REST API's shape)."""
    from ratchet.cli import tree_view
    from ratchet.core.errors import RatchetError
    from ratchet.core.ids import is_trace_id

    trace_id = trace_id.strip().lower()
    if not is_trace_id(trace_id):
        raise RatchetError(f"{trace_id!r} is not a trace id (32 hex characters)")
    # A person runs this often and waits for it: the store is read without
    # SQLAlchemy when it can be (common.read_trace), and the spans are built
    # and drawn without garbage collection scanning the heap (common.short_lived).
    with common.short_lived():
        trace = common.read_trace(project, trace_id)
        if as_json:
            common.emit_json(trace.model_dump(mode="json"))
        elif common.stdout_is_terminal():
            common.console.print(tree_view.styled(trace), soft_wrap=True)
        else:
            sys.stdout.write(tree_view.plain(trace))
