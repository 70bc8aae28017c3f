"""Checks on a stored production trace: what a check sees when there was no replay.

A replay knows the agent's return value; a production trace only has its
root span. The same checks run on both (``ratchet check --trace``, online
checks), so a fixture can be confirmed against the incident it came from.
"""

from __future__ import annotations

from typing import Any

import orjson

from ratchet.core.traces import Trace
from ratchet.evaluate.checks.registry import Run
from ratchet.fixtures.draft import root_span


def output_text(trace: Trace) -> str | None:
    """The run's final output as checks read it: the root span's output, as text."""
    root = root_span(trace)
    value: Any = root.output if root is not None else None
    if value is None or isinstance(value, str):
        return value
    try:
        return orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return str(value)


def stored_run(trace: Trace) -> Run:
    return Run(trace, output_text(trace))
