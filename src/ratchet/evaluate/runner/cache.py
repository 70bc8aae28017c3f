"""The result cache's key: what a replay's result depends on, hashed.

A result is reused only when the fixture's content, the candidate's version
manifest, the agent reference, the agent's source, the artifact files
(prompts, policies… named in ratchet.toml), the options that change judging,
and Ratchet's own version are all the same. Without the agent's
source there is no key: nothing is cached rather than something stale.
"""

from __future__ import annotations

import hashlib

from ratchet import __version__
from ratchet.core.traces import VersionManifest
from ratchet.fixtures.model import Fixture


def fixture_digest(fixture: Fixture) -> str:
    """Over the fixture's compact JSON, the form a lean suite file keeps (same digest)."""
    return body_digest(fixture.model_dump_json(exclude_unset=True).encode())


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def candidate_digest(
    agent: str,
    source_hash: str | None,
    manifest: VersionManifest,
    strict_mocks: bool,
    artifacts: str = "",
) -> str | None:
    """The candidate's share of every key, or None when its source is unknown."""
    if source_hash is None:
        return None
    h = hashlib.sha256()
    parts = (
        __version__,
        agent,
        source_hash,
        manifest.model_dump_json(),
        str(strict_mocks),
        artifacts,
    )
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def cache_key(candidate: str | None, fixture_hash: str) -> str | None:
    if candidate is None:
        return None
    return hashlib.sha256(f"{candidate}:{fixture_hash}".encode()).hexdigest()[:48]
