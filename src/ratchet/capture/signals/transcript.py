"""The conversation a stored trace shows: what the user said this turn, what came back.

Conversational detectors need the user's message, the assistant's final
answer and the turn before them, but a stored trace carries these in many
shapes depending on who sent it:

- the root span's input and output: a plain string, a mapping naming the
  message (``{"user_message": …, "thread": […]}``, ``{"question": …}``,
  ``{"input": …}``, ``{"messages": […]}``) or a message list, as the
  application's own instrumentation, OpenInference ``input.value`` /
  ``output.value`` or ``ratchet.input`` / ``ratchet.output`` left them;
- model spans' messages, which capture stores in one shape whatever the
  convention (OpenInference, GenAI, OpenLLMetry): a list of
  ``{"role", "content"}`` where content is a string or a list of parts;
- message spans, for the answer an application sent out.

The root wins because it states the turn as the application saw it; model
spans fill in when it says nothing (a bare LLM call, an agent root without
payloads). Everything here is tolerant: an unexpected shape gives None,
never an exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from ratchet.core.spans import Span, SpanType

#: Mapping keys that hold the user's message, most specific first.
USER_KEYS = (
    "user_message",
    "user_input",
    "question",
    "query",
    "message",
    "prompt",
    "input",
    "utterance",
    "request",
    "text",
    "content",
)
#: Mapping keys that hold the final answer, most specific first.
ANSWER_KEYS = (
    "answer",
    "final_output",
    "output",
    "response",
    "reply",
    "result",
    "message",
    "text",
    "content",
    "body",
)
#: Mapping keys that hold the earlier turns of the conversation.
HISTORY_KEYS = ("messages", "thread", "history", "conversation", "chat_history")

_TEXT_PART_TYPES = frozenset({"text", "input_text", "output_text"})
_ROLES = {
    "user": "user",
    "human": "user",
    "customer": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "model": "assistant",
    "bot": "assistant",
    "agent": "assistant",
}


@dataclass(frozen=True, slots=True)
class Transcript:
    """One turn of the conversation as a trace shows it.

    Attributes:
        user: what the user said in this turn.
        answer: the assistant's final answer to it.
        earlier_user: the user's previous message, when the trace carries the
            conversation so far (a thread, a message history).
        earlier_assistant: the assistant's last message before this turn.
    """

    user: str | None = None
    answer: str | None = None
    earlier_user: str | None = None
    earlier_assistant: str | None = None


def role_of(message: Any) -> str | None:
    """``user`` or ``assistant`` for a message mapping (aliases folded), else the role as is."""
    if not isinstance(message, dict):
        return None
    role = message.get("role")
    if not isinstance(role, str):
        return None
    lowered = role.lower()
    return _ROLES.get(lowered, lowered)


def _content_text(value: Any, depth: int) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        pieces: list[str] = []
        for part in value:
            if isinstance(part, str):
                pieces.append(part)
            elif isinstance(part, dict) and part.get("type", "text") in _TEXT_PART_TYPES:
                text = part.get("text", part.get("content"))
                if isinstance(text, str):
                    pieces.append(text)
        return "\n".join(pieces).strip() or None
    if isinstance(value, dict) and depth < 2:
        return message_text(value, depth + 1)
    return None


def message_text(message: Any, depth: int = 0) -> str | None:
    """The text of one message: a string, or a mapping's content, text or parts."""
    if isinstance(message, str):
        return message.strip() or None
    if not isinstance(message, dict):
        return None
    for key in ("content", "text", "parts", "message"):
        value = message.get(key)
        if value is not None:
            text = _content_text(value, depth)
            if text:
                return text
    return None


def _is_message_list(value: Any) -> TypeGuard[list[Any]]:
    return isinstance(value, list) and any(isinstance(m, dict) and "role" in m for m in value)


def _last_of(messages: Sequence[Any], role: str) -> tuple[int, str | None]:
    """Position and text of the last message of ``role`` that has text; (-1, None) if none."""
    for position in range(len(messages) - 1, -1, -1):
        message = messages[position]
        if role_of(message) == role:
            text = message_text(message)
            if text:
                return position, text
    return -1, None


