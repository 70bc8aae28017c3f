"""One shape for chat messages, whatever convention carried them.

Every convention ends up storing a model call's messages as a list of
``{"role": str, "content": str | list, ...}``, with ``tool_calls`` (each
``{"name", "arguments", "id"?}``, arguments parsed from JSON when they are
JSON), ``tool_call_id``, ``finish_reason`` and ``reasoning`` present only when
the sender said them. Content is one string when the message is only text,
so checks can search it directly; it stays a list of parts when the message
also carries images, files or other non-text parts.
"""

from __future__ import annotations

from typing import Any

import orjson

from ratchet.capture.conventions.values import json_safe, parse_json_text

Message = dict[str, Any]

_TEXT_PART_TYPES = frozenset({"text", "input_text", "output_text"})


def tool_call(name: Any, arguments: Any, call_id: Any = None) -> dict[str, Any]:
    """A tool call in the common shape, arguments parsed when they are JSON text."""
    call: dict[str, Any] = {"name": "" if name is None else str(name)}
    call["arguments"] = (
        parse_json_text(arguments) if isinstance(arguments, str) else json_safe(arguments)
    )
    if call_id is not None and call_id != "":
        call["id"] = str(call_id)
    return call


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return orjson.dumps(json_safe(value)).decode()


def _openai_tool_call(raw: Any) -> dict[str, Any] | None:
    """A tool call given as ``{"id", "function": {"name", "arguments"}}`` or flat."""
    if not isinstance(raw, dict):
        return None
    function = raw.get("function")
    if isinstance(function, dict):
        return tool_call(function.get("name"), function.get("arguments"), raw.get("id"))
    return tool_call(raw.get("name"), raw.get("arguments"), raw.get("id"))


def message(
    role: Any,
    texts: list[str],
    others: list[Any],
    tool_calls: list[dict[str, Any]],
    extra: dict[str, Any] | None = None,
) -> Message:
    """Assemble a message from its text pieces, non-text parts and tool calls."""
    content: str | list[Any]
    if others:
        content = [{"type": "text", "content": t} for t in texts] + others
    else:
        content = "\n".join(texts)
    out: Message = {"role": "unknown" if role is None else str(role), "content": content}
    if tool_calls:
        out["tool_calls"] = tool_calls
    if extra:
        for key, value in extra.items():
            if value is not None and value != "":
                out[key] = value
    return out


def _split_parts(parts: list[Any]) -> tuple[list[str], list[Any], list[dict[str, Any]], Message]:
    """Sort content parts into text, other parts, tool calls and message-level extras."""
    texts: list[str] = []
    others: list[Any] = []
    calls: list[dict[str, Any]] = []
    extra: Message = {}
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
            continue
        if not isinstance(part, dict):
            continue
        kind = part.get("type")
        if kind in _TEXT_PART_TYPES:
            text = part.get("content", part.get("text"))
            texts.append(text if isinstance(text, str) else _as_text(text))
        elif kind == "tool_call":
            calls.append(tool_call(part.get("name"), part.get("arguments"), part.get("id")))
        elif kind == "tool_call_response":
            texts.append(_as_text(part.get("response", part.get("result"))))
            if part.get("id") is not None:
                extra["tool_call_id"] = str(part["id"])
        elif kind == "reasoning":
            extra["reasoning"] = _as_text(part.get("content"))
        else:
            others.append(json_safe(part))
    return texts, others, calls, extra


def _parts_content(content: Any) -> Any:
    """Content given as a JSON text of a part list (some SDKs serialise it so) as parts."""
    if isinstance(content, str) and content.startswith("[{"):
        parsed = parse_json_text(content)
        if isinstance(parsed, list) and all(isinstance(p, dict) and "type" in p for p in parsed):
            return parsed
    return content


