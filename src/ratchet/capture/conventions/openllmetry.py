"""OpenLLMetry (Traceloop): entity payloads, entity names, and its older prompt keys.

Its decorators record a function's call as ``traceloop.entity.input`` (JSON
of ``{"args": [...], "kwargs": {...}}``, or a framework's own inputs) and
its return value as ``traceloop.entity.output``. Its LLM spans use the
flattened ``gen_ai.prompt.N.*`` keys read by ``genai``, or the older
``llm.prompts.N.*`` / ``llm.completions.N.*`` keys read here.
"""

from __future__ import annotations

from typing import Any

from ratchet.capture.conventions.genai import messages_from_flat as _flat_messages
from ratchet.capture.conventions.messages import Message

ENTITY_INPUT = "traceloop.entity.input"
ENTITY_OUTPUT = "traceloop.entity.output"
ENTITY_NAME = "traceloop.entity.name"
SESSION_ID = "traceloop.association.properties.session_id"
PROMPTS_PREFIX = "llm.prompts."
COMPLETIONS_PREFIX = "llm.completions."
TOTAL_TOKENS = "llm.usage.total_tokens"

_CALL_KEYS = frozenset({"args", "kwargs"})


def call_arguments(entity_input: Any) -> Any:
    """A tool's arguments from a decorated call's recorded input.

    A call recorded as ``{"args": [], "kwargs": {...}}`` passed its arguments
    by name: the keyword mapping is what fixtures assert on (``tool_args``),
    so it is unwrapped. Anything else is returned as recorded.
    """
    if isinstance(entity_input, dict) and entity_input and entity_input.keys() <= _CALL_KEYS:
        args = entity_input.get("args")
        kwargs = entity_input.get("kwargs")
        if not args and isinstance(kwargs, dict):
            return kwargs
    return entity_input


def messages_from_flat(groups: dict[int, dict[str, Any]], default_role: str) -> list[Message]:
    """Messages from ``llm.prompts.N.*`` / ``llm.completions.N.*`` keys grouped by N."""
    return _flat_messages(groups, default_role)
