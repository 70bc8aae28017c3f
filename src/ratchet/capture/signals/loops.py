"""Tool loops: the same tool called with the same arguments three or more times in one run.

An agent that keeps asking for what it already has is stuck: the loop
burns tokens and time and usually ends in a limit or a give-up answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import orjson

from ratchet.capture.signals.model import Detected, clamp
from ratchet.capture.signals.registry import trace_detector
from ratchet.capture.signals.views import TraceView
from ratchet.core.signals import SignalKind
from ratchet.core.spans import Span, SpanStatus

#: Identical calls from which a run counts as looping.
MIN_CALLS = 3
#: Longest arguments text kept whole in the evidence.
ARGUMENTS_LIMIT = 500


def arguments_of(span: Span) -> Any:
    """What a tool call was given: its recorded arguments, else the span's input."""
    if span.tool is not None and span.tool.arguments is not None:
        return span.tool.arguments
    return span.input


def arguments_key(arguments: Any) -> str:
    """Arguments as canonical text, so the same call compares equal whatever the key order."""
    if arguments is None:
        return ""
    if isinstance(arguments, str):
        return arguments
    try:
        return orjson.dumps(arguments, option=orjson.OPT_SORT_KEYS, default=str).decode()
    except (TypeError, orjson.JSONEncodeError):
        return repr(arguments)


def loop_discriminator(tool: str, args_text: str) -> str:
    """Which loop of a run this is: the tool and a digest of its canonical arguments.

    Two loops in one run (different tools, or one tool with different
    arguments) are two findings; the digest keeps the key short and the
    same on every run of detection.
    """
    digest = hashlib.sha256(args_text.encode()).hexdigest()[:16]
    return f"{tool}:{digest}"


@trace_detector("tool_loop")
def tool_loop(view: TraceView) -> Iterator[Detected]:
    """The same tool called with the same arguments three or more times in one run.

    Calls that each come straight after a failed identical call are a retry
    storm, which the ``retries`` detector reports; a loop needs at least one
    repeat of a call that had succeeded. One signal per looping call.

    Strength: 0.6 at three calls, 0.15 more per further call (1.0 from six):
    each repeat is more time and money spent getting nowhere.
    """
    tools = view.tool_spans
    if len(tools) < MIN_CALLS:
        return
    per_name: dict[str, int] = {}
    for span in tools:
        per_name[span.name] = per_name.get(span.name, 0) + 1
    repeated = {name for name, count in per_name.items() if count >= MIN_CALLS}
    if not repeated:
        return
    groups: dict[tuple[str, str], list[Span]] = {}
    for span in tools:
        if span.name not in repeated:
            continue
        key = (span.name, arguments_key(arguments_of(span)))
        found = groups.get(key)
        if found is None:
            groups[key] = [span]
        else:
            found.append(span)
    for (name, args_text), calls in groups.items():
        if len(calls) < MIN_CALLS:
            continue
        repeats_after_success = sum(
            1 for before in calls[:-1] if before.status is not SpanStatus.ERROR
        )
        if repeats_after_success == 0:
            continue
        arguments = arguments_of(calls[0])
        yield Detected(
            SignalKind.TOOL_LOOP,
            clamp(0.6 + 0.15 * (len(calls) - MIN_CALLS)),
            view.trace_id,
            view.session_id,
            "tool_loop",
            discriminator=loop_discriminator(name, args_text),
            evidence={
                "tool": name,
                "arguments": (
                    arguments if len(args_text) <= ARGUMENTS_LIMIT else args_text[:ARGUMENTS_LIMIT]
                ),
                "calls": len(calls),
                "failed_calls": sum(1 for s in calls if s.status is SpanStatus.ERROR),
                "span_ids": [s.span_id for s in calls],
            },
        )