def normalise_message(raw: Any, default_role: str | None = None) -> Message | None:
    """One message in the common shape, from any of the structured forms conventions use.

    Accepts the GenAI form (``role`` + ``parts``), the chat-completions form
    (``role`` + ``content`` string or part list + ``tool_calls``), and bare
    strings (taken as a message of ``default_role``).
    """
    if isinstance(raw, str):
        return message(default_role, [raw], [], [])
    if not isinstance(raw, dict):
        return None
    role = raw.get("role") or default_role
    extra: Message = {}
    if "parts" in raw and isinstance(raw["parts"], list):
        texts, others, calls, extra = _split_parts(raw["parts"])
    else:
        content = _parts_content(raw.get("content"))
        if isinstance(content, list):
            texts, others, calls, extra = _split_parts(content)
        else:
            texts, others, calls = ([] if content is None else [_as_text(content)]), [], []
        for item in raw.get("tool_calls") or ():
            call = _openai_tool_call(item)
            if call is not None:
                calls.append(call)
    call_id = raw.get("tool_call_id", raw.get("id") if role == "tool" else None)
    if call_id is not None:
        extra["tool_call_id"] = str(call_id)
    for key in ("finish_reason", "name"):
        if raw.get(key) is not None:
            extra[key] = json_safe(raw[key])
    return message(role, texts, others, calls, extra)


def normalise_messages(value: Any, default_role: str | None = None) -> list[Message] | None:
    """A message list (structured, or as JSON text) in the common shape; None if it is not one.

    Plain text that is not JSON is one message of ``default_role``: older
    instrumentations send a bare prompt string, and dropping it would lose it.
    """
    if isinstance(value, str):
        value = parse_json_text(value)
        if isinstance(value, str):
            return [message(default_role, [value], [], [])] if value else None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list | tuple):
        return None
    out = []
    for item in value:
        msg = normalise_message(item, default_role)
        if msg is not None:
            out.append(msg)
    return out


def group_indexed(items: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Group ``N.rest = value`` pairs by N (in index order) into ``{rest: value}`` dicts.

    Flattened conventions spread a list over keys such as
    ``llm.input_messages.0.message.role``; the caller strips the common
    prefix and this rebuilds the list. Keys without a numeric index are
    ignored: they are not part of the list.
    """
    groups: dict[int, dict[str, Any]] = {}
    for suffix, value in items:
        index, _, rest = suffix.partition(".")
        if not rest:
            continue
        try:
            position = int(index)
        except ValueError:
            continue
        group = groups.get(position)
        if group is None:
            group = groups[position] = {}
        group[rest] = value
    return [groups[i] for i in sorted(groups)]


def flat_tool_calls(entry: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    """Tool calls spread over ``<prefix>M.name`` / ``.arguments`` / ``.id`` keys of one entry."""
    pairs = [(k[len(prefix) :], v) for k, v in entry.items() if k.startswith(prefix)]
    calls = []
    for call in group_indexed(pairs):
        calls.append(
            tool_call(
                call.get("name", call.get("function.name")),
                call.get("arguments", call.get("function.arguments")),
                call.get("id"),
            )
        )
    return calls


def messages_from_flat_entries(entries: list[dict[str, Any]], default_role: str) -> list[Message]:
    """Messages from ``role`` / ``content`` / ``tool_calls.M.*`` entries (GenAI, OpenLLMetry).

    Used for the older GenAI ``gen_ai.prompt.N.*`` / ``gen_ai.completion.N.*``
    keys and OpenLLMetry's ``llm.prompts.N.*``; they share this layout.
    """
    out = []
    for entry in entries:
        content = _parts_content(entry.get("content"))
        if isinstance(content, list):
            texts, others, calls, extra = _split_parts(content)
        else:
            texts, others, calls, extra = (
                [] if content is None else [_as_text(content)],
                [],
                [],
                {},
            )
        calls.extend(flat_tool_calls(entry, "tool_calls."))
        extra["tool_call_id"] = entry.get("tool_call_id")
        extra["finish_reason"] = entry.get("finish_reason")
        out.append(message(entry.get("role", default_role), texts, others, calls, extra))
    return out
