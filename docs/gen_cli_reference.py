"""Write docs/cli.md from the CLI's own ``--help``.

Run by ``make docs``; a test checks that the committed file is current.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from ratchet.cli.main import app

OUT = Path(__file__).with_name("cli.md")
HEADER = """# CLI reference

Generated from `ratchet … --help` by `make docs`; do not edit by hand.

Global options (`--home`, `--database-url`) go before the command. Commands
that touch project data take `--project`; without it they use the only
project there is, or `default` when there is none. Errors are one line on
stderr with exit code 2.
"""


def _commands(group: Any, prefix: list[str]) -> list[list[str]]:
    found = [prefix]
    for name in sorted(group.commands):
        command = group.commands[name]
        if hasattr(command, "commands"):
            found.extend(_commands(command, [*prefix, name]))
        else:
            found.append([*prefix, name])
    return found


def render() -> str:
    runner = CliRunner()
    root = typer.main.get_command(app)
    parts = [HEADER]
    for path in _commands(root, []):
        result = runner.invoke(
            app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
        )
        text = "\n".join(line.rstrip() for line in result.output.strip().splitlines())
        title = " ".join(["ratchet", *path])
        parts.append(f"## `{title}`\n\n```text\n{text}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    OUT.write_text(render())
    sys.stdout.write(f"wrote {OUT}\n")
