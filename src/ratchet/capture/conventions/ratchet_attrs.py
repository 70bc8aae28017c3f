"""Ratchet's own ``ratchet.*`` attributes: the application's explicit word, which wins.

An application instrumented with Ratchet's SDK (or by hand) states a span's
type, name, status, payloads, tool call and the artifact versions it ran
with. When it does, that statement beats anything inferred from another
convention.
"""

from __future__ import annotations

from typing import Any

import orjson

from ratchet.capture.conventions.values import json_safe, parse_json_text
from ratchet.capture.rawspan import STATUS_ERROR, STATUS_OK
from ratchet.core.spans import SpanStatus
from ratchet.core.traces import ARTIFACT_KINDS

SPAN_NAME = "ratchet.span.name"
SPAN_STATUS = "ratchet.span.status"
INPUT = "ratchet.input"
OUTPUT = "ratchet.output"
TOOL_NAME = "ratchet.tool.name"
TOOL_ARGUMENTS = "ratchet.tool.arguments"
TOOL_RESULT = "ratchet.tool.result"
SURFACE = "ratchet.surface"
STOP_REASON = "ratchet.stop_reason"
FINAL_STATUS = "ratchet.final_status"
COST = "ratchet.cost"
VERSION_PREFIX = "ratchet.version."

_STATUSES: dict[str, str] = {s.value: s.value for s in SpanStatus}
_OTLP_STATUSES: dict[int, str] = {STATUS_OK: "ok", STATUS_ERROR: "error"}
_KINDS = frozenset(ARTIFACT_KINDS)
_VERSION_PREFIX_LEN = len(VERSION_PREFIX)


def parse_payload(value: Any) -> Any:
    """A ``ratchet.*`` payload: JSON text (including a JSON string literal) parsed, else kept."""
    if isinstance(value, str) and value.startswith('"'):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
    if isinstance(value, str):
        return parse_json_text(value)
    return json_safe(value)


def version_entry(key: str, value: Any) -> tuple[str, str, str] | None:
    """``(kind, name, version)`` of a ``ratchet.version.<kind>.<name>`` attribute.

    None when the kind is not an artifact kind Ratchet tracks (the attribute
    then stays an ordinary attribute) or the name is missing. Names may
    contain dots: only the first segment after the prefix is the kind.
    """
    kind, _, name = key[_VERSION_PREFIX_LEN:].partition(".")
    if not name or kind not in _KINDS or value is None:
        return None
    return kind, name, value if isinstance(value, str) else str(value)


def add_versions(into: dict[str, dict[str, str]], attrs: dict[str, Any]) -> None:
    """Add every tracked ``ratchet.version.*`` entry of ``attrs`` to ``into``."""
    for key, value in attrs.items():
        if key.startswith(VERSION_PREFIX):
            entry = version_entry(key, value)
            if entry is not None:
                kind, name, version = entry
                into.setdefault(kind, {})[name] = version


def _exception_message(events: list[dict[str, Any]]) -> str | None:
    for event in events:
        if event.get("name") == "exception":
            attrs = event.get("attributes") or {}
            message = attrs.get("exception.message") or attrs.get("exception.type")
            if message:
                return str(message)
    return None


def resolve_status(
    attrs: dict[str, Any], code: int, message: str, events: list[dict[str, Any]]
) -> tuple[str, str | None]:
    """The span's status and message.

    ``ratchet.span.status`` wins because only the application can say that a
    step was ``denied`` or is ``waiting`` (OTLP knows just ok and error). An
    error without a message borrows the recorded exception's message, so the
    reader sees why it failed.
    """
    declared = attrs.get(SPAN_STATUS)
    status = _STATUSES.get(declared.lower()) if isinstance(declared, str) else None
    if status is None:
        status = _OTLP_STATUSES.get(code, "unset")
    text: str | None = message or None
    if text is None and status == "error":
        text = _exception_message(events)
    return status, text
