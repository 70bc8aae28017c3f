"""The Redactor: the one object the ingest pipeline and the store call.

It owns a project's secret, its config and the caches. Each call first asks
the :class:`~ratchet.capture.redaction.gate.Gate` whether anything beyond
the top-level key rules could change; only when it might does the call
:class:`~ratchet.capture.redaction.walker.Walk` the value. Most spans hold
nothing sensitive and stop at the gate.
"""

from __future__ import annotations

from typing import Any

from ratchet.capture.redaction.config import RedactionConfig, ruleset_version
from ratchet.capture.redaction.detector import Detector
from ratchet.capture.redaction.gate import Gate, RecordFields
from ratchet.capture.redaction.keys import KeyClass, KeyRules
from ratchet.capture.redaction.pseudonym import Pseudonymizer
from ratchet.capture.redaction.scanner import MIN_SCAN_LENGTH, TextScanner
from ratchet.capture.redaction.text_cache import TextCache
from ratchet.capture.redaction.walker import NO_HINTS, PLAIN, Walk
from ratchet.store.records import SpanRecord


class Redactor:
    """Replaces sensitive values with typed pseudonyms, deterministically per project secret.

    Safe to share between threads: calls keep no state of their own on it,
    and the shared caches only ever hold finished results.

    Attributes:
        version: the ruleset version (built-in rules, plus a hash of the config
            when it is not the default), stamped on every span redacted.
    """

    def __init__(self, secret: bytes, config: RedactionConfig | None = None) -> None:
        self.config = config if config is not None else RedactionConfig()
        self.version: str = ruleset_version(self.config)
        self._keys = KeyRules(self.config.extra_key_patterns)
        self._scanner = TextScanner(self.config, self._keys)
        self._pseudonyms = Pseudonymizer(secret)
        self._cache = TextCache()
        self._gate = Gate(self._keys, self._scanner)
        self._users = self._walk(None)

    def redact_text(self, text: str) -> str:
        """Free text with detected values replaced; a JSON document in it is walked too."""
        if len(text) < MIN_SCAN_LENGTH:
            return text
        detectors = self._gate.screen(text)
        return text if detectors is None else self._walk(detectors).text(text, NO_HINTS)

    def redact_value(self, value: Any, key: str | None = None) -> Any:
        """Any JSON-like value, redacted by ``key``'s rules, its dict keys' rules and detectors.

        Numbers, booleans and None come back untouched; the input is never
        mutated, and an unchanged container comes back as the same object.
        """
        verdict = self._keys.classify(key)
        if verdict.kind is not KeyClass.PLAIN or verdict.hints:
            return self._walk(None).value(value, verdict)
        detectors = self._gate.screen(value)
        return value if detectors is None else self._walk(detectors).value(value, verdict)

    def redact_record(self, record: SpanRecord) -> None:
        """Redact one span in place and stamp the ruleset version on it.

        Attributes, event attributes, input, output, tool arguments and result,
        the status message and the user id are redacted. Ids, name, type,
        status, model, session, service and every number (token counts, cost,
        times) are left exactly as they are.
        """
        fields = None
        detectors = self._gate.screen_record(record)
        if detectors is None:
            fields = self._gate.quick_fields(record, self._users.user)
        if fields is None:
            fields = _walk_record(self._walk(detectors), record)
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

    def _walk(self, detectors: tuple[Detector, ...] | None) -> Walk:
        return Walk(self._keys, self._pseudonyms, self._scanner, self._cache, detectors)


def _walk_record(walk: Walk, record: SpanRecord) -> RecordFields:
    """Every redactable field of a span, walked in full."""
    events = record.events
    return (
        walk.value(record.attributes, PLAIN),
        [walk.event(event) for event in events] if events else events,
        walk.value(record.input, PLAIN),
        walk.value(record.output, PLAIN),
        walk.value(record.tool_arguments, PLAIN),
        walk.value(record.tool_result, PLAIN),
        walk.text(record.status_message, NO_HINTS)
        if record.status_message
        else record.status_message,
        walk.user(record.user_id) if record.user_id else record.user_id,
    )
