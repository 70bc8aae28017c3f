"""``ratchet taxonomy``: the failure modes, and the only ways they change.

The taxonomy is closed: modes are added, renamed, edited, merged, split and
retired by these commands (or the same operations in the web UI and API),
each recorded with who, when and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ratchet.cli import common

if TYPE_CHECKING:
    from ratchet.review.taxonomy import Request

app = typer.Typer(help="Failure modes: a closed, versioned taxonomy.", no_args_is_help=True)

WhyOption = Annotated[str, typer.Option("--why", help="Why the change is made (recorded).")]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Who makes the change; default $RATCHET_USER or your login."),
]


def _change(request: Request, why: str, by: str | None, project: str | None) -> None:
    from ratchet.core.clock import SystemClock
    from ratchet.core.ids import RandomIds
    from ratchet.review.coding import change_taxonomy, current_state

    st = common.store()
    try:
        proj = common.project(st, project)
        applied = change_taxonomy(
            st,
            proj.id,
            request,
            expected_version=current_state(st, proj.id).version,
            by=common.who(by),
            why=why,
            clock=SystemClock(),
            ids=RandomIds(),
        )
    finally:
        st.close()
    touched = ", ".join(f"{m.name} ({m.id}, {m.status.value})" for m in applied.modes)
    common.err_console.print(
        f"taxonomy version {applied.op.version}: {applied.op.kind.value} — {touched}",
        markup=False,
    )
    new = [m.id for m in applied.modes if m.added_in == applied.op.version]
    if new:
        typer.echo("\n".join(new))


@app.command("list")
def list_(
    all_: Annotated[
        bool, typer.Option("--all", help="Also retired, merged and split modes.")
    ] = False,
    project: common.ProjectOption = None,
    as_json: common.JsonOption = False,
) -> None:
    """The failure modes with their definitions and how many notes are coded to each."""
    from ratchet.review.coding import current_state
    from ratchet.review.taxonomy import note_counts

    st = common.store()
    try:
        state = current_state(st, common.project(st, project).id)
    finally:
        st.close()
    counts = note_counts(state)
    modes = sorted(state.modes.values(), key=lambda m: (not m.active, m.added_in, m.name))
    if not all_:
        modes = [m for m in modes if m.active]
    if as_json:
        common.emit_json(
            {
                "version": state.version,
                "modes": [
                    {**m.model_dump(mode="json"), "notes": counts.get(m.id, 0)} for m in modes
                ],
            }
        )
        return
    common.err_console.print(f"taxonomy version {state.version}")
    if not modes:
        common.console.print("no failure modes yet: `ratchet taxonomy add NAME --why …`")
        return
    common.print_rows(
        ["id", "name", "status", "notes", "definition"],
        [
            [
                m.id,
                m.name,
                m.status.value + (f" → {', '.join(m.replaced_by)}" if m.replaced_by else ""),
                str(counts.get(m.id, 0)) if m.active else "",
                m.definition,
            ]
            for m in modes
        ],
    )


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="A short name, e.g. date-handling.")],
    definition: Annotated[str, typer.Option(help="What belongs in this mode.")] = "",
    example: Annotated[
        list[str] | None, typer.Option("--example", help="An example (repeatable).")
    ] = None,
    why: WhyOption = "",
    by: ByOption = None,
    project: common.ProjectOption = None,
) -> None:
    """Add a failure mode; prints its id."""
    from ratchet.review.taxonomy import Add

    _change(Add(name, definition, tuple(example or ())), why, by, project)


@app.command("rename")
def rename(
    mode_id: Annotated[str, typer.Argument(help="The mode's id (`ratchet taxonomy list`).")],
    new_name: Annotated[str, typer.Argument(help="Its new name.")],
    why: WhyOption = "",
    by: ByOption = None,
    project: common.ProjectOption = None,
) -> None:
    """Rename a failure mode; its notes keep their codes."""
    from ratchet.review.taxonomy import Rename

    _change(Rename(mode_id, new_name), why, by, project)


@app.command("edit")
def edit(
    mode_id: Annotated[str, typer.Argument(help="The mode's id.")],
    definition: Annotated[str | None, typer.Option(help="A new definition.")] = None,
    example: Annotated[
        list[str] | None, typer.Option("--example", help="Replace the examples (repeatable).")
    ] = None,
    why: WhyOption = "",
    by: ByOption = None,
    project: common.ProjectOption = None,
) -> None:
    """Change a mode's definition or examples."""
    from ratchet.review.taxonomy import Edit

    _change(Edit(mode_id, definition, tuple(example) if example else None), why, by, project)


