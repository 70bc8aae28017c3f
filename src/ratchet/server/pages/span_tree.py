"""The span tree as the trace view draws it: reading order, depth, timing bars, clipped values.

A reviewer scans the tree for where things went wrong, so each row says
when the step ran relative to the whole trace (a bar) and how it ended (a
colour); what it was given and gave back is one click away. Values are
pretty-printed JSON (strings as they are), clipped so a trace of a few
hundred spans with long prompts still makes a page that opens at once: the
first part is shown, the rest up to a limit is one "show more" away, and
anything beyond that is left to the trace's JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from ratchet.core.spans import Span
from ratchet.core.traces import Trace

#: Characters of a value shown before "show more".
HEAD_CHARS = 1_200
#: Characters of a value put in the page at all; the trace's JSON has the rest.
PAGE_CHARS = 20_000
#: Deeper nesting is drawn at this depth, so a runaway tree stays readable.
MAX_INDENT = 12


@dataclass(frozen=True, slots=True)
class Value:
    """A value as text, split into what is shown, what "show more" reveals, and what is left out."""

    head: str
    rest: str = ""
    left_out: int = 0


@dataclass(frozen=True, slots=True)
class SpanRow:
    """One span of the tree, ready to draw."""

    span: Span
    depth: int
    #: Where the bar starts and how long it is, as percentages of the trace's duration.
    offset_pct: float
    width_pct: float
    details: tuple[tuple[str, Value], ...]
    children: int

    @property
    def indent(self) -> int:
        return min(self.depth, MAX_INDENT)


def _default(value: Any) -> str:
    return str(value)


def as_text(value: Any) -> str:
    """Strings as they are; anything else as indented JSON."""
    if isinstance(value, str):
        return value
    try:
        return orjson.dumps(
            value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS, default=_default
        ).decode()
    except (TypeError, orjson.JSONEncodeError):
        return repr(value)


def clip(text: str) -> Value:
    if len(text) <= HEAD_CHARS:
        return Value(text)
    # Cut at a line end near the limit when there is one, so JSON stays readable.
    cut = text.rfind("\n", HEAD_CHARS // 2, HEAD_CHARS)
    cut = cut + 1 if cut > 0 else HEAD_CHARS
    kept = text[:PAGE_CHARS]
    return Value(kept[:cut], kept[cut:], max(0, len(text) - PAGE_CHARS))


def _details(span: Span) -> tuple[tuple[str, Value], ...]:
    out: list[tuple[str, Value]] = []
    if span.status_message:
        out.append(("status message", clip(span.status_message)))
    tool = span.tool
    if tool is not None and tool.arguments is not None:
        out.append(("tool arguments", clip(as_text(tool.arguments))))
    if tool is not None and tool.result is not None:
        out.append(("tool result", clip(as_text(tool.result))))
    # A tool span's input and output often repeat its arguments and result.
    if span.input is not None and (tool is None or span.input != tool.arguments):
        out.append(("input", clip(as_text(span.input))))
    if span.output is not None and (tool is None or span.output != tool.result):
        out.append(("output", clip(as_text(span.output))))
    if span.attributes:
        out.append(("attributes", clip(as_text(span.attributes))))
    if span.events:
        out.append(("events", clip(as_text(span.events))))
    return tuple(out)


def _bounds(trace: Trace, spans: Sequence[Span]) -> tuple[datetime | None, float]:
    """The trace's start and its duration in seconds (at least a microsecond)."""
    starts = [s.start for s in spans]
    ends = [s.end or s.start for s in spans]
    start = trace.start or (min(starts) if starts else None)
    end = trace.end or (max(ends) if ends else None)
    if start is None or end is None:
        return start, 1e-6
    return start, max((end - start).total_seconds(), 1e-6)


def reading_order(spans: Sequence[Span]) -> list[tuple[Span, int, int]]:
    """(span, depth, number of children) depth-first, siblings by start time.

    A span whose parent never arrived is drawn as a root, so nothing is hidden.
    """
    ids = {s.span_id for s in spans}
    children: dict[str | None, list[Span]] = {}
    for span in sorted(spans, key=lambda s: (s.start, s.span_id)):
        parent = span.parent_span_id if span.parent_span_id in ids else None
        children.setdefault(parent, []).append(span)
    out: list[tuple[Span, int, int]] = []
    stack = [(s, 0) for s in reversed(children.get(None, []))]
    seen: set[str] = set()
    while stack:
        span, depth = stack.pop()
        if span.span_id in seen:  # a cycle of parents: draw each span once
            continue
        seen.add(span.span_id)
        kids = children.get(span.span_id, [])
        out.append((span, depth, len(kids)))
        stack.extend((kid, depth + 1) for kid in reversed(kids))
    # Spans caught in a parent cycle have no root to hang from: draw them last, at the top.
    out.extend((s, 0, 0) for s in spans if s.span_id not in seen)
    return out


def span_rows(trace: Trace) -> list[SpanRow]:
    """Every span of ``trace`` in reading order with its bar and clipped details."""
    start, total = _bounds(trace, trace.spans)
    rows = []
    for span, depth, kids in reading_order(trace.spans):
        offset = (span.start - start).total_seconds() / total if start else 0.0
        length = (span.duration_ms or 0.0) / 1000 / total
        offset = min(max(offset, 0.0), 1.0)
        rows.append(
            SpanRow(
                span=span,
                depth=depth,
                offset_pct=round(offset * 100, 2),
                width_pct=round(max(min(length, 1.0 - offset), 0.0) * 100, 2),
                details=_details(span),
                children=kids,
            )
        )
    return rows


def trace_duration_ms(trace: Trace) -> float | None:
    if trace.start is None or trace.end is None:
        return None
    return (trace.end - trace.start).total_seconds() * 1000
