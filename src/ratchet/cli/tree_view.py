"""A trace as an indented tree of spans, fast enough for traces of thousands of spans.

Rich's own Tree lays out every node as a renderable, which takes hundreds of
milliseconds at a few hundred spans; here each line is built once, as plain
text for scripts and CI logs or as one styled Text for a terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from rich.text import Text

from ratchet.core.spans import Span
from ratchet.core.traces import Trace

STATUS_STYLE = {"error": "red", "denied": "magenta", "waiting": "yellow", "ok": "green"}
Segment = tuple[str, str]  # (text, style)


def _short(value: Any, width: int) -> str:
    text = value if isinstance(value, str) else orjson.dumps(value, default=str).decode()
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _header(trace: Trace) -> list[Segment]:
    parts: list[Segment] = [(trace.name or "(no root yet)", "bold"), (f"  {trace.trace_id}", "")]
    parts.append((f"  {trace.service or ''}  spans={trace.span_count}", "dim"))
    if trace.stop_reason:
        parts.append((f"  stop={trace.stop_reason}", ""))
    if trace.final_status:
        parts.append((f"  final={trace.final_status}", ""))
    return parts


def _label(span: Span) -> list[Segment]:
    parts: list[Segment] = [(span.ref, "bold"), ("  ", "")]
    parts.append((span.status.value, STATUS_STYLE.get(span.status.value, "dim")))
    extra = []
    if span.duration_ms is not None:
        extra.append(f"{span.duration_ms:.0f} ms")
    if span.model:
        extra.append(span.model)
    if span.tokens and span.tokens.total:
        extra.append(f"{span.tokens.total} tok")
    if extra:
        parts.append(("  " + "  ".join(extra), ""))
    if span.status_message:
        parts.append(("  " + span.status_message, "red"))
    return parts


def tree_lines(trace: Trace, width: int = 160) -> Iterator[list[Segment]]:
    """Lines of the tree; spans whose parent never arrived hang off the top."""
    yield _header(trace)
    known = {s.span_id for s in trace.spans}
    children: dict[str | None, list[Span]] = {}
    for span in trace.spans:
        parent = span.parent_span_id if span.parent_span_id in known else None
        children.setdefault(parent, []).append(span)
    stack: list[tuple[str, Span, bool]] = [
        ("", s, i == len(children.get(None, [])) - 1)
        for i, s in reversed(list(enumerate(children.get(None, []))))
    ]
    while stack:
        indent, span, last = stack.pop()
        branch = "└── " if last else "├── "
        yield [(indent + branch, "dim"), *_label(span)]
        inner = indent + ("    " if last else "│   ")
        kids = children.get(span.span_id, [])
        for label, value in (("in: ", span.input), ("out: ", span.output)):
            if value is not None:
                guide = "│   " if kids else "    "
                yield [(inner + guide, "dim"), (label, "dim"), (_short(value, width), "")]
        stack.extend((inner, k, i == len(kids) - 1) for i, k in reversed(list(enumerate(kids))))


def plain(trace: Trace) -> str:
    return "\n".join("".join(text for text, _ in line) for line in tree_lines(trace)) + "\n"


def styled(trace: Trace) -> Text:
    out = Text()
    for n, line in enumerate(tree_lines(trace)):
        if n:
            out.append("\n")
        for text, style in line:
            out.append(text, style or None)
    return out
