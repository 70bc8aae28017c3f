"""``ratchet signals``: run implicit-signal detection and online checks over stored traces."""

from __future__ import annotations

from typing import Annotated

import typer

from ratchet.cli import common

app = typer.Typer(
    help="Implicit signals: detectors and online checks over captured traces.",
    no_args_is_help=True,
)


@app.command("detect")
def detect(
    settle: Annotated[
        float,
        typer.Option(
            min=0,
            help="Seconds a trace must have had no new span before it is read (0: read all).",
        ),
    ] = 30.0,
    session_idle: Annotated[
        float,
        typer.Option(
            min=0, help="Minutes a session must be quiet to count as over (0: judge all now)."
        ),
    ] = 30.0,
    project: common.ProjectOption = None,
) -> None:
    """Run detection now over every trace not yet read (the server does this every 10 s).

    Traces are read in the order they arrived, late ones included, and again
    when they gain spans: where detection got to is kept in the store, and
    findings are stored once however often this runs. Use --settle 0
    --session-idle 0 over traffic that has stopped (an import, a demo).
    """
    from datetime import timedelta

    from ratchet.review.watch import watch

    st = common.store()
    try:
        proj = common.project(st, project)
        report = watch(
            st,
            proj.id,
            clock=st.clock,
            settle=timedelta(seconds=settle),
            session_idle=timedelta(minutes=session_idle),
        )
    finally:
        st.close()
    for problem in report.problems:
        common.err_console.print(f"warning: {problem}", markup=False)
    common.console.print(
        f"read {report.traces} traces and {report.sessions} finished sessions:"
        f" {report.signals} new signals ({report.online_failures} from online checks)",
        markup=False,
    )
