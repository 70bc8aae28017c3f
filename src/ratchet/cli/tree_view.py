"""A trace as an indented tree of spans, fast enough for traces of thousands of spans.

Rich's own Tree lays out every node as a renderable, which takes hundreds of
milliseconds at a few hundred spans; here each line is built once, as plain
text for scripts and CI logs or as styled segments for a terminal (rich is
loaded only then: plain output to a pipe is most of a short command's time).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.style import Style

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


def styled(trace: Trace) -> StyledTree:
    return StyledTree(trace)


class StyledTree:
    """The tree for a terminal, as rich segments with each style looked up once.

    What a single rich ``Text`` of the tree would print, at a fraction of the
    cost: a ``Text`` of a few thousand styled pieces takes tens of milliseconds
    to split into lines and render. As ``Text`` does, pieces lose the control
    codes rich strips, and a line holding a tab is laid out by rich itself.
    """

    def __init__(self, trace: Trace) -> None:
        self.trace = trace

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.control import strip_control_codes
        from rich.segment import Segment as RichSegment
        from rich.text import Text

        styles: dict[str, Style | None] = {"": None}
        newline = RichSegment.line()
        for line in tree_lines(self.trace):
            if any("\t" in text for text, _ in line):
                tabbed = Text.assemble(*((text, name) if name else text for text, name in line))
                tabbed.expand_tabs(console.tab_size)
                yield from tabbed.render(console)
            else:
                for text, name in line:
                    if not text.isprintable():
                        text = strip_control_codes(text)
                    style = styles.get(name)
                    if style is None and name:
                        style = styles[name] = console.get_style(name, default="none")
                    yield RichSegment(text, style)
            yield newline
