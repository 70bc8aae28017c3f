"""Per-run lookups every check shares, built once per run.

A fixture runs ten or so checks against one trace; scanning its spans once
per check would cost more than the checks themselves. The index is built
the first time a check reads ``run.index`` and shared by the rest.
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache
from operator import attrgetter
from typing import Any

from ratchet.core.spans import Span, SpanStatus, SpanType
from ratchet.core.traces import Trace

#: The ref pattern that stands for any side-effect span (an intent replay recorded, or a
#: span the application marked).
SIDE_EFFECT = "@side_effect"
#: Attributes that mark a span as a side effect: replay sets the first; instrumented
#: tools (the demo agents, for one) set the second.
SIDE_EFFECT_ATTRIBUTES = ("ratchet.side_effect", "ratchet.tool.side_effect")

_GLOB_CHARS = frozenset("*?[")
_start = attrgetter("start")


def is_side_effect(span: Span) -> bool:
    """True when the span's attributes mark it as a side effect."""
    attributes = span.attributes
    for key in SIDE_EFFECT_ATTRIBUTES:
        value = attributes.get(key)
        if value is True or (isinstance(value, str) and value.lower() == "true"):
            return True
    return False


def is_glob(pattern: str) -> bool:
    return not _GLOB_CHARS.isdisjoint(pattern)


@lru_cache(maxsize=1024)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern))


def tool_arguments(span: Span) -> Any:
    """What the tool call was given; a call recorded without arguments was given none."""
    arguments = span.tool.arguments if span.tool is not None else None
    return {} if arguments is None else arguments


class RunIndex:
    """The spans of one trace in run order, with the lookups checks ask for.

    Run order is start time, ties broken by position in ``trace.spans``
    (the sort is stable), so "before" means the same thing in every check.
    Everything is gathered in one pass over the spans: on a trace of a few
    dozen spans, one loop costs less than the bookkeeping of lazy lookups.
    """

    __slots__ = (
        "_first_match",
        "error_positions",
        "first_by_ref",
        "first_denied",
        "positions_by_ref",
        "refs",
        "side_effect_positions",
        "spans",
        "tool_calls",
        "tool_positions",
        "trace",
    )

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.spans: list[Span] = sorted(trace.spans, key=_start)
        self.refs: list[str] = []
        #: ref → positions of its spans, in run order (first key order = first seen).
        self.positions_by_ref: dict[str, list[int]] = {}
        self.first_by_ref: dict[str, int] = {}
        self.tool_positions: list[int] = []
        #: tool name → positions of its calls, in run order.
        self.tool_calls: dict[str, list[int]] = {}
        self.side_effect_positions: list[int] = []
        self.error_positions: list[int] = []
        self.first_denied: int | None = None
        self._first_match: dict[str, int | None] = {}
        tool, error, denied = SpanType.TOOL, SpanStatus.ERROR, SpanStatus.DENIED
        for position, span in enumerate(self.spans):
            # Built from type and name directly: ``Span.ref`` re-parses the type on every read.
            ref = f"{span.type}:{span.name}"
            self.refs.append(ref)
            at = self.positions_by_ref.get(ref)
            if at is None:
                self.positions_by_ref[ref] = [position]
                self.first_by_ref[ref] = position
            else:
                at.append(position)
            if span.type is tool:
                self.tool_positions.append(position)
                self.tool_calls.setdefault(span.name, []).append(position)
            if span.attributes and is_side_effect(span):
                self.side_effect_positions.append(position)
            status = span.status
            if status is error:
                self.error_positions.append(position)
            elif status is denied and self.first_denied is None:
                self.first_denied = position

    def first_match(self, pattern: str) -> int | None:
        """Position of the first span the ref pattern matches, or None.

        A pattern is a ref (``tool:read_order``), a glob over refs
        (``tool:*``) or ``@side_effect``.
        """
        if pattern in self._first_match:
            return self._first_match[pattern]
        found: int | None
        if pattern == SIDE_EFFECT:
            positions = self.side_effect_positions
            found = positions[0] if positions else None
        elif is_glob(pattern):
            match = _glob(pattern).match
            found = next((i for i, ref in enumerate(self.refs) if match(ref)), None)
        else:
            found = self.first_by_ref.get(pattern)
        self._first_match[pattern] = found
        return found

    def ids(self, positions: list[int]) -> list[str]:
        return [self.spans[i].span_id for i in positions]

    def refs_of(self, positions: list[int]) -> list[str]:
        return [self.refs[i] for i in positions]
