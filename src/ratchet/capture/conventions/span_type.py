"""Which kind of step a span is, from whichever convention labelled it.

The precedence is a stable contract (DESIGN.md §3): Ratchet's own attribute,
then OpenInference, then OTel GenAI, then OpenLLMetry, else ``other``. A rule
whose attribute holds a value it does not know falls through to the next
rule, so one odd label never hides a good one further down.
"""

from __future__ import annotations

from typing import Any

from ratchet.core.spans import SpanType

RATCHET_SPAN_TYPE = "ratchet.span.type"
OPENINFERENCE_SPAN_KIND = "openinference.span.kind"
GENAI_OPERATION_NAME = "gen_ai.operation.name"
TRACELOOP_SPAN_KIND = "traceloop.span.kind"
LLM_REQUEST_TYPE = "llm.request.type"

_RATCHET_TYPES: dict[str, str] = {t.value: t.value for t in SpanType}

_OPENINFERENCE_TYPES: dict[str, str] = {
    "llm": "model",
    "embedding": "model",
    "tool": "tool",
    "retriever": "retrieval",
    "reranker": "retrieval",
    "guardrail": "policy",
    "agent": "agent",
    "chain": "workflow",
}

_GENAI_TYPES: dict[str, str] = {
    "chat": "model",
    "text_completion": "model",
    "generate_content": "model",
    "embeddings": "model",
    "execute_tool": "tool",
    "retrieval": "retrieval",
    "invoke_agent": "agent",
    "create_agent": "agent",
    "invoke_workflow": "workflow",
}

_TRACELOOP_TYPES: dict[str, str] = {
    "tool": "tool",
    "agent": "agent",
    "workflow": "workflow",
    "task": "workflow",
}

# OpenLLMetry marks its model calls with ``llm.request.type`` only; without this
# last rule every such call would read as ``other``.
_LLM_REQUEST_TYPES: dict[str, str] = {
    "chat": "model",
    "completion": "model",
    "embedding": "model",
    "rerank": "retrieval",
}


def _label(value: Any) -> str | None:
    if type(value) is str:
        return value.lower()
    return None


def resolve_span_type(attrs: dict[str, Any]) -> str:
    """The Ratchet span type of a span with these attributes; first matching rule wins.

    OpenInference kinds outside its known set (``UNKNOWN``, future kinds) map
    to ``other`` rather than falling through: the span said what it is, and
    a guess from another convention would be less faithful.
    """
    label = _label(attrs.get(RATCHET_SPAN_TYPE))
    if label is not None:
        found = _RATCHET_TYPES.get(label)
        if found is not None:
            return found
    label = _label(attrs.get(OPENINFERENCE_SPAN_KIND))
    if label is not None:
        return _OPENINFERENCE_TYPES.get(label, "other")
    label = _label(attrs.get(GENAI_OPERATION_NAME))
    if label is not None:
        found = _GENAI_TYPES.get(label)
        if found is not None:
            return found
    label = _label(attrs.get(TRACELOOP_SPAN_KIND))
    if label is not None:
        found = _TRACELOOP_TYPES.get(label)
        if found is not None:
            return found
    label = _label(attrs.get(LLM_REQUEST_TYPE))
    if label is not None:
        return _LLM_REQUEST_TYPES.get(label, "other")
    return "other"