def _from_messages(messages: Sequence[Any]) -> Transcript:
    """The turn a message list ends with: the last user message and what came before it."""
    position, user = _last_of(messages, "user")
    if position < 0:
        return Transcript()
    earlier = messages[:position]
    return Transcript(
        user=user,
        earlier_user=_last_of(earlier, "user")[1],
        earlier_assistant=_last_of(earlier, "assistant")[1],
    )


def _from_history(history: Any, user: str) -> Transcript:
    if not _is_message_list(history):
        return Transcript(user=user)
    return Transcript(
        user=user,
        earlier_user=_last_of(history, "user")[1],
        earlier_assistant=_last_of(history, "assistant")[1],
    )


def user_turn(payload: Any, depth: int = 0) -> Transcript:
    """The user's message (and the turns before it) in a span input of any shape."""
    if isinstance(payload, str):
        text = payload.strip()
        return Transcript(user=text) if text else Transcript()
    if isinstance(payload, list):
        if _is_message_list(payload):
            return _from_messages(payload)
        strings = [p for p in payload if isinstance(p, str) and p.strip()]
        return Transcript(user=strings[-1].strip()) if strings else Transcript()
    if not isinstance(payload, dict):
        return Transcript()
    if "role" in payload:
        if role_of(payload) != "user":
            return Transcript()
        return Transcript(user=message_text(payload))
    history = None
    for key in HISTORY_KEYS:
        history = payload.get(key)
        if history is not None:
            break
    for key in USER_KEYS:
        value = payload.get(key)
        if isinstance(value, str):
            if value.strip():
                return _from_history(history, value.strip())
        elif value is not None and depth < 2:
            found = user_turn(value, depth + 1)
            if found.user:
                return found
    if _is_message_list(history):
        return _from_messages(history)
    return Transcript()


def answer_text(payload: Any, depth: int = 0) -> str | None:
    """The assistant's answer in a span output of any shape."""
    if isinstance(payload, str):
        return payload.strip() or None
    if isinstance(payload, list):
        if _is_message_list(payload):
            return _last_of(payload, "assistant")[1]
        strings = [p for p in payload if isinstance(p, str) and p.strip()]
        return strings[-1].strip() if strings else None
    if not isinstance(payload, dict):
        return None
    if "role" in payload:
        return message_text(payload) if role_of(payload) == "assistant" else None
    for key in ANSWER_KEYS:
        value = payload.get(key)
        if isinstance(value, str):
            if value.strip():
                return value.strip()
        elif value is not None and depth < 2:
            found = answer_text(value, depth + 1)
            if found:
                return found
    choices = payload.get("choices")
    if isinstance(choices, list) and choices and depth < 2:
        return answer_text(choices[0], depth + 1)
    messages = payload.get("messages")
    if _is_message_list(messages):
        return _last_of(messages, "assistant")[1]
    return None


def read_transcript(root: Span | None, spans: Sequence[Span]) -> Transcript:
    """The turn a trace shows, from its root first and its model and message spans after.

    Args:
        root: the trace's root span, if it has one.
        spans: every span of the trace in start order.
    """
    turn = user_turn(root.input) if root is not None and root.input is not None else Transcript()
    answer = answer_text(root.output) if root is not None and root.output is not None else None
    needs_user = turn.user is None
    needs_history = turn.earlier_user is None and turn.earlier_assistant is None
    if needs_user or needs_history or answer is None:
        models = [s for s in spans if s.type is SpanType.MODEL and s is not root]
        if (needs_user or needs_history) and models:
            from_model = user_turn(models[0].input)
            if needs_user or from_model.user == turn.user:
                turn = from_model
        if answer is None:
            for span in reversed(models):
                answer = answer_text(span.output)
                if answer:
                    break
        if answer is None:
            for span in reversed(spans):
                if span.type is SpanType.MESSAGE and span.output is not None:
                    answer = answer_text(span.output)
                    if answer:
                        break
    if answer is None:
        return turn
    return Transcript(turn.user, answer, turn.earlier_user, turn.earlier_assistant)
