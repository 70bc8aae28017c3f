"""A span's input, output and tool call, from whichever convention carried them.

The mapper's single pass over a span's attributes sorts the flattened
message keys and the GenAI message events into a ``Collected``; this module
decides, per payload, which source wins:

- input / output: ``ratchet.input`` / ``ratchet.output``; then, for model
  spans, the message lists (a chat is best read as messages); then
  OpenInference ``input.value`` / ``output.value``; then OpenLLMetry
  ``traceloop.entity.input`` / ``output``; then, for other spans, the
  message lists;
- tool arguments / result: ``ratchet.tool.*``, GenAI ``gen_ai.tool.call.*``,
  OpenInference ``input.value`` / ``output.value``, OpenLLMetry entity
  payloads.

Messages are only rebuilt when a rule needs them, since most spans of an
agent are not model calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ratchet.capture.conventions import genai, openinference, openllmetry, ratchet_attrs
from ratchet.capture.conventions.attribute_keys import (
    GENAI_COMPLETION,
    GENAI_PROMPT,
    LLM_COMPLETIONS,
    LLM_PROMPTS,
    OI_INPUT,
    OI_OUTPUT,
    Buckets,
)
from ratchet.capture.conventions.messages import Message, normalise_messages
from ratchet.capture.conventions.values import parse_json_text, parse_payload

_NOT_SET: Any = object()


class Collected:
    """Flattened message keys (grouped by index) and GenAI message events of one span."""

    __slots__ = ("buckets", "genai_events")

    def __init__(self, buckets: Buckets, genai_events: list[dict[str, Any]]) -> None:
        self.buckets = buckets
        self.genai_events = genai_events


@dataclass(slots=True)
class Payloads:
    """What the span carried, once the precedence rules have chosen."""

    input: Any = None
    output: Any = None
    tool_arguments: Any = None
    tool_result: Any = None


class _Resolver:
    """Resolves each payload once, parsing each source at most once."""

    __slots__ = ("_attrs", "_collected", "_event_messages", "_oi_input", "_oi_output")

    def __init__(self, attrs: dict[str, Any], collected: Collected) -> None:
        self._attrs = attrs
        self._collected = collected
        self._oi_input: Any = _NOT_SET
        self._oi_output: Any = _NOT_SET
        self._event_messages: tuple[list[Message] | None, list[Message] | None] | None = None

    def oi_input(self) -> Any:
        if self._oi_input is _NOT_SET:
            value = self._attrs.get(openinference.INPUT_VALUE)
            self._oi_input = (
                None
                if value is None
                else parse_payload(value, self._attrs.get(openinference.INPUT_MIME))
            )
        return self._oi_input

    def oi_output(self) -> Any:
        if self._oi_output is _NOT_SET:
            value = self._attrs.get(openinference.OUTPUT_VALUE)
            self._oi_output = (
                None
                if value is None
                else parse_payload(value, self._attrs.get(openinference.OUTPUT_MIME))
            )
        return self._oi_output

    def entity(self, key: str) -> Any:
        # Entity payloads are always JSON-encoded, even a plain string result.
        value = self._attrs.get(key)
        return None if value is None else parse_payload(value, "application/json")

    def _events(self) -> tuple[list[Message] | None, list[Message] | None]:
        if self._event_messages is None:
            events = self._collected.genai_events
            self._event_messages = genai.messages_from_events(events) if events else (None, None)
        return self._event_messages

    def input_messages(self) -> list[Message] | None:
        buckets = self._collected.buckets
        if (groups := buckets[OI_INPUT]) is not None:
            return openinference.messages_from_flat(groups, "user")
        attrs = self._attrs
        latest = genai.input_messages(
            attrs.get(genai.SYSTEM_INSTRUCTIONS), attrs.get(genai.INPUT_MESSAGES)
        )
        if latest:
            return latest
        from_events = self._events()[0]
        if from_events:
            return from_events
        if (groups := buckets[GENAI_PROMPT]) is not None:
            return genai.messages_from_flat(groups, "user")
        if attrs.get(genai.PROMPT) is not None:
            return normalise_messages(attrs[genai.PROMPT], "user") or None
        if (groups := buckets[LLM_PROMPTS]) is not None:
            return openllmetry.messages_from_flat(groups, "user")
        return None

    def output_messages(self) -> list[Message] | None:
        buckets = self._collected.buckets
        if (groups := buckets[OI_OUTPUT]) is not None:
            return openinference.messages_from_flat(groups, "assistant")
        attrs = self._attrs
        latest = genai.output_messages(attrs.get(genai.OUTPUT_MESSAGES))
        if latest:
            return latest
        from_events = self._events()[1]
        if from_events:
            return from_events
        if (groups := buckets[GENAI_COMPLETION]) is not None:
            return genai.messages_from_flat(groups, "assistant")
        if attrs.get(genai.COMPLETION) is not None:
            return normalise_messages(attrs[genai.COMPLETION], "assistant") or None
        if (groups := buckets[LLM_COMPLETIONS]) is not None:
            return openllmetry.messages_from_flat(groups, "assistant")
        return None


def _tool_payload(value: Any) -> Any:
    return parse_json_text(value) if isinstance(value, str) else parse_payload(value)


def resolve_payloads(attrs: dict[str, Any], collected: Collected, span_type: str) -> Payloads:
    """Choose the span's input, output and (for tool spans) tool call by precedence."""
    r = _Resolver(attrs, collected)
    is_model = span_type == "model"
    out = Payloads()

    raw_input = attrs.get(ratchet_attrs.INPUT)
    if raw_input is not None:
        out.input = ratchet_attrs.parse_payload(raw_input)
    else:
        if is_model:
            out.input = r.input_messages()
        if out.input is None:
            out.input = r.oi_input()
        if out.input is None:
            out.input = r.entity(openllmetry.ENTITY_INPUT)
        if out.input is None and not is_model:
            out.input = r.input_messages()

    raw_output = attrs.get(ratchet_attrs.OUTPUT)
    if raw_output is not None:
        out.output = ratchet_attrs.parse_payload(raw_output)
    else:
        if is_model:
            out.output = r.output_messages()
        if out.output is None:
            out.output = r.oi_output()
        if out.output is None:
            out.output = r.entity(openllmetry.ENTITY_OUTPUT)
        if out.output is None and not is_model:
            out.output = r.output_messages()

    if span_type == "tool":
        _resolve_tool(attrs, r, out)
    return out


def _resolve_tool(attrs: dict[str, Any], r: _Resolver, out: Payloads) -> None:
    """Tool arguments and result; a tool span without other input shows its arguments."""
    value = attrs.get(ratchet_attrs.TOOL_ARGUMENTS)
    if value is not None:
        out.tool_arguments = ratchet_attrs.parse_payload(value)
    elif (value := attrs.get(genai.TOOL_CALL_ARGUMENTS)) is not None:
        out.tool_arguments = _tool_payload(value)
    elif (value := r.oi_input()) is not None:
        out.tool_arguments = value
    else:
        out.tool_arguments = openllmetry.call_arguments(r.entity(openllmetry.ENTITY_INPUT))

    value = attrs.get(ratchet_attrs.TOOL_RESULT)
    if value is not None:
        out.tool_result = ratchet_attrs.parse_payload(value)
    elif (value := attrs.get(genai.TOOL_CALL_RESULT)) is not None:
        out.tool_result = _tool_payload(value)
    elif (value := r.oi_output()) is not None:
        out.tool_result = value
    else:
        out.tool_result = r.entity(openllmetry.ENTITY_OUTPUT)

    if out.input is None:
        out.input = out.tool_arguments
    if out.output is None:
        out.output = out.tool_result
