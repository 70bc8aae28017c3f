"""``ratchet db``: the store's schema."""

from __future__ import annotations

import typer

from ratchet.cli import common

app = typer.Typer(help="Manage the store's schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Create the store if needed and apply pending schema migrations.

    The server also migrates at start-up; run this before starting several
    replicas against one PostgreSQL database.
    """
    st = common.store(upgrade=False)
    try:
        before, after = st.upgrade()
    finally:
        st.close()
    common.console.print(f"store: {st.settings.describe()}")
    if before == after:
        common.console.print(f"schema already at revision {after}")
    else:
        common.console.print(f"schema upgraded from {before or 'empty'} to revision {after}")
