"""The saturation curve: distinct failure modes found against traces reviewed.

Error analysis stops paying when reading more traces no longer reveals new
kinds of failure. The curve makes that visible, and the saturation state
turns it into a rule a team can act on: saturated once the last ``window``
reviewed traces (20 by default) added no new mode.

A mode counts as discovered at the first reviewed trace (in review order)
coded to it, even when the coding happened later: the curve asks what
reading more traces reveals, and it was the trace that showed the failure.
Because of that, a recent trace whose note is still waiting to be coded may
hide a new mode, so the state is never "saturated" while any trace in the
window has an uncoded note.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

#: How many recent reviewed traces must add no new mode before review is saturated.
DEFAULT_WINDOW = 20


@dataclass(frozen=True, slots=True)
class ReviewedCoding:
    """One reviewed trace, in review order, with the current modes its notes are coded to.

    ``uncoded_notes`` is true while the trace has a note not yet coded into
    any mode: such a trace may still turn out to show a new mode.
    """

    trace_id: str
    mode_ids: Collection[str] = field(default_factory=frozenset)
    uncoded_notes: bool = False


@dataclass(frozen=True, slots=True)
class Saturation:
    """The curve and the state read from it.

    Attributes:
        points: ``(traces reviewed, distinct modes so far)`` from ``(0, 0)``,
            one point per reviewed trace.
        window: The window the state was judged on.
        saturated: The last ``window`` reviewed traces added no new mode, at
            least ``window`` traces were reviewed, and none of the last
            ``window`` has a note waiting to be coded.
        new_in_window: Modes first seen among the last ``window`` reviewed traces.
        uncoded_in_window: Traces among the last ``window`` with an uncoded note.
        first_seen: Mode id to the position (1-based, in review order) of the
            first reviewed trace coded to it.
    """

    points: tuple[tuple[int, int], ...]
    window: int
    saturated: bool
    new_in_window: int
    uncoded_in_window: int
    first_seen: dict[str, int]

    @property
    def reviewed(self) -> int:
        return self.points[-1][0]

    @property
    def modes(self) -> int:
        return self.points[-1][1]

    @property
    def line(self) -> str:
        """One line for people, printable in every state, even before any review."""
        if self.reviewed == 0:
            return "not saturated: nothing reviewed yet"
        so_far = f"({_plural(self.modes, 'mode')} after {_plural(self.reviewed, 'trace')})"
        if self.reviewed < self.window:
            return (
                f"not saturated: {_plural(self.reviewed, 'trace')} reviewed,"
                f" fewer than the window of {self.window} ({_plural(self.modes, 'mode')} so far)"
            )
        last = f"the last {self.window} reviewed traces"
        if self.new_in_window:
            return f"not saturated: {last} added {_plural(self.new_in_window, 'new mode')} {so_far}"
        if self.uncoded_in_window:
            have = "has" if self.uncoded_in_window == 1 else "have"
            return (
                f"not saturated: {self.uncoded_in_window} of {last} {have}"
                f" notes not yet coded {so_far}"
            )
        return f"saturated: {last} added no new mode {so_far}"


def saturation(reviewed: Sequence[ReviewedCoding], *, window: int = DEFAULT_WINDOW) -> Saturation:
    """Build the saturation curve of ``reviewed`` (in review order) and judge its state.

    A trace listed twice counts at its first position.

    Raises:
        ValueError: When ``window`` is below 1.
    """
    if window < 1:
        raise ValueError(
            f"the saturation window must be at least 1 trace (got {window}); the default is 20"
        )
    first_seen: dict[str, int] = {}
    points: list[tuple[int, int]] = [(0, 0)]
    uncoded: list[bool] = []
    seen_traces: set[str] = set()
    for item in reviewed:
        if item.trace_id in seen_traces:
            continue
        seen_traces.add(item.trace_id)
        position = len(points)
        for mode_id in sorted(item.mode_ids):
            first_seen.setdefault(mode_id, position)
        points.append((position, len(first_seen)))
        uncoded.append(item.uncoded_notes)
    count = len(points) - 1
    window_start = count - window  # positions after this are in the window
    new_in_window = sum(1 for at in first_seen.values() if at > window_start)
    uncoded_in_window = sum(uncoded[max(0, window_start) :])
    return Saturation(
        points=tuple(points),
        window=window,
        saturated=count >= window and new_in_window == 0 and uncoded_in_window == 0,
        new_in_window=new_in_window,
        uncoded_in_window=uncoded_in_window,
        first_seen=first_seen,
    )


@dataclass(frozen=True, slots=True)
class Coding:
    """A note's coding into a mode: when it happened and the review session of the note."""

    mode_id: str
    coded_at: datetime
    session_id: str | None = None


def new_modes_per_session(codings: Iterable[Coding]) -> dict[str, int]:
    """How many failure modes each review session found first.

    A mode is new to a session when its first coding in the project's
    history (the earliest ``coded_at``; on a tie, the first listed) was of a
    note written in that session. A mode first coded on a note outside any
    session is new to none. Pass codings of current modes (merges and splits
    resolved), so the numbers follow the taxonomy as it stands. Sessions that
    found nothing new are absent from the result.
    """
    first: dict[str, Coding] = {}
    for coding in codings:
        known = first.get(coding.mode_id)
        if known is None or coding.coded_at < known.coded_at:
            first[coding.mode_id] = coding
    found: dict[str, int] = {}
    for coding in first.values():
        if coding.session_id is not None:
            found[coding.session_id] = found.get(coding.session_id, 0) + 1
    return found


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
