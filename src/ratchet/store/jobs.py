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


def get_cursor(store: Store, project_id: int, name: str) -> tuple[int, str]:
    """Where job ``name`` has got to: a keyset position (time, id); (0, "") before its first run.

    Two parts because many rows may share one time: a cursor holding only the
    time would have to re-read or skip those rows when a batch ends among them.
    """
    with store.read() as conn:
        row = conn.execute(
            select(job_cursors.c.position_ns, job_cursors.c.position_key).where(
                job_cursors.c.project_id == project_id, job_cursors.c.name == name
            )
        ).first()
    if row is None:
        return 0, ""
    return int(row[0]), str(row[1] or "")


def set_cursor(
    store: Store, project_id: int, name: str, position_ns: int, position_key: str = ""
) -> None:
    """Record that job ``name`` has done everything up to and including (position_ns, key)."""
    values = {"position_ns": position_ns, "position_key": position_key}
    try:
        with store.write() as conn:
            done = conn.execute(
                update(job_cursors)
                .where(job_cursors.c.project_id == project_id, job_cursors.c.name == name)
                .values(**values)
            )
            if done.rowcount == 0:
                conn.execute(insert(job_cursors).values(project_id=project_id, name=name, **values))
    except IntegrityError:
        pass  # another replica's first run made the row at the same moment: the next round moves it


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
