"""What every command shares: the store from flags/env, the project rule, output helpers."""

from __future__ import annotations

import re
import sys
from datetime import datetime, timedelta
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console

from ratchet.core.clock import SystemClock
from ratchet.core.errors import RatchetError
from ratchet.core.projects import Project
from ratchet.store.projects import resolve_project
from ratchet.store.store import Store, open_store

#: People's output; data for scripts goes to stdout through :func:`emit_json`.
console = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

ProjectOption = Annotated[
    str | None,
    typer.Option(
        "--project",
        "-p",
        help="Project to work on. Default: the only project, or 'default' when there is none.",
        envvar="RATCHET_PROJECT",
        show_envvar=True,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON to stdout instead of a table.")
]


class Context:
    """Flags given before the command (``ratchet --home … CMD``)."""

    database_url: str | None = None
    home: str | None = None


CTX = Context()


def store(*, upgrade: bool = True) -> Store:
    """Open the store (creating RATCHET_HOME, the database and schema as needed)."""
    return open_store(url=CTX.database_url, home=CTX.home, upgrade=upgrade)


def project(st: Store, name: str | None) -> Project:
    return resolve_project(st, name)


def emit_json(data: Any) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


_RELATIVE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(value: str | None, flag: str) -> datetime | None:
    """ISO 8601 (``2026-04-18``, ``2026-04-18T09:00Z``) or relative (``30m``, ``24h``, ``7d``)."""
    if value is None:
        return None
    text = value.strip()
    match = _RELATIVE.match(text)
    if match:
        delta = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
        return SystemClock().now() - delta
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RatchetError(
            f"{flag} {value!r} is not a time: use ISO 8601 (2026-04-18T09:00Z) or a duration"
            " ago (30m, 24h, 7d, 2w)"
        ) from exc
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment


def print_rows(headers: list[str], rows: list[list[str]]) -> None:
    """A table for a terminal; tab-separated lines with whole values for scripts and CI logs."""
    if console.is_terminal:
        from rich.table import Table

        table = Table(*headers)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    sys.stdout.write("\t".join(headers) + "\n")
    for row in rows:
        sys.stdout.write("\t".join(row) + "\n")
