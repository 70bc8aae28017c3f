"""Where the store lives: ``RATCHET_DATABASE_URL``, else an SQLite file under ``RATCHET_HOME``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = ".ratchet"
SQLITE_FILE = "ratchet.db"


@dataclass(frozen=True)
class StoreSettings:
    """How to reach the database.

    Attributes:
        url: an SQLAlchemy URL (``sqlite:///…`` or ``postgresql+psycopg://…``).
        home: the folder for local state; created on first use.
        busy_timeout_ms: how long an SQLite writer waits for a lock before the
            request is answered 503 (the caller retries).
    """

    url: str
    home: Path
    busy_timeout_ms: int = 5000

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def describe(self) -> str:
        """The store's location for people, without any password in the URL."""
        if self.is_sqlite:
            return f"SQLite {self.url.removeprefix('sqlite:///')}"
        head, sep, tail = self.url.partition("@")
        if sep and ":" in head.split("//", 1)[-1]:
            user = head.split("//", 1)[-1].split(":", 1)[0]
            head = head.split("//", 1)[0] + "//" + user + ":***"
        return f"PostgreSQL {head}{sep}{tail}"


def settings_from_env(
    url: str | None = None, home: str | Path | None = None, env: dict[str, str] | None = None
) -> StoreSettings:
    """Settings from flags first, then ``RATCHET_*`` variables, then defaults."""
    environ = os.environ if env is None else env
    home_path = Path(home or environ.get("RATCHET_HOME") or DEFAULT_HOME)
    db_url = url or environ.get("RATCHET_DATABASE_URL")
    if not db_url:
        db_url = f"sqlite:///{home_path / SQLITE_FILE}"
    elif db_url.startswith("postgresql://") or db_url.startswith("postgres://"):
        # psycopg 3 is the driver we ship; plain URLs would ask for psycopg2.
        db_url = "postgresql+psycopg://" + db_url.split("://", 1)[1]
    timeout = int(environ.get("RATCHET_SQLITE_BUSY_TIMEOUT_MS", "5000"))
    return StoreSettings(url=db_url, home=home_path, busy_timeout_ms=timeout)
