"""Projects: created on first use, chosen by key on the server and by ``--project`` in the CLI."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from ratchet.core.clock import to_unix_nanos
from ratchet.core.errors import NotFound, RatchetError
from ratchet.core.projects import Project, check_project_name
from ratchet.store import sql_reads
from ratchet.store.schema import projects
from ratchet.store.sql_reads import DEFAULT_PROJECT, choose_project, project_from_row
from ratchet.store.store import Store

__all__ = [
    "DEFAULT_PROJECT",
    "ensure_project",
    "find_project",
    "get_project",
    "list_projects",
    "redaction_secret",
    "resolve_project",
]


def list_projects(store: Store) -> list[Project]:
    with store.read() as conn:
        return sql_reads.list_projects(sql_reads.sqlalchemy_query(conn))


def find_project(conn: Connection, name: str) -> Project | None:
    p = projects.c
    row = conn.execute(select(p.id, p.name, p.created_ns).where(p.name == name)).first()
    return project_from_row(row) if row else None


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
    chosen = choose_project(list_projects(store), name)
    return chosen if chosen is not None else ensure_project(store, name or DEFAULT_PROJECT)


def redaction_secret(store: Store, project_id: int) -> bytes:
    with store.read() as conn:
        value = conn.execute(
            select(projects.c.redaction_secret).where(projects.c.id == project_id)
        ).scalar_one()
    return bytes.fromhex(value)
