"""Schema migrations (Alembic), applied by ``ratchet db upgrade`` and at every store open.

Opening the store happens on every CLI command, so the common case (schema
already current) is answered with one query and without importing Alembic;
Alembic is loaded only when there is something to migrate. SQLAlchemy too is
imported by the functions that use it: the CLI's light read path needs only
:func:`head_revision`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

SCRIPT_LOCATION = "ratchet.store:migrations"
VERSIONS = Path(__file__).parent / "migrations" / "versions"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str:
    """The newest revision: migration files are named ``NNNN_what.py`` with id ``NNNN``.

    A test checks this agrees with Alembic's own view of the head.
    """
    ids = [p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py")]
    return max(ids)


def current_revision(engine: Engine) -> str | None:
    """The database's revision, or None for an empty database."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Bring the schema to the newest revision; returns (before, after)."""
    before = current_revision(engine)
    after = head_revision()
    if before == after:
        return before, after
    from alembic import command

    config = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several replicas may start at once: one migrates, the rest wait.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7324851)")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return before, after
