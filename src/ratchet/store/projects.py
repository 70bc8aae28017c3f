"""Projects: created on first use, chosen by key on the server and by ``--project`` in the CLI."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.core.errors import NotFound, RatchetError
from ratchet.core.projects import Project, check_project_name
from ratchet.store.schema import projects
from ratchet.store.store import Store

DEFAULT_PROJECT = "default"


def _row_to_project(row: object) -> Project:
    return Project(
        id=row.id,  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        created_at=from_unix_nanos(row.created_ns),  # type: ignore[attr-defined]
    )


def list_projects(store: Store) -> list[Project]:
    with store.read() as conn:
        rows = conn.execute(select(projects).order_by(projects.c.name)).all()
    return [_row_to_project(r) for r in rows]


def find_project(conn: Connection, name: str) -> Project | None:
    row = conn.execute(select(projects).where(projects.c.name == name)).first()
    return _row_to_project(row) if row else None


def get_project(store: Store, name: str) -> Project:
    with store.read() as conn:
        project = find_project(conn, name)
    if project is None:
        known = ", ".join(p.name for p in list_projects(store)) or "none yet"
        raise NotFound(f"no project named {name!r} (projects: {known})")
    return project


def ensure_project(store: Store, name: str) -> Project:
    """The project called ``name``, created with a fresh redaction secret if missing."""
    try:
        check_project_name(name)
    except ValueError as exc:
        raise RatchetError(str(exc)) from exc
    with store.read() as conn:
        existing = find_project(conn, name)
    if existing is not None:
        return existing
    try:
        with store.write() as conn:
            conn.execute(
                insert(projects).values(
                    name=name,
                    created_ns=to_unix_nanos(store.clock.now()),
                    # The pseudonym key: per project so pseudonyms never join
                    # across projects. Random even in tests: pseudonyms are
                    # compared with each other, never with fixed strings.
                    redaction_secret=secrets.token_hex(32),
                )
            )
    except IntegrityError:
        pass  # created concurrently by another process: use theirs
    return get_project(store, name)


def resolve_project(store: Store, name: str | None) -> Project:
    """The project a CLI command works on (DESIGN.md §3).

    With a name: that project, created if missing. Without: the only project
    there is, or ``default`` when there is none; with several, an error that
    lists them.
    """
    if name:
        return ensure_project(store, name)
    existing = list_projects(store)
    if not existing:
        return ensure_project(store, DEFAULT_PROJECT)
    if len(existing) == 1:
        return existing[0]
    names = ", ".join(p.name for p in existing)
    raise RatchetError(f"several projects exist ({names}); choose one with --project NAME")


def redaction_secret(store: Store, project_id: int) -> bytes:
    with store.read() as conn:
        value = conn.execute(
            select(projects.c.redaction_secret).where(projects.c.id == project_id)
        ).scalar_one()
    return bytes.fromhex(value)
