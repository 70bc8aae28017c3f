"""``ratchet keys``: API keys. A key decides the project its data lands in."""

from __future__ import annotations

from typing import Annotated

import typer

from ratchet.cli import common

app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)


@app.command("create")
def create(
    project: Annotated[
        str, typer.Option("--project", "-p", help="Project the key writes to; created if missing.")
    ],
    user: Annotated[
        str | None,
        typer.Option(help="The person behind the key; reviews and taxonomy changes record it."),
    ] = None,
) -> None:
    """Create a key and print it, alone, as the last line of stdout.

    The key is shown once: only its hash is stored. It works on a running
    server at once. Use it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'.
    """
    from ratchet.store.keys import create_key

    st = common.store()
    key, proj = create_key(st, project, user)
    common.err_console.print(
        f"created a key for project [bold]{proj.name}[/bold]"
        + (f" (user {user})" if user else "")
        + "; it is shown once, store it now:"
    )
    typer.echo(key)
    st.close()


@app.command("list")
def list_(
    project: common.ProjectOption = None,
    as_json: common.JsonOption = False,
) -> None:
    """List keys by prefix (never the keys themselves)."""
    from ratchet.store.keys import list_keys
    from ratchet.store.projects import get_project

    st = common.store()
    project_id = get_project(st, project).id if project else None
    keys = list_keys(st, project_id)
    st.close()
    if as_json:
        common.emit_json(
            [
                {
                    "prefix": k.prefix,
                    "project": k.project,
                    "user": k.user,
                    "created_at": k.created_at.isoformat(),
                    "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
                }
                for k in keys
            ]
        )
        return
    if not keys:
        common.console.print("no keys yet: `ratchet keys create --project NAME`")
        return
    rows = []
    for k in keys:
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
        rows.append([k.prefix, k.project, k.user or "", f"{k.created_at:%Y-%m-%d %H:%M}", state])
    common.print_rows(["prefix", "project", "user", "created", "state"], rows)


@app.command("revoke")
def revoke(
    key: Annotated[
        str, typer.Argument(help="The key, or its prefix as `ratchet keys list` shows it.")
    ],
) -> None:
    """Revoke a key; a running server refuses it from the next request on."""
    from ratchet.store.keys import revoke_key

    st = common.store()
    info = revoke_key(st, key)
    st.close()
    common.console.print(f"revoked {info.prefix} (project {info.project})")
