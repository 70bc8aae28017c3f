"""Small shared state of background jobs: cursors, online-check rules and server settings.

Everything here lives in the database, not in a process, so several server
replicas on one PostgreSQL share it (DESIGN.md §7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ratchet.core.errors import NotFound
from ratchet.store.schema import job_cursors, online_rules, settings
from ratchet.store.store import Store


def get_cursor(store: Store, project_id: int, name: str) -> int:
    """Where job ``name`` has got to (0 before its first run)."""
    with store.read() as conn:
        value = conn.execute(
            select(job_cursors.c.position_ns).where(
                job_cursors.c.project_id == project_id, job_cursors.c.name == name
            )
        ).scalar()
    return int(value or 0)


def set_cursor(store: Store, project_id: int, name: str, position_ns: int) -> None:
    with store.write() as conn:
        done = conn.execute(
            update(job_cursors)
            .where(job_cursors.c.project_id == project_id, job_cursors.c.name == name)
            .values(position_ns=position_ns)
        )
        if done.rowcount == 0:
            conn.execute(
                insert(job_cursors).values(
                    project_id=project_id, name=name, position_ns=position_ns
                )
            )


def setting(store: Store, name: str, make: Callable[[], str]) -> str:
    """The server-wide value ``name``, made by ``make`` (once, whoever comes first) if missing."""
    with store.read() as conn:
        value = conn.execute(select(settings.c.value).where(settings.c.name == name)).scalar()
    if value is not None:
        return str(value)
    try:
        with store.write() as conn:
            conn.execute(insert(settings).values(name=name, value=make()))
    except IntegrityError:
        pass  # another replica made it first: everyone uses that one
    with store.read() as conn:
        return str(conn.execute(select(settings.c.value).where(settings.c.name == name)).scalar())


@dataclass(frozen=True, slots=True)
class OnlineRule:
    """Apply ``expect`` (fixture expectations) to sampled production traces matching ``filter``."""

    id: str
    filter: dict[str, Any]
    expect: dict[str, Any]
    sample_rate: float = 1.0
    enabled: bool = True
    created_ns: int = 0
    created_by: str | None = None


def save_rule(store: Store, project_id: int, rule: OnlineRule) -> None:
    values = {
        "filter": orjson.dumps(rule.filter).decode(),
        "expect": orjson.dumps(rule.expect).decode(),
        "sample_rate": rule.sample_rate,
        "enabled": int(rule.enabled),
    }
    with store.write() as conn:
        done = conn.execute(
            update(online_rules)
            .where(online_rules.c.project_id == project_id, online_rules.c.id == rule.id)
            .values(**values)
        )
        if done.rowcount == 0:
            conn.execute(
                insert(online_rules).values(
                    project_id=project_id,
                    id=rule.id,
                    created_ns=rule.created_ns,
                    created_by=rule.created_by,
                    **values,
                )
            )


def list_rules(store: Store, project_id: int) -> list[OnlineRule]:
    with store.read() as conn:
        rows = conn.execute(
            select(online_rules)
            .where(online_rules.c.project_id == project_id)
            .order_by(online_rules.c.id)
        ).all()
    return [
        OnlineRule(
            id=r.id,
            filter=orjson.loads(r.filter),
            expect=orjson.loads(r.expect),
            sample_rate=r.sample_rate,
            enabled=bool(r.enabled),
            created_ns=r.created_ns,
            created_by=r.created_by,
        )
        for r in rows
    ]


def delete_rule(store: Store, project_id: int, rule_id: str) -> None:
    with store.write() as conn:
        done = conn.execute(
            delete(online_rules).where(
                online_rules.c.project_id == project_id, online_rules.c.id == rule_id
            )
        )
    if done.rowcount == 0:
        raise NotFound(f"no online check rule {rule_id!r} in this project")
