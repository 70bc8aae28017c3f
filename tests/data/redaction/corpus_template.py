"""The template shape shared by the positive and negative case lists.

A template is one realistic attribute value with numbered slots (``⟪0⟫``,
``⟪1⟫`` …) that the generator fills with fresh fake values; the brackets are
characters no real value contains, so filling never collides with the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class T:
    """One case template.

    Attributes:
        placement: ``message``, ``tool_args``, ``json_string`` or ``attribute``.
        key: the span attribute key the value sits under.
        body: a string (message, attribute), a dict (tool_args) or any JSON-able
            object (json_string, serialised after the slots are filled).
        slots: maker names for ``⟪0⟫``, ``⟪1⟫`` …; missing ones use the entity's default.
        keep: literal substrings of the body that must survive redaction.
        ascii: for json_string, serialise with ``ensure_ascii`` (what most SDKs do).
        reps: how many cases to draw from the template (negatives with slots).
    """

    placement: str
    key: str
    body: Any
    slots: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    ascii: bool = True
    reps: int = 1


def msg(key: str, body: str, *keep: str, slots: tuple[str, ...] = (), reps: int = 1) -> T:
    return T("message", key, body, slots, keep, reps=reps)


def args(
    key: str, body: dict[str, Any], *keep: str, slots: tuple[str, ...] = (), reps: int = 1
) -> T:
    return T("tool_args", key, body, slots, keep, reps=reps)


def js(
    key: str, body: Any, *keep: str, slots: tuple[str, ...] = (), ascii: bool = True, reps: int = 1
) -> T:
    return T("json_string", key, body, slots, keep, ascii, reps)


def attr(key: str, body: str, *keep: str, slots: tuple[str, ...] = (), reps: int = 1) -> T:
    return T("attribute", key, body, slots, keep, reps=reps)


def chat(user_text: str, system: str = "You are a helpful support agent for Northwind.") -> Any:
    """An OpenInference-style ``input.value`` body for a chat completion request."""
    return {
        "model": "gpt-4o-mini",
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": user_text}],
        "temperature": 0.2,
    }


def oi_messages(*pairs: tuple[str, str]) -> Any:
    """A serialised ``llm.input_messages`` list of (role, content) pairs."""
    return [{"message.role": role, "message.content": content} for role, content in pairs]


def genai_messages(*pairs: tuple[str, str]) -> Any:
    """A ``gen_ai.input.messages`` / ``gen_ai.output.messages`` list of (role, text) pairs."""
    return [{"role": role, "parts": [{"type": "text", "content": text}]} for role, text in pairs]
