"""The single pass over a span's attributes: what each key is, and where it goes.

Each key is one of: an ordinary attribute (kept), a payload whose content
moves into input/output (dropped), a tool payload (dropped on tool spans
only), a flattened message key (grouped by message index for rebuilding),
or a tracked ``ratchet.version.*`` entry (lifted into the versions).

Classifying a key costs a few string operations, and the same keys recur in
every span an instrumentation emits, so each key's class is memoised: the
pass then costs one dict lookup per key. The memo is bounded, so spans with
unbounded key sets cannot grow it without limit.
"""

from __future__ import annotations

from typing import Any

from ratchet.capture.conventions import genai, openinference, openllmetry, ratchet_attrs
from ratchet.capture.conventions.values import json_safe

KEEP = 0
DROP = 1
TOOL_DROP = 2
FLAT = 3
VERSION = 4

#: Flattened message key families, in bucket order: see ``Buckets``.
FLAT_PREFIXES = (
    openinference.INPUT_MESSAGES_PREFIX,
    openinference.OUTPUT_MESSAGES_PREFIX,
    genai.PROMPT_PREFIX,
    genai.COMPLETION_PREFIX,
    openllmetry.PROMPTS_PREFIX,
    openllmetry.COMPLETIONS_PREFIX,
)
OI_INPUT, OI_OUTPUT, GENAI_PROMPT, GENAI_COMPLETION, LLM_PROMPTS, LLM_COMPLETIONS = range(6)

#: Payload keys whose content moves into input/output (or is superseded by a
#: higher-precedence payload saying the same): never kept as attributes too.
PAYLOAD_KEYS = frozenset(
    {
        openinference.INPUT_VALUE,
        openinference.INPUT_MIME,
        openinference.OUTPUT_VALUE,
        openinference.OUTPUT_MIME,
        genai.INPUT_MESSAGES,
        genai.OUTPUT_MESSAGES,
        genai.SYSTEM_INSTRUCTIONS,
        genai.PROMPT,
        genai.COMPLETION,
        openllmetry.ENTITY_INPUT,
        openllmetry.ENTITY_OUTPUT,
        ratchet_attrs.INPUT,
        ratchet_attrs.OUTPUT,
    }
)
#: Keys that only tool spans move into their tool call.
TOOL_PAYLOAD_KEYS = frozenset(
    {
        ratchet_attrs.TOOL_ARGUMENTS,
        ratchet_attrs.TOOL_RESULT,
        genai.TOOL_CALL_ARGUMENTS,
        genai.TOOL_CALL_RESULT,
    }
)

#: Messages of one flattened family, by message index, as ``{rest_of_key: value}``.
Groups = dict[int, dict[str, Any]]
#: One ``Groups`` (or None when absent) per flattened family, in FLAT_PREFIXES order.
Buckets = list[Groups | None]

_Class = tuple[int, Any, Any, Any]
_MEMO: dict[str, _Class] = {}
_MEMO_LIMIT = 50_000
_KEPT: _Class = (KEEP, None, None, None)
_PLAIN = frozenset({str, int, float, bool, type(None)})
_FIRST = ("llm.", "gen_ai.prompt.", "gen_ai.completion.")


def _classify(key: str) -> _Class:
    if key in PAYLOAD_KEYS:
        return (DROP, None, None, None)
    if key in TOOL_PAYLOAD_KEYS:
        return (TOOL_DROP, None, None, None)
    if key.startswith(_FIRST):
        for bucket, prefix in enumerate(FLAT_PREFIXES):
            if key.startswith(prefix):
                index, _, rest = key[len(prefix) :].partition(".")
                try:
                    position = int(index)
                except ValueError:
                    return _KEPT
                return (FLAT, bucket, position, rest) if rest else _KEPT
        return _KEPT
    if key.startswith(ratchet_attrs.VERSION_PREFIX):
        entry = ratchet_attrs.version_entry(key, "")
        if entry is not None:
            return (VERSION, entry[0], entry[1], None)
    return _KEPT


def sort_attributes(
    attrs: dict[str, Any], is_tool: bool
) -> tuple[dict[str, Any], Buckets, dict[str, dict[str, str]]]:
    """Split attributes into kept ones, grouped message keys and span-level versions.

    Returns:
        ``(kept, buckets, versions)``: kept attributes (JSON-safe), the
        flattened message families by index, and the tracked versions.
    """
    kept: dict[str, Any] = {}
    buckets: Buckets = [None, None, None, None, None, None]
    versions: dict[str, dict[str, str]] = {}
    memo = _MEMO
    recall = memo.get
    keep = _KEPT
    plain = _PLAIN
    for key, value in attrs.items():
        cls = recall(key)
        if cls is None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            cls = memo[key] = _classify(key)
        if cls is keep:
            kept[key] = value if type(value) in plain else json_safe(value)
            continue
        code = cls[0]
        if code == FLAT:
            groups = buckets[cls[1]]
            if groups is None:
                groups = buckets[cls[1]] = {}
            entry = groups.get(cls[2])
            if entry is None:
                entry = groups[cls[2]] = {}
            entry[cls[3]] = value
        elif code == TOOL_DROP and not is_tool:
            kept[key] = value if type(value) in plain else json_safe(value)
        elif code == VERSION and value is not None:
            versions.setdefault(cls[1], {})[cls[2]] = value if type(value) is str else str(value)
    return kept, buckets, versions
