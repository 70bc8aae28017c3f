"""What a detector reports: one implicit signal, before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ratchet.core.signals import Signal, SignalKind


@dataclass(frozen=True, slots=True)
class Detected:
    """One implicit signal a detector found.

    A plain frozen dataclass rather than a pydantic model: detection runs on
    every ingested trace, and thousands of validations per second would cost
    more than the detectors themselves. :meth:`to_signal` turns it into the
    stored vocabulary.

    Attributes:
        kind: what was seen.
        strength: how strongly it suggests a failure, 0 to 1 (each detector's
            docstring says how it scales).
        evidence: what a reviewer needs to see why it fired: span ids, the
            matching words, the earlier and later messages, counts. JSON-safe.
        trace_id: the run the signal is about (None for a signal on a whole
            session).
        session_id: the conversation the run belongs to, when known.
        detector: the registered name of the detector that found it.
        discriminator: which of several findings of one detector on one run
            this is (a tool loop's tool and arguments, say); empty for a
            detector that fires at most once per run or session. It must
            not change when detection runs again on the same calls.
    """

    kind: SignalKind
    strength: float
    trace_id: str | None
    session_id: str | None
    detector: str
    evidence: dict[str, Any] = field(default_factory=dict)
    discriminator: str = ""

    @property
    def key(self) -> tuple[str | None, ...]:
        """What identifies this finding across runs of detection over the same data.

        Detection is deterministic, so running it again on a session that
        gained a trace finds the earlier signals again; storing only new keys
        keeps each finding once. Evidence is left out (it grows as a trace
        gains spans), so a detector that can fire several times on one run
        says which finding this is through ``discriminator``; without one,
        the key is what it always was, and signals stored before keep their ids.
        """
        if self.discriminator:
            return (
                self.detector,
                self.kind.value,
                self.trace_id,
                self.session_id,
                self.discriminator,
            )
        return (self.detector, self.kind.value, self.trace_id, self.session_id)

    def to_signal(self, signal_id: str, created_at: datetime) -> Signal:
        """The stored Signal, ``created_by`` naming the detector (``detector:<name>``)."""
        return Signal(
            id=signal_id,
            kind=self.kind,
            trace_id=self.trace_id,
            session_id=self.session_id,
            strength=self.strength,
            evidence={"detector": self.detector, **self.evidence},
            created_at=created_at,
            created_by=f"detector:{self.detector}",
        )


def clamp(value: float) -> float:
    """A strength within 0..1, rounded so stored values stay readable."""
    if value <= 0.0:
        return 0.0
    if value >= 1.0:
        return 1.0
    return round(value, 3)
