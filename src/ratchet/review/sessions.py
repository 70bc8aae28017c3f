"""Starting a review session: a signal-first sample of production traces, stored in order.

Reviewers should read the traces most likely to show a failure, and also
some chosen blindly, since the failures no signal catches are the ones
only reading finds. Traces already read in an earlier session are not
drawn again.
"""

from __future__ import annotations

import random
from datetime import datetime

from ratchet.core.clock import Clock, from_unix_nanos, to_unix_nanos
from ratchet.core.errors import RatchetError
from ratchet.core.ids import IdSource
from ratchet.core.review import ReviewSession
from ratchet.review.sampling import STRATIFY_BY, Candidate, draw_sample
from ratchet.store import review_candidates as pool
from ratchet.store import review_sessions as session_store
from ratchet.store.store import Store

#: Traces read for the random part per trace wanted: enough that the blind picks are spread.
POOL_PER_PICK = 20
MAX_SIZE = 1000


def _candidate(row: pool.CandidateRow) -> Candidate:
    return Candidate(
        trace_id=row.trace_id,
        start=from_unix_nanos(row.start_ns),
        surface=row.surface,
        version=row.version,
        signals=row.signals,
    )


def start_session(
    store: Store,
    project_id: int,
    *,
    by: str | None,
    clock: Clock,
    ids: IdSource,
    size: int = 100,
    random_share: float = 0.2,
    stratify: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    surface: str | None = None,
    service: str | None = None,
    name: str | None = None,
    seed: int | None = None,
) -> ReviewSession:
    """Draw and store a new session; it may hold fewer traces than ``size`` if few are left.

    Raises:
        RatchetError: a size, share or stratification that cannot be drawn, or
            nothing at all to review in the window.
    """
    if not 1 <= size <= MAX_SIZE:
        raise RatchetError(f"--size {size}: a session holds 1 to {MAX_SIZE} traces")
    if stratify is not None and stratify not in STRATIFY_BY:
        raise RatchetError(f"--stratify {stratify}: use one of {', '.join(STRATIFY_BY)}")
    if not 0 <= random_share <= 1:
        raise RatchetError(f"--random-share {random_share}: give a share from 0 to 1, e.g. 0.2")
    now = clock.now()
    rng = random.Random(seed if seed is not None else ids.hex(8))
    window = pool.Window(
        since_ns=to_unix_nanos(since) if since else None,
        until_ns=to_unix_nanos(until) if until else None,
        surface=surface,
        service=service,
    )
    rows = pool.flagged(store, project_id, window, size * POOL_PER_PICK)
    rows += pool.uniform_pool(
        store, project_id, window, f"{rng.getrandbits(128):032x}", size * POOL_PER_PICK
    )
    seen = pool.reviewed_ids(store, project_id, [r.trace_id for r in rows])
    picks = draw_sample(
        [_candidate(r) for r in rows],
        size,
        random_share=random_share,
        stratify=stratify,
        exclude=seen,
        rng=rng,
    )
    if not picks:
        where = f" on surface {surface}" if surface else ""
        raise RatchetError(
            f"no production trace left to review{where} in this window"
            + (f" ({len(seen)} already reviewed)" if seen else "")
            + ": send traces to the server, or widen --since/--surface"
        )
    session = ReviewSession(
        id="rs" + ids.hex(5),
        name=name or f"Review {now:%Y-%m-%d %H:%M}",
        created_at=now,
        created_by=by,
        size=size,
        random_share=random_share,
        stratify=stratify,
        filters={
            k: v
            for k, v in {
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
                "surface": surface,
                "service": service,
            }.items()
            if v is not None
        },
    )
    return session_store.create_session(
        store, project_id, session, [(p.trace_id, p.reason) for p in picks]
    )
