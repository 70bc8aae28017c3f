"""OpenTelemetry GenAI semantic conventions, in each generation that is in use.

The GenAI conventions changed shape several times, and instrumentations of
every age are still deployed:

- latest: ``gen_ai.input.messages`` / ``gen_ai.output.messages`` /
  ``gen_ai.system_instructions`` attributes (JSON text or structured values,
  messages made of typed ``parts``), also carried by the
  ``gen_ai.client.inference.operation.details`` event;
- older: one span event per message (``gen_ai.system.message``,
  ``gen_ai.user.message``, ``gen_ai.assistant.message``,
  ``gen_ai.tool.message``, ``gen_ai.choice``);
- oldest: flattened ``gen_ai.prompt.N.*`` / ``gen_ai.completion.N.*``
  attributes, and ``gen_ai.content.prompt`` / ``gen_ai.content.completion``
  events holding a JSON list.

All of them become the common message shape of ``messages``.
"""

from __future__ import annotations

from typing import Any

from ratchet.capture.conventions.messages import (
    Message,
    messages_from_flat_entries,
    normalise_message,
    normalise_messages,
)
from ratchet.capture.conventions.values import parse_json_text

INPUT_MESSAGES = "gen_ai.input.messages"
OUTPUT_MESSAGES = "gen_ai.output.messages"
SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions"
PROMPT = "gen_ai.prompt"
COMPLETION = "gen_ai.completion"
PROMPT_PREFIX = "gen_ai.prompt."
COMPLETION_PREFIX = "gen_ai.completion."
TOOL_NAME = "gen_ai.tool.name"
TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments"
TOOL_CALL_RESULT = "gen_ai.tool.call.result"
REQUEST_MODEL = "gen_ai.request.model"
RESPONSE_MODEL = "gen_ai.response.model"
INPUT_TOKENS = "gen_ai.usage.input_tokens"
OUTPUT_TOKENS = "gen_ai.usage.output_tokens"
PROMPT_TOKENS = "gen_ai.usage.prompt_tokens"
COMPLETION_TOKENS = "gen_ai.usage.completion_tokens"
TOTAL_TOKENS = "gen_ai.usage.total_tokens"
CONVERSATION_ID = "gen_ai.conversation.id"

DETAILS_EVENT = "gen_ai.client.inference.operation.details"
CHOICE_EVENT = "gen_ai.choice"
CONTENT_PROMPT_EVENT = "gen_ai.content.prompt"
CONTENT_COMPLETION_EVENT = "gen_ai.content.completion"
#: Per-message events and the role each one implies.
MESSAGE_EVENT_ROLES: dict[str, str] = {
    "gen_ai.system.message": "system",
    "gen_ai.user.message": "user",
    "gen_ai.assistant.message": "assistant",
    "gen_ai.tool.message": "tool",
}
#: Events whose content moves into the span's input or output.
CONSUMED_EVENTS = frozenset(
    {
        *MESSAGE_EVENT_ROLES,
        CHOICE_EVENT,
        DETAILS_EVENT,
        CONTENT_PROMPT_EVENT,
        CONTENT_COMPLETION_EVENT,
    }
)


def input_messages(instructions: Any, messages: Any) -> list[Message] | None:
    """The latest-convention input: system instructions first, then the messages."""
    out: list[Message] = []
    if instructions is not None:
        parsed = parse_json_text(instructions) if isinstance(instructions, str) else instructions
        if isinstance(parsed, list | tuple):
            system = normalise_message({"role": "system", "parts": list(parsed)})
        else:
            system = normalise_message(parsed, "system")
        if system is not None:
            out.append(system)
    if messages is not None:
        out.extend(normalise_messages(messages, "user") or ())
    return out or None


def output_messages(messages: Any) -> list[Message] | None:
    """The latest-convention output messages in the common shape."""
    if messages is None:
        return None
    return normalise_messages(messages, "assistant") or None


def messages_from_flat(groups: dict[int, dict[str, Any]], default_role: str) -> list[Message]:
    """Messages from ``gen_ai.prompt.N.*`` / ``gen_ai.completion.N.*`` keys grouped by N."""
    return messages_from_flat_entries([groups[i] for i in sorted(groups)], default_role)


def _event_message(attrs: dict[str, Any], role: str) -> Message | None:
    """One per-message event's attributes as a message.

    The message is either nested under ``message`` (``gen_ai.choice``) or
    spread over the event's own attributes (``content``, ``tool_calls``,
    ``id``, ``role``); nested values may arrive as JSON text.
    """
    nested = attrs.get("message")
    if isinstance(nested, str):
        nested = parse_json_text(nested)
    body: dict[str, Any] = dict(nested) if isinstance(nested, dict) else dict(attrs)
    body.pop("message", None)
    calls = body.get("tool_calls")
    if isinstance(calls, str):
        body["tool_calls"] = parse_json_text(calls)
    if attrs.get("finish_reason") is not None:
        body["finish_reason"] = attrs["finish_reason"]
    body.pop("index", None)
    return normalise_message(body, role)


def _index(attrs: dict[str, Any]) -> int:
    value = attrs.get("index")
    return value if type(value) is int else 0


def messages_from_events(
    events: list[dict[str, Any]],
) -> tuple[list[Message] | None, list[Message] | None]:
    """Input and output messages carried by GenAI events (any generation), or None for each.

    Args:
        events: only the span's events whose name is in ``CONSUMED_EVENTS``.
    """
    inputs: list[Message] = []
    choices: list[tuple[int, Message]] = []
    details_in: list[Message] | None = None
    details_out: list[Message] | None = None
    for event in events:
        name = event.get("name")
        attrs = event.get("attributes") or {}
        role = MESSAGE_EVENT_ROLES.get(str(name))
        if role is not None:
            msg = _event_message(attrs, role)
            if msg is not None:
                inputs.append(msg)
        elif name == CHOICE_EVENT:
            msg = _event_message(attrs, "assistant")
            if msg is not None:
                choices.append((_index(attrs), msg))
        elif name == DETAILS_EVENT:
            details_in = input_messages(attrs.get(SYSTEM_INSTRUCTIONS), attrs.get(INPUT_MESSAGES))
            details_out = output_messages(attrs.get(OUTPUT_MESSAGES))
        elif name == CONTENT_PROMPT_EVENT:
            inputs.extend(normalise_messages(attrs.get(PROMPT), "user") or ())
        elif name == CONTENT_COMPLETION_EVENT:
            completions = normalise_messages(attrs.get(COMPLETION), "assistant") or []
            choices.extend((0, m) for m in completions)
    choices.sort(key=lambda pair: pair[0])
    return (
        details_in or inputs or None,
        details_out or [m for _, m in choices] or None,
    )
