"""Replaying with a fixed clock and sequential ids, so traces compare equal run to run."""

from __future__ import annotations

import asyncio
from typing import Any

from ratchet.core.clock import ManualClock
from ratchet.core.ids import SequentialIds
from ratchet.evaluate.replay import ReplayOutcome, replay
from ratchet.fixtures.model import Fixture


def fixture(**fields: Any) -> Fixture:
    fields.setdefault("id", "fx")
    return Fixture.model_validate(fields)


def run(fx: Fixture, agent: Any, **options: Any) -> ReplayOutcome:
    options.setdefault("clock", ManualClock())
    options.setdefault("ids", SequentialIds())
    return asyncio.run(replay(fx, agent, **options))


def refs(outcome: ReplayOutcome) -> list[str]:
    """The refs of every span but the root, in run order."""
    return [span.ref for span in outcome.trace.spans[1:]]


def span(outcome: ReplayOutcome, ref: str) -> Any:
    found = [s for s in outcome.trace.spans if s.ref == ref]
    assert len(found) == 1, f"{ref}: {len(found)} spans in {refs(outcome)}"
    return found[0]
