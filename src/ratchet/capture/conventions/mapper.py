"""``map_span``: one span as sent (any convention) → one row in Ratchet's vocabulary.

It runs for every ingested span, so it is written for speed: one pass over
the attributes sorts each key (payload to drop, flattened message key to
collect, version to lift, or attribute to keep), dict lookups choose among
conventions, and messages are rebuilt only when a rule needs them. It is a
pure function: no I/O, and the RawSpan (whose resource is shared with other
spans) is never mutated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ratchet.capture.conventions import genai, openinference, openllmetry, ratchet_attrs
from ratchet.capture.conventions.attribute_keys import sort_attributes
from ratchet.capture.conventions.payloads import Collected, resolve_payloads
from ratchet.capture.conventions.span_type import resolve_span_type
from ratchet.capture.conventions.values import as_float, as_int, as_text, json_safe
from ratchet.capture.rawspan import RawSpan
from ratchet.store.records import SpanRecord

_TOOL_NAME_KEYS = (
    ratchet_attrs.TOOL_NAME,
    openinference.TOOL_NAME,
    genai.TOOL_NAME,
    openllmetry.ENTITY_NAME,
    ratchet_attrs.SPAN_NAME,
)
_MODEL_KEYS = (openinference.MODEL_NAME, genai.RESPONSE_MODEL, genai.REQUEST_MODEL)
_INPUT_TOKEN_KEYS = (openinference.TOKENS_PROMPT, genai.INPUT_TOKENS, genai.PROMPT_TOKENS)
_OUTPUT_TOKEN_KEYS = (
    openinference.TOKENS_COMPLETION,
    genai.OUTPUT_TOKENS,
    genai.COMPLETION_TOKENS,
)
_TOTAL_TOKEN_KEYS = (openinference.TOKENS_TOTAL, openllmetry.TOTAL_TOKENS, genai.TOTAL_TOKENS)
_COST_KEYS = (ratchet_attrs.COST, openinference.COST_TOTAL)
_SESSION_KEYS = (openinference.SESSION_ID, genai.CONVERSATION_ID, openllmetry.SESSION_ID)
_USER_KEYS = (openinference.USER_ID, "enduser.id")

#: OTLP span kinds (the protocol's numbering, not the Python SDK's enum).
_SPAN_KINDS = ("unspecified", "internal", "server", "client", "producer", "consumer")


def _first(get: Callable[[str], Any], keys: tuple[str, ...]) -> Any:
    """The value of the first of ``keys`` present (``get`` is the attributes' bound get)."""
    for key in keys:
        value = get(key)
        if value is not None:
            return value
    return None


def _sort_events(
    events: list[dict[str, Any]], genai_events: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Kept events in the stored shape; GenAI message events go to ``genai_events``."""
    kept = []
    for event in events:
        name = event.get("name")
        if name in genai.CONSUMED_EVENTS:
            genai_events.append(event)
            continue
        time_ns = event.get("time_ns")
        if time_ns is None:
            time_ns = event.get("time_unix_nano")
        kept.append(
            {
                "name": "" if name is None else str(name),
                "time_ns": time_ns,
                "attributes": json_safe(event.get("attributes") or {}),
            }
        )
    return kept


class _ResourceInfo:
    """What a resource says about the trace, computed once per resource."""

    __slots__ = ("resource", "service", "service_version", "surface", "versions")

    def __init__(self, resource: dict[str, Any]) -> None:
        self.resource = resource
        self.service = as_text(resource.get("service.name"))
        self.service_version = as_text(resource.get("service.version"))
        self.surface = as_text(resource.get(ratchet_attrs.SURFACE))
        self.versions: dict[str, dict[str, str]] = {}
        ratchet_attrs.add_versions(self.versions, resource)


# The spans of one request share one resource dict (RawSpan's contract), so
# the last one's reading is kept; identity, not equality, decides a hit, and
# holding the dict keeps its id from being reused by another.
_last_resource: _ResourceInfo = _ResourceInfo({})


def _resource_info(resource: dict[str, Any]) -> _ResourceInfo:
    global _last_resource
    info = _last_resource
    if info.resource is not resource:
        info = _last_resource = _ResourceInfo(resource)
    return info


def _versions(
    from_resource: dict[str, dict[str, str]], from_span: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    """Resource versions overlaid with the span's own (the more specific statement wins)."""
    if not from_resource:
        return from_span
    # Shallow: the inner mappings are shared between records of one resource
    # and are never changed after mapping (a span's own entries get new ones).
    versions = dict(from_resource)
    for kind, entries in from_span.items():
        versions[kind] = {**versions.get(kind, {}), **entries}
    return versions


def map_span(raw: RawSpan) -> SpanRecord:
    """Map one decoded OTLP span into a ``SpanRecord`` in Ratchet's vocabulary.

    Type, name, status, payloads, model, tokens, cost, tool call and the
    trace-level hints (session, user, service, surface, versions, stop
    reason, final status) are read from Ratchet's own ``ratchet.*``
    attributes, OpenInference, OTel GenAI (all generations) and OpenLLMetry,
    in the precedence DESIGN.md §3 sets. Attributes are kept minus the
    payloads that moved into input/output/tool, so nothing is stored twice.

    Args:
        raw: the span as decoded; not modified.

    Returns:
        The record the store ingests (not yet redacted).
    """
    attrs = raw.attributes
    resource = raw.resource
    span_type = resolve_span_type(attrs)
    is_tool = span_type == "tool"

    kept, buckets, span_versions = sort_attributes(attrs, is_tool)
    genai_events: list[dict[str, Any]] = []
    events = _sort_events(raw.events, genai_events) if raw.events else []
    payloads = resolve_payloads(attrs, Collected(buckets, genai_events), span_type)

    get = attrs.get
    otel_name = raw.name
    if is_tool:
        name = as_text(_first(get, _TOOL_NAME_KEYS)) or otel_name
    else:
        name = as_text(attrs.get(ratchet_attrs.SPAN_NAME)) or otel_name
    kept["otel.span_name"] = otel_name
    kind = raw.kind
    kept["otel.span_kind"] = _SPAN_KINDS[kind] if 0 <= kind < len(_SPAN_KINDS) else str(kind)
    if raw.scope:
        kept["otel.scope"] = raw.scope

    status, status_message = ratchet_attrs.resolve_status(
        attrs, raw.status_code, raw.status_message, raw.events
    )

    input_tokens = as_int(_first(get, _INPUT_TOKEN_KEYS))
    output_tokens = as_int(_first(get, _OUTPUT_TOKEN_KEYS))
    total_tokens = as_int(_first(get, _TOTAL_TOKEN_KEYS))
    if total_tokens is None and (input_tokens is not None or output_tokens is not None):
        total_tokens = (input_tokens or 0) + (output_tokens or 0)

    info = _resource_info(resource)
    service_version = info.service_version or as_text(attrs.get("service.version"))
    surface = as_text(attrs.get(ratchet_attrs.SURFACE)) or info.surface

    start_ns = raw.start_ns
    return SpanRecord(
        trace_id=raw.trace_id,
        span_id=raw.span_id,
        parent_span_id=raw.parent_span_id or None,
        name=name,
        start_ns=start_ns,
        end_ns=raw.end_ns if raw.end_ns >= start_ns else start_ns,
        type=span_type,
        status=status,
        status_message=status_message,
        input=payloads.input,
        output=payloads.output,
        attributes=kept,
        events=events,
        model=as_text(_first(get, _MODEL_KEYS)),
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        total_tokens=total_tokens,
        cost=as_float(_first(get, _COST_KEYS)),
        tool_arguments=payloads.tool_arguments,
        tool_result=payloads.tool_result,
        session_id=as_text(_first(get, _SESSION_KEYS)),
        user_id=as_text(_first(get, _USER_KEYS)),
        service=info.service,
        surface=surface,
        versions=_versions(info.versions, span_versions),
        service_version=service_version,
        stop_reason=as_text(attrs.get(ratchet_attrs.STOP_REASON)),
        final_status=as_text(attrs.get(ratchet_attrs.FINAL_STATUS)),
    )
