"""``ratchet traces``: list and show captured traces."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
import typer
from rich.markup import escape
from rich.tree import Tree

from ratchet.cli import common
from ratchet.core.errors import RatchetError
from ratchet.core.ids import is_trace_id
from ratchet.core.spans import Span
from ratchet.core.traces import Trace
from ratchet.store.traces_read import TraceFilter, get_trace, list_traces

app = typer.Typer(help="List and show captured traces.", no_args_is_help=True)

STATUS_STYLE = {"error": "red", "denied": "magenta", "waiting": "yellow", "ok": "green"}


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


def _label(span: Span) -> str:
    style = STATUS_STYLE.get(span.status.value, "dim")
    parts = [f"[bold]{escape(span.ref)}[/bold]", f"[{style}]{span.status.value}[/{style}]"]
    if span.duration_ms is not None:
        parts.append(f"{span.duration_ms:.0f} ms")
    if span.model:
        parts.append(escape(span.model))
    if span.tokens and span.tokens.total:
        parts.append(f"{span.tokens.total} tok")
    if span.status_message:
        parts.append(f"[red]{escape(span.status_message)}[/red]")
    return "  ".join(parts)


def _short(value: Any, width: int = 160) -> str:
    text = value if isinstance(value, str) else orjson.dumps(value, default=str).decode()
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_tree(trace: Trace) -> Tree:
    """The span tree; spans whose parent never arrived hang off the root."""
    title = (
        f"[bold]{escape(trace.name or '(no root yet)')}[/bold]  {trace.trace_id}  "
        f"{trace.service or ''}  spans={trace.span_count}"
        + (f"  stop={escape(trace.stop_reason)}" if trace.stop_reason else "")
        + (f"  final={escape(trace.final_status)}" if trace.final_status else "")
    )
    tree = Tree(title)
    children: dict[str | None, list[Span]] = {}
    known = {s.span_id for s in trace.spans}
    for span in trace.spans:
        parent = span.parent_span_id if span.parent_span_id in known else None
        children.setdefault(parent, []).append(span)
    stack: list[tuple[Tree, Span]] = [(tree, s) for s in reversed(children.get(None, []))]
    while stack:
        holder, span = stack.pop()
        node = holder.add(_label(span))
        if span.input is not None:
            node.add(f"[dim]in:[/dim] {escape(_short(span.input))}")
        if span.output is not None:
            node.add(f"[dim]out:[/dim] {escape(_short(span.output))}")
        stack.extend((node, c) for c in reversed(children.get(span.span_id, [])))
    return tree


@app.command("show")
def show(
    trace_id: Annotated[str, typer.Argument(help="32 lowercase hex characters.")],
    project: common.ProjectOption = None,
    as_json: common.JsonOption = False,
) -> None:
    """Show one trace as a tree of spans (--json: the REST API's shape)."""
    trace_id = trace_id.strip().lower()
    if not is_trace_id(trace_id):
        raise RatchetError(f"{trace_id!r} is not a trace id (32 hex characters)")
    st = common.store()
    proj = common.project(st, project)
    trace = get_trace(st, proj.id, trace_id)
    st.close()
    if as_json:
        common.emit_json(trace.model_dump(mode="json"))
        return
    common.console.print(render_tree(trace))
