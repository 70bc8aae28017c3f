"""Schema migrations (Alembic), applied by ``ratchet db upgrade`` and at every store open."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

SCRIPT_LOCATION = "ratchet.store:migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Bring the schema to the newest revision; returns (before, after)."""
    before = current_revision(engine)
    after = head_revision()
    if before == after:
        return before, after
    config = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several replicas may start at once: one migrates, the rest wait.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7324851)")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return before, after
