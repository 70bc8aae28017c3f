"""Loader for the redaction evaluation corpus (``tests/data/redaction/corpus.jsonl``).

The corpus is frozen data written against the spec in
``tests/data/redaction/README.md``; the accuracy test measures the redaction
engine on it: ``from tests.capture.redaction_corpus import load_corpus``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS_PATH = Path(__file__).resolve().parent.parent / "data" / "redaction" / "corpus.jsonl"

ENTITIES = ("email", "phone", "card", "iban", "ip", "ssn", "jwt", "secret_key")
PLACEMENTS = ("message", "tool_args", "json_string", "attribute")
KINDS = ("positive", "negative")


@dataclass(frozen=True)
class CorpusCase:
    """One corpus case: an attribute value, what must go and what must stay.

    Attributes:
        id: unique, ``pos-<entity>-NNN`` or ``neg-<entity>-NNN``.
        kind: ``positive`` (holds sensitive values) or ``negative`` (look-alikes only).
        entity: the entity the case is about; for a negative, the one it imitates.
        placement: ``message``, ``tool_args``, ``json_string`` or ``attribute``.
        key: the span attribute key the value sits under.
        value: a string, or for ``tool_args`` a dict whose string leaves hold the text.
        sensitive: exact substrings that must not survive redaction (empty for negatives).
        keep: exact substrings that must survive unchanged.
    """

    id: str
    kind: str
    entity: str
    placement: str
    key: str
    value: str | dict[str, Any]
    sensitive: tuple[str, ...]
    keep: tuple[str, ...]

    @property
    def is_positive(self) -> bool:
        return self.kind == "positive"


def text_leaves(value: Any) -> list[str]:
    """Every string in a value: the value itself, or the string leaves of dicts and lists.

    Dict keys are not leaves: argument names are never sensitive.
    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in text_leaves(item)]
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in text_leaves(item)]
    return []


def occurs(value: Any, needle: str) -> bool:
    """Whether ``needle`` is a substring of one of the value's string leaves."""
    return any(needle in leaf for leaf in text_leaves(value))


def _case(raw: dict[str, Any], where: str) -> CorpusCase:
    fields = ("id", "kind", "entity", "placement", "key", "value", "sensitive", "keep")
    missing = [f for f in fields if f not in raw]
    if missing:
        raise ValueError(f"{where}: missing field(s) {', '.join(missing)}")
    for name, allowed in (("kind", KINDS), ("entity", ENTITIES), ("placement", PLACEMENTS)):
        if raw[name] not in allowed:
            raise ValueError(f"{where}: {name} {raw[name]!r} is not one of {', '.join(allowed)}")
    value = raw["value"]
    expected = dict if raw["placement"] == "tool_args" else str
    if not isinstance(value, expected):
        raise ValueError(f"{where}: a {raw['placement']} value must be a {expected.__name__}")
    return CorpusCase(
        id=str(raw["id"]),
        kind=raw["kind"],
        entity=raw["entity"],
        placement=raw["placement"],
        key=str(raw["key"]),
        value=value,
        sensitive=tuple(str(s) for s in raw["sensitive"]),
        keep=tuple(str(s) for s in raw["keep"]),
    )


def load_corpus(path: Path = CORPUS_PATH) -> list[CorpusCase]:
    """Read every case of the corpus, in file order.

    Each call parses the file afresh, so a caller that mutates a ``tool_args``
    dict cannot affect another test.

    Raises:
        ValueError: a line is not valid JSON or not a well-formed case; the
            message names the file and line.
    """
    cases: list[CorpusCase] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: not valid JSON ({exc.msg})") from exc
            if not isinstance(raw, dict):
                raise ValueError(f"{where}: a case must be a JSON object")
            cases.append(_case(raw, where))
    return cases