@app.command("merge")
def merge(
    source: Annotated[list[str], typer.Argument(help="Mode ids to fold in.")],
    into: Annotated[str, typer.Option("--into", help="The mode they become.")],
    why: WhyOption = "",
    by: ByOption = None,
    project: common.ProjectOption = None,
) -> None:
    """Merge modes into another: their notes are coded to it, and counts follow."""
    from ratchet.review.taxonomy import Merge

    _change(Merge(tuple(source), into), why, by, project)


@app.command("split")
def split(
    mode_id: Annotated[str, typer.Argument(help="The mode to split.")],
    part: Annotated[
        list[str], typer.Option("--part", help="A new mode's name (repeat: two or more).")
    ],
    assign: Annotated[
        list[str] | None,
        typer.Option(
            "--assign",
            help="NOTE_ID=1 or NOTE_ID=1,2: the parts (counted from 1) a note belongs to."
            " Every note of the mode must be assigned.",
        ),
    ] = None,
    why: WhyOption = "",
    by: ByOption = None,
    project: common.ProjectOption = None,
) -> None:
    """Split a mode into new ones, placing each of its notes in at least one."""
    from ratchet.core.errors import RatchetError
    from ratchet.review.taxonomy import Split

    assignment: dict[str, tuple[int, ...]] = {}
    for item in assign or ():
        note_id, _, parts = item.partition("=")
        try:
            indexes = tuple(int(p) - 1 for p in parts.split(",") if p.strip())
        except ValueError:
            indexes = ()
        if not note_id or not indexes or any(i < 0 or i >= len(part) for i in indexes):
            raise RatchetError(
                f"--assign {item!r}: write NOTE_ID=N with N from 1 to {len(part)}"
                " (the order of the --part options), e.g. n1a2b3c=1 or n1a2b3c=1,2"
            )
        assignment[note_id] = indexes
    _change(Split(mode_id, tuple((p, "") for p in part), assignment), why, by, project)


@app.command("retire")
def retire(
    mode_id: Annotated[str, typer.Argument(help="The mode to stop tracking.")],
    why: WhyOption = "",
    by: ByOption = None,
    project: common.ProjectOption = None,
) -> None:
    """Retire a mode: its notes keep the code as history; it no longer counts or takes codes."""
    from ratchet.review.taxonomy import Retire

    _change(Retire(mode_id), why, by, project)


@app.command("log")
def log(project: common.ProjectOption = None, as_json: common.JsonOption = False) -> None:
    """Every change to the taxonomy, oldest first, with who, when and why."""
    from ratchet.review.taxonomy_text import describe
    from ratchet.store.taxonomy import taxonomy_log

    st = common.store()
    try:
        ops = taxonomy_log(st, common.project(st, project).id)
    finally:
        st.close()
    if as_json:
        common.emit_json([o.model_dump(mode="json") for o in ops])
        return
    if not ops:
        common.console.print("the taxonomy has not changed yet")
        return
    common.print_rows(
        ["version", "when", "who", "change", "why"],
        [
            [
                str(o.version),
                f"{o.at:%Y-%m-%d %H:%M}",
                o.by or "",
                describe(o),
                o.why,
            ]
            for o in ops
        ],
    )
