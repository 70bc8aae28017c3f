"""A scripted stand-in for an LLM, so the demo needs no model and no network.

The example agents decide their next step with plain deterministic code (the
part a real model would do) and then ask :class:`ScriptedModel` for the turn a
real model would have produced: the messages it was shown, the text it said,
and token counts in proportion to the text. The traces therefore look like an
LLM agent's, while every run of a case is identical.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Rough characters per token of English text; good enough for plausible counts.
CHARS_PER_TOKEN = 4
#: Tokens a chat format spends framing each message (role markers and separators).
TOKENS_PER_MESSAGE = 4


@dataclass(frozen=True)
class Message:
    """One chat message as a model sees it."""

    role: str
    content: str


@dataclass(frozen=True)
class ModelTurn:
    """One model call: what went in, what came out, and what it cost in tokens."""

    step: str
    model: str
    messages: tuple[Message, ...]
    output: str
    invocation: Mapping[str, Any] = field(default_factory=dict)

    @property
    def prompt_tokens(self) -> int:
        return sum(count_tokens(m.content) + TOKENS_PER_MESSAGE for m in self.messages)

    @property
    def completion_tokens(self) -> int:
        return count_tokens(self.output)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def count_tokens(text: str) -> int:
    """Tokens a text would take, derived from its length."""
    return max(1, math.ceil(len(text) / CHARS_PER_TOKEN)) if text else 0


class ScriptedModel:
    """A "model" that says what it is told to, with a fixed system prompt and settings.

    Args:
        model: the model name the traces show (``llm.model_name``).
        system_prompt: the system message every turn starts with.
        temperature: shown in the invocation parameters, as a real call would be.
    """

    def __init__(self, model: str, system_prompt: str, *, temperature: float = 0.2) -> None:
        self.model = model
        self.system_prompt = system_prompt
        self.temperature = temperature

    def turn(
        self,
        step: str,
        conversation: Sequence[Message],
        reply: str,
        *,
        observations: Mapping[str, Any] | None = None,
    ) -> ModelTurn:
        """The turn in which the model, shown ``conversation``, answers ``reply``.

        Args:
            step: what this call is for (``plan``, ``compose_reply``…), the span's name.
            conversation: user and assistant messages so far.
            reply: the text the scripted logic decided the model says.
            observations: tool results fed back to the model, shown as a tool message.
        """
        messages = [Message("system", self.system_prompt), *conversation]
        if observations:
            messages.append(Message("tool", json.dumps(observations, sort_keys=True, default=str)))
        return ModelTurn(
            step=step,
            model=self.model,
            messages=tuple(messages),
            output=reply,
            invocation={"temperature": self.temperature, "max_tokens": 512},
        )
