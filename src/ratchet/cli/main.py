"""``ratchet``: the command line. One module per command group; errors are one line, exit 2.

Start-up imports the CLI framework and the command modules' signatures only:
``ratchet --version`` and ``--help`` load neither the store nor the models,
and each command loads what it needs when it runs.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

import ratchet
from ratchet.cli import (
    check,
    common,
    db,
    demo,
    fixtures,
    fixtures_pull,
    gate,
    ingest,
    keys,
    online,
    review,
    run,
    serve,
    signals,
    taxonomy,
    traces,
)

app = typer.Typer(
    name="ratchet",
    help=(
        "Close the loop from production to evals: capture traces and feedback, review failures,"
        " turn them into owned fixtures, and gate releases on them.\n\n"
        "The store is an SQLite file under RATCHET_HOME (default ./.ratchet) unless"
        " RATCHET_DATABASE_URL names another database (postgresql+psycopg://…)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ratchet {ratchet.__version__}")
        raise typer.Exit()


@app.callback()
def root(
    home: Annotated[
        str | None,
        typer.Option(help="Folder for local state and the SQLite store.", envvar="RATCHET_HOME"),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host/db.",
            envvar="RATCHET_DATABASE_URL",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Global options, given before the command."""
    common.CTX.home = home
    common.CTX.database_url = database_url


app.command("serve")(serve.serve)
app.command("ingest")(ingest.ingest)
app.command("demo")(demo.demo)
app.command("run")(run.run)
app.command("check")(check.check)
app.add_typer(gate.app, name="gate")
fixtures.app.command("pull")(fixtures_pull.pull)
app.add_typer(fixtures.app, name="fixtures")
app.add_typer(traces.app, name="traces")
app.add_typer(review.app, name="review")
app.add_typer(taxonomy.app, name="taxonomy")
app.add_typer(signals.app, name="signals")
app.add_typer(online.app, name="online-checks")
app.add_typer(keys.app, name="keys")
app.add_typer(db.app, name="db")


def main() -> None:
    """Entry point: a user's mistake is one line on stderr and exit code 2, never a traceback.

    Usage errors (unknown command, bad flag) are reported by the CLI framework
    itself, also with exit code 2.
    """
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        from ratchet.core.errors import RatchetError

        if not isinstance(exc, RatchetError):
            raise
        from rich.markup import escape

        common.get_console(stderr=True).print(f"[red]error:[/red] {escape(exc.message)}")
        sys.exit(2)
    finally:
        common.thaw()


if __name__ == "__main__":
    main()
