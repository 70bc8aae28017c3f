"""The Redactor: the one object the ingest pipeline and the store call.

It owns a project's secret, its config and the caches; each call runs a
:class:`~ratchet.capture.redaction.walker.Walk`, batched in two passes (see
:mod:`~ratchet.capture.redaction.text_results`) so that a span with nothing
sensitive costs one prefilter call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ratchet.capture.redaction.config import RedactionConfig, ruleset_version
from ratchet.capture.redaction.keys import KeyRules
from ratchet.capture.redaction.pseudonym import Pseudonymizer
from ratchet.capture.redaction.scanner import TextScanner
from ratchet.capture.redaction.text_results import TextCache, TextSession
from ratchet.capture.redaction.walker import NO_HINTS, PLAIN, USER, Walk
from ratchet.store.records import SpanRecord

T = TypeVar("T")

_RecordFields = tuple[dict[str, Any], list[dict[str, Any]], Any, Any, Any, Any, Any, Any]


class Redactor:
    """Replaces sensitive values with typed pseudonyms, deterministically per project secret.

    Safe to share between threads: calls keep their state in their own walk.

    Attributes:
        version: the ruleset version (built-in rules, plus a hash of the config
            when it is not the default), stamped on every span redacted.
    """

    def __init__(self, secret: bytes, config: RedactionConfig | None = None) -> None:
        self.config = config if config is not None else RedactionConfig()
        self.version: str = ruleset_version(self.config)
        self._keys = KeyRules(self.config.extra_key_patterns)
        self._pseudonyms = Pseudonymizer(secret)
        self._scanner = TextScanner(self.config, self._keys)
        self._cache = TextCache()

    def redact_text(self, text: str) -> str:
        """Free text with detected values replaced; a JSON document in it is walked too."""
        return self._run(lambda walk: walk.text(text, NO_HINTS))

    def redact_value(self, value: Any, key: str | None = None) -> Any:
        """Any JSON-like value, redacted by ``key``'s rules, its dict keys' rules and detectors.

        Numbers, booleans and None come back untouched; the input is never
        mutated, and an unchanged container comes back as the same object.
        """
        verdict = self._keys.classify(key)
        return self._run(lambda walk: walk.value(value, verdict))

    def redact_record(self, record: SpanRecord) -> None:
        """Redact one span in place and stamp the ruleset version on it.

        Attributes, event attributes, input, output, tool arguments and result,
        the status message and the user id are redacted. Ids, name, type,
        status, model, session, service and every number (token counts, cost,
        times) are left exactly as they are.
        """
        fields = self._run(lambda walk: _record_fields(walk, record))
        (
            record.attributes,
            record.events,
            record.input,
            record.output,
            record.tool_arguments,
            record.tool_result,
            record.status_message,
            record.user_id,
        ) = fields
        record.redaction_version = self.version

    def _run(self, walk_fn: Callable[[Walk], T]) -> T:
        first = TextSession(self._cache, self._scanner, self._pseudonyms, collecting=True)
        result = walk_fn(Walk(self._keys, self._pseudonyms, self._scanner, first))
        if not first.resolve():
            return result
        second = TextSession(self._cache, self._scanner, self._pseudonyms, collecting=False)
        return walk_fn(Walk(self._keys, self._pseudonyms, self._scanner, second))


def _record_fields(walk: Walk, record: SpanRecord) -> _RecordFields:
    """A span's redacted fields, computed without touching the span."""
    user_id = record.user_id
    if user_id:
        user_id = walk.leaf(user_id, USER)
    status_message = record.status_message
    if status_message:
        status_message = walk.text(status_message, NO_HINTS)
    return (
        walk.value(record.attributes, PLAIN),
        [walk.event(event) for event in record.events] if record.events else record.events,
        walk.value(record.input, PLAIN),
        walk.value(record.output, PLAIN),
        walk.value(record.tool_arguments, PLAIN),
        walk.value(record.tool_result, PLAIN),
        status_message,
        user_id,
    )
