"""API keys: random, stored as hashes, compared in constant time, revocable at once.

A key looks like ``rk_<prefix>_<secret>``. The prefix (shown when listing)
identifies it for people; only the SHA-256 of the whole key is stored, so a
database leak does not leak keys. Keys carry 256 bits of entropy, so a plain
hash (not a slow KDF) is the right tool: nothing can be guessed.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update

from ratchet.core.clock import from_unix_nanos, to_unix_nanos
from ratchet.core.errors import NotFound, RatchetError
from ratchet.core.projects import Project
from ratchet.store.projects import ensure_project
from ratchet.store.schema import api_keys, projects
from ratchet.store.store import Store

KEY_PREFIX = "rk_"


@dataclass(frozen=True)
class ApiKeyInfo:
    """What may be shown about a key: never the key itself."""

    prefix: str
    project: str
    user: str | None
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class Principal:
    """Who a request is from: the key's project and the person behind the key."""

    project_id: int
    project: str
    user: str | None
    key_prefix: str
    key_id: int | None = None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(store: Store, project_name: str, user: str | None = None) -> tuple[str, Project]:
    """Create a key for the project (created if missing); returns the key, shown once."""
    project = ensure_project(store, project_name)
    prefix = store.ids.hex(4)
    key = f"{KEY_PREFIX}{prefix}_{store.ids.token(32)}"
    with store.write() as conn:
        conn.execute(
            insert(api_keys).values(
                project_id=project.id,
                prefix=f"{KEY_PREFIX}{prefix}",
                key_hash=hash_key(key),
                user_name=user,
                created_ns=to_unix_nanos(store.clock.now()),
            )
        )
    return key, project


def list_keys(store: Store, project_id: int | None = None) -> list[ApiKeyInfo]:
    query = (
        select(api_keys, projects.c.name.label("project_name"))
        .join(projects, projects.c.id == api_keys.c.project_id)
        .order_by(api_keys.c.created_ns, api_keys.c.id)
    )
    if project_id is not None:
        query = query.where(api_keys.c.project_id == project_id)
    with store.read() as conn:
        rows = conn.execute(query).all()
    return [
        ApiKeyInfo(
            prefix=r.prefix,
            project=r.project_name,
            user=r.user_name,
            created_at=from_unix_nanos(r.created_ns),
            revoked_at=from_unix_nanos(r.revoked_ns) if r.revoked_ns else None,
        )
        for r in rows
    ]


def revoke_key(store: Store, key_or_prefix: str) -> ApiKeyInfo:
    """Revoke a key named by the whole key or by its listed prefix."""
    text = key_or_prefix.strip()
    if text.count("_") >= 2:
        condition = api_keys.c.key_hash == hash_key(text)
    else:
        condition = api_keys.c.prefix == text
    with store.write() as conn:
        rows = conn.execute(select(api_keys.c.id).where(condition)).all()
        if not rows:
            raise NotFound(f"no key matches {text!r}; `ratchet keys list` shows the prefixes")
        if len(rows) > 1:
            raise RatchetError(f"{text!r} matches {len(rows)} keys; give the whole key instead")
        conn.execute(
            update(api_keys)
            .where(api_keys.c.id == rows[0].id, api_keys.c.revoked_ns.is_(None))
            .values(revoked_ns=to_unix_nanos(store.clock.now()))
        )
    info = [k for k in list_keys(store) if k.prefix == text or text.startswith(k.prefix + "_")]
    return info[0]


def authenticate(store: Store, key: str) -> Principal | None:
    """The principal for a presented key, or None when unknown or revoked.

    Looked up on every request (one indexed read), so a key revoked from the
    CLI stops working on a running server at once.
    """
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    digest = hash_key(key)
    with store.read() as conn:
        row = conn.execute(
            select(api_keys, projects.c.name.label("project_name"))
            .join(projects, projects.c.id == api_keys.c.project_id)
            .where(api_keys.c.key_hash == digest)
        ).first()
    # The index lookup finds the row; the constant-time comparison keeps the
    # final decision free of timing differences on the stored hash.
    if row is None or not hmac.compare_digest(row.key_hash, digest):
        return None
    if row.revoked_ns is not None:
        return None
    return Principal(
        project_id=row.project_id,
        project=row.project_name,
        user=row.user_name,
        key_prefix=row.prefix,
        key_id=row.id,
    )


def principal_for_key_id(store: Store, key_id: int) -> Principal | None:
    """The principal of a key known by id (a browser session names its key so), if still valid.

    Read on every request, like :func:`authenticate`, so revoking the key
    signs its browser sessions out at once.
    """
    with store.read() as conn:
        row = conn.execute(
            select(api_keys, projects.c.name.label("project_name"))
            .join(projects, projects.c.id == api_keys.c.project_id)
            .where(api_keys.c.id == key_id)
        ).first()
    if row is None or row.revoked_ns is not None:
        return None
    return Principal(
        project_id=row.project_id,
        project=row.project_name,
        user=row.user_name,
        key_prefix=row.prefix,
        key_id=row.id,
    )
