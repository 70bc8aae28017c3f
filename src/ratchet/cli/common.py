"""What every command shares: the store from flags/env, the project rule, output helpers.

Every ``ratchet`` run imports every command module (the CLI framework reads
all their signatures), so this module and the command modules import only the
CLI framework at start-up. The store, SQLAlchemy, pydantic models and rich's
consoles are loaded by the functions that use them.
"""

from __future__ import annotations

import atexit
import gc
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from ratchet.core.projects import Project
    from ratchet.core.traces import Trace
    from ratchet.store.store import Store

    #: People's output; data for scripts goes to stdout through :func:`emit_json`.
    console: Console
    err_console: Console

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


def get_console(*, stderr: bool = False) -> Console:
    """The console for people (stdout) or for errors (stderr), made on first use."""
    name = "err_console" if stderr else "console"
    made: Console | None = globals().get(name)
    if made is None:
        from rich.console import Console

        made = Console(stderr=stderr, highlight=False, soft_wrap=stderr or not sys.stdout.isatty())
        globals()[name] = made
    return made


def __getattr__(name: str) -> Any:
    # ``common.console`` and ``common.err_console``: rich takes a while to import.
    if name in ("console", "err_console"):
        return get_console(stderr=name == "err_console")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def stdout_is_terminal() -> bool:
    """``console.is_terminal``, answered without loading rich when stdout is plainly not one."""
    forced = os.environ.get("TTY_COMPATIBLE") == "1" or "FORCE_COLOR" in os.environ
    try:
        tty = sys.stdout.isatty()
    except ValueError:  # closed
        tty = False
    return (tty or forced) and get_console().is_terminal


@contextmanager
def short_lived() -> Iterator[None]:
    """The bulk of a command that builds a lot, prints it and exits (``traces show``).

    Cyclic garbage collection pauses inside: thousands of new objects on top
    of the heap the imports left set off collections that scan that heap and
    find nothing (what is built is acyclic and freed by reference counting).
    At the end the heap is frozen, so neither the next collection nor the
    interpreter's last one at exit scans it again: tens of milliseconds that
    would only free memory the exit frees anyway. :func:`thaw` undoes the
    freeze for a caller that lives on; at exit the heap is frozen again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        atexit.unregister(gc.freeze)
        atexit.register(gc.freeze)
        gc.freeze()
        CTX.heap_frozen = True
        if was_enabled:
            gc.enable()


def thaw() -> None:
    """Hand back to the collector what :func:`short_lived` froze (the command is over)."""
    if CTX.heap_frozen:
        CTX.heap_frozen = False
        gc.unfreeze()


class Context:
    """Flags given before the command (``ratchet --home … CMD``), and the run's own state."""

    database_url: str | None = None
    home: str | None = None
    heap_frozen: bool = False


CTX = Context()


def store(*, upgrade: bool = True) -> Store:
    """Open the store (creating RATCHET_HOME, the database and schema as needed)."""
    from ratchet.store.store import open_store

    return open_store(url=CTX.database_url, home=CTX.home, upgrade=upgrade)


def project(st: Store, name: str | None) -> Project:
    from ratchet.store.projects import resolve_project

    return resolve_project(st, name)


def read_trace(project_name: str | None, trace_id: str) -> Trace:
    """One trace of the project the project rule picks, read as cheaply as the store allows.

    A ready store is read over the bare database driver, without loading
    SQLAlchemy; a store that is missing, behind on migrations, or lacks the
    project the rule asks for is opened the usual way, which creates them.
    """
    from ratchet.store import sql_reads
    from ratchet.store.dbapi import open_reader
    from ratchet.store.settings import settings_from_env

    reader = open_reader(settings_from_env(url=CTX.database_url, home=CTX.home))
    if reader is not None:
        with reader:
            chosen = sql_reads.choose_project(sql_reads.list_projects(reader.query), project_name)
            if chosen is not None:
                return sql_reads.read_trace(reader.query, chosen.id, trace_id)
    from ratchet.store.traces_read import get_trace

    st = store()
    try:
        return get_trace(st, project(st, project_name).id, trace_id)
    finally:
        st.close()


def emit_json(data: Any) -> None:
    import orjson

    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


_RELATIVE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(value: str | None, flag: str) -> datetime | None:
    """ISO 8601 (``2026-04-18``, ``2026-04-18T09:00Z``) or relative (``30m``, ``24h``, ``7d``)."""
    from ratchet.core.clock import SystemClock
    from ratchet.core.errors import RatchetError

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
    if stdout_is_terminal():
        from rich.table import Table
        from rich.text import Text

        table = Table(*headers)
        for row in rows:
            # Cells are data (names people typed), never Rich markup.
            table.add_row(*(Text(cell) for cell in row))
        get_console().print(table)
        return
    sys.stdout.write("\t".join(headers) + "\n")
    for row in rows:
        sys.stdout.write("\t".join(row) + "\n")


def who(by: str | None) -> str | None:
    """Who a command acts as: ``--by``, else $RATCHET_USER, else the login name."""
    if by and by.strip():
        return by.strip()
    env = os.environ.get("RATCHET_USER", "").strip()
    if env:
        return env
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container with an unnamed uid)
        return None
