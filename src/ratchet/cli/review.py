"""``ratchet review``: start review sessions, read where review stands, write notes."""

from __future__ import annotations

from typing import Annotated

import typer

from ratchet.cli import common

app = typer.Typer(
    help="Review sessions: samples of production traces to read, notes, counts, saturation.",
    no_args_is_help=True,
)

ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="Who is acting (recorded with the change); default $RATCHET_USER or your login.",
    ),
]


@app.command("start")
def start(
    size: Annotated[int, typer.Option(min=1, max=1000, help="Traces in the session.")] = 100,
    random_share: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Share drawn blindly, to find failures no signal flags."
        ),
    ] = 0.2,
    stratify: Annotated[
        str | None, typer.Option(help="Spread the sample over 'surface' or 'version'.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Traces started at or after: ISO 8601 or 7d, 24h…")
    ] = None,
    surface: Annotated[str | None, typer.Option(help="Only traces of this surface.")] = None,
    name: Annotated[str | None, typer.Option(help="A name for the session.")] = None,
    seed: Annotated[int | None, typer.Option(help="Fix the random draw (repeatable).")] = None,
    by: ByOption = None,
    project: common.ProjectOption = None,
    as_json: common.JsonOption = False,
) -> None:
    """Draw a review session: traces with signals first, strongest first, plus a random share.

    A trace already reviewed in an earlier session is not drawn again. The
    session's queue is printed in reading order; read it in the web UI
    (`ratchet serve`, then /review).
    """
    from ratchet.core.clock import SystemClock
    from ratchet.core.ids import RandomIds
    from ratchet.review.sessions import start_session
    from ratchet.store.review_sessions import session_items

    st = common.store()
    try:
        proj = common.project(st, project)
        session = start_session(
            st,
            proj.id,
            by=common.who(by),
            clock=SystemClock(),
            ids=RandomIds(),
            size=size,
            random_share=random_share,
            stratify=stratify,
            since=common.parse_when(since, "--since"),
            surface=surface,
            name=name,
            seed=seed,
        )
        items = session_items(st, proj.id, session.id)
    finally:
        st.close()
    if as_json:
        common.emit_json(
            {
                "session": session.model_dump(mode="json"),
                "items": [i.model_dump(mode="json") for i in items],
            }
        )
        return
    signalled = sum(1 for i in items if i.reason.startswith("signal:"))
    # The name is the user's text: printed as written, never read as Rich markup.
    common.err_console.print(
        f"started review session {session.id} ({session.name}):"
        f" {len(items)} traces, {signalled} flagged by signals,"
        f" {len(items) - signalled} drawn at random",
        markup=False,
    )
    common.print_rows(
        ["#", "trace", "why"], [[str(i.position), i.trace_id, i.reason] for i in items]
    )


@app.command("status")
def status(
    window: Annotated[
        int,
        typer.Option(
            min=1, help="Saturated when this many last reviewed traces added no new mode."
        ),
    ] = 20,
    project: common.ProjectOption = None,
    as_json: common.JsonOption = False,
) -> None:
    """Failure-mode counts with 95% intervals, the saturation line, and recent sessions.

    The saturation line is always printed, even before anything is reviewed.
    """
    from ratchet.review.status import review_status

    st = common.store()
    try:
        proj = common.project(st, project)
        result = review_status(st, proj.id, window=window)
    finally:
        st.close()
    sat = result.saturation
    if as_json:
        common.emit_json(
            {
                "taxonomy_version": result.version,
                "reviewed": result.counts.reviewed,
                "modes": [
                    {"mode_id": m.mode_id, "name": m.name, "line": m.line, "count": m.overall.count}
                    for m in result.counts.modes
                ],
                "saturation": {"saturated": sat.saturated, "line": sat.line},
                "sessions": [s.model_dump(mode="json") for s in result.sessions],
            }
        )
        return
    out = common.console
    out.print(f"reviewed traces: {result.counts.reviewed}", markup=False)
    for line in result.counts.lines():
        out.print(f"  {line}", markup=False)
    if not result.counts.modes:
        out.print(
            "  no failure modes yet: `ratchet taxonomy add NAME` starts the taxonomy", markup=False
        )
    out.print(sat.line, markup=False)
    if result.sessions:
        common.print_rows(
            ["session", "name", "created", "traces", "reviewed", "new modes"],
            [
                [
                    s.id,
                    s.name,
                    f"{s.created_at:%Y-%m-%d %H:%M}",
                    str(s.items),
                    str(s.reviewed),
                    str(s.new_modes),
                ]
                for s in result.sessions
            ],
        )


@app.command("note")
def note(
    trace_id: Annotated[str, typer.Argument(help="The trace the note is about.")],
    text: Annotated[str, typer.Argument(help="What went wrong, in your words.")],
    session: Annotated[str | None, typer.Option(help="The review session it was read in.")] = None,
    first_error: Annotated[
        str | None, typer.Option(help="Span id of the first upstream error.")
    ] = None,
    by: ByOption = None,
    project: common.ProjectOption = None,
) -> None:
    """Write a note on a trace (the web UI's notes field, for scripts)."""
    from ratchet.core.clock import SystemClock
    from ratchet.core.ids import RandomIds
    from ratchet.review.notes import write_note

    st = common.store()
    try:
        proj = common.project(st, project)
        written = write_note(
            st,
            proj.id,
            trace_id,
            text,
            by=common.who(by),
            clock=SystemClock(),
            ids=RandomIds(),
            session_id=session,
            first_error_span_id=first_error,
        )
    finally:
        st.close()
    common.err_console.print(f"noted trace {trace_id}", markup=False)
    typer.echo(written.id)


@app.command("code")
def code(
    note_id: Annotated[str, typer.Argument(help="The note (printed by `ratchet review note`).")],
    mode_ids: Annotated[
        list[str] | None,
        typer.Argument(help="Failure mode ids (`ratchet taxonomy list`); none uncodes the note."),
    ] = None,
    by: ByOption = None,
    project: common.ProjectOption = None,
) -> None:
    """Code a note into failure modes (axial coding): its active codes become exactly these."""
    from ratchet.core.clock import SystemClock
    from ratchet.review.coding import code as code_note
    from ratchet.review.coding import current_state

    st = common.store()
    try:
        proj = common.project(st, project)
        note = code_note(
            st,
            proj.id,
            note_id,
            mode_ids or [],
            expected_version=current_state(st, proj.id).version,
            by=common.who(by),
            clock=SystemClock(),
        )
    finally:
        st.close()
    common.err_console.print(
        f"note {note.id} coded as: {', '.join(note.mode_ids) or '(nothing)'}", markup=False
    )
