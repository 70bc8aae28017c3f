"""OpenInference: flattened message keys rebuilt into message lists.

OpenInference spreads each message over keys such as
``llm.input_messages.0.message.role`` and
``llm.output_messages.0.message.tool_calls.0.tool_call.function.name``.
The mapper collects those keys in its single pass over the attributes and
hands them here, prefix already stripped, to rebuild the lists.
"""

from __future__ import annotations

from typing import Any

from ratchet.capture.conventions.messages import Message, group_indexed, message, tool_call
from ratchet.capture.conventions.values import json_safe

INPUT_VALUE = "input.value"
INPUT_MIME = "input.mime_type"
OUTPUT_VALUE = "output.value"
OUTPUT_MIME = "output.mime_type"
INPUT_MESSAGES_PREFIX = "llm.input_messages."
OUTPUT_MESSAGES_PREFIX = "llm.output_messages."
TOOL_NAME = "tool.name"
MODEL_NAME = "llm.model_name"
TOKENS_PROMPT = "llm.token_count.prompt"
TOKENS_COMPLETION = "llm.token_count.completion"
TOKENS_TOTAL = "llm.token_count.total"
COST_TOTAL = "llm.cost.total"
SESSION_ID = "session.id"
USER_ID = "user.id"

_ROLE = "message.role"
_CONTENT = "message.content"
_CONTENTS = "message.contents."
_IMAGE_URL = "message_content.image.image.url"
_TOOL_CALLS = "message.tool_calls."


def _contents(entry: dict[str, Any]) -> tuple[list[str], list[Any]]:
    """Text and other parts of a multimodal ``message.contents.M.message_content.*`` list."""
    pairs = [(k[len(_CONTENTS) :], v) for k, v in entry.items() if k.startswith(_CONTENTS)]
    texts: list[str] = []
    others: list[Any] = []
    for part in group_indexed(pairs):
        kind = part.get("message_content.type", "text")
        text = part.get("message_content.text")
        if kind == "text" and isinstance(text, str):
            texts.append(text)
            continue
        url = part.get(_IMAGE_URL)
        if kind == "image" and isinstance(url, str):
            # The same shape as a GenAI ``uri`` part, so readers handle one form.
            others.append({"type": "uri", "modality": "image", "uri": url})
            continue
        other: dict[str, Any] = {"type": str(kind)}
        for key, value in part.items():
            short = key.removeprefix("message_content.")
            if short != "type":
                other[short] = json_safe(value)
        others.append(other)
    return texts, others


def _tool_calls(entry: dict[str, Any]) -> list[dict[str, Any]]:
    pairs = [(k[len(_TOOL_CALLS) :], v) for k, v in entry.items() if k.startswith(_TOOL_CALLS)]
    return [
        tool_call(
            call.get("tool_call.function.name"),
            call.get("tool_call.function.arguments"),
            call.get("tool_call.id"),
        )
        for call in group_indexed(pairs)
    ]


def messages_from_flat(groups: dict[int, dict[str, Any]], default_role: str) -> list[Message]:
    """Rebuild ``llm.*_messages`` from keys grouped by message index.

    Args:
        groups: per message index, the keys after ``llm.input_messages.N.``
            (``message.role``, ``message.content``, …) with their values.
        default_role: the role of a message that does not say its own.
    """
    out: list[Message] = []
    for index in sorted(groups):
        entry = groups[index]
        role = entry.get(_ROLE, default_role)
        content = entry.get(_CONTENT)
        simple = len(entry) - (_ROLE in entry) - (_CONTENT in entry) == 0
        if simple and (content is None or type(content) is str):
            # The common case (role and text only) skips the general assembly.
            out.append({"role": str(role), "content": content or ""})
            continue
        out.append(_full_message(entry, role, content))
    return out


def _full_message(entry: dict[str, Any], role: Any, content: Any) -> Message:
    texts: list[str] = []
    others: list[Any] = []
    if content is not None:
        texts.append(content if isinstance(content, str) else str(content))
    has_contents = has_calls = False
    for key in entry:
        if key.startswith(_CONTENTS):
            has_contents = True
        elif key.startswith(_TOOL_CALLS):
            has_calls = True
    if has_contents:
        more_texts, others = _contents(entry)
        texts.extend(more_texts)
    calls = _tool_calls(entry) if has_calls else []
    legacy_name = entry.get("message.function_call_name")
    if legacy_name is not None:
        calls.append(tool_call(legacy_name, entry.get("message.function_call_arguments_json")))
    extra = {
        "tool_call_id": entry.get("message.tool_call_id"),
        "name": entry.get("message.name"),
    }
    return message(role, texts, others, calls, extra)
