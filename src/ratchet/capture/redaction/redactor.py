"""The Redactor: the one object the ingest pipeline and the store call.

It owns a project's secret, its config and the caches. Each call first asks
the :class:`~ratchet.capture.redaction.gate.Gate` what could change; most
spans hold nothing sensitive and stop there, with only their user id
pseudonymised. The rest :class:`~ratchet.capture.redaction.walker.Walk` the
parts the gate points at.
"""

from __future__ import annotations

from typing import Any

from ratchet.capture.redaction.config import RedactionConfig, ruleset_version
from ratchet.capture.redaction.detector import Detector
from ratchet.capture.redaction.gate import Gate, Screening
from ratchet.capture.redaction.keys import KeyClass, KeyRules
from ratchet.capture.redaction.pseudonym import Pseudonymizer
from ratchet.capture.redaction.scanner import MIN_SCAN_LENGTH, TextScanner
from ratchet.capture.redaction.text_cache import TextCache
from ratchet.capture.redaction.walker import NO_HINTS, PLAIN, Walk
from ratchet.store.records import SpanRecord


class Redactor:
    """Replaces sensitive values with typed pseudonyms, deterministically per project secret.

    Safe to share between threads: calls keep their state in their own walk,
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
        self._gate = Gate(self._keys, self._scanner, self._cache)
        self._plain_walk = self._walk(None)

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
            return self._plain_walk.value(value, verdict)
        detectors = self._gate.screen(value)
        return value if detectors is None else self._walk(detectors).value(value, verdict)

    def redact_record(self, record: SpanRecord) -> None:
        """Redact one span in place and stamp the ruleset version on it.

        Attributes, event attributes, input, output, tool arguments and result,
        the status message and the user id are redacted. Ids, name, type,
        status, model, session, service and every number (token counts, cost,
        times) are left exactly as they are.
        """
        screening = self._gate.screen_record(record)
        if screening.whole:
            self._walk_all(record, self._walk(screening.detectors))
        else:
            self._walk_parts(record, screening)
        record.redaction_version = self.version

    def _walk(self, detectors: tuple[Detector, ...] | None) -> Walk:
        return Walk(self._keys, self._pseudonyms, self._scanner, self._cache, detectors)

    def _walk_all(self, record: SpanRecord, walk: Walk) -> None:
        record.attributes = walk.value(record.attributes, PLAIN)
        if record.events:
            record.events = [walk.event(event) for event in record.events]
        span_input, span_output = record.input, record.output
        record.input = walk.value(span_input, PLAIN)
        record.output = walk.value(span_output, PLAIN)
        # a tool span's input is often its arguments, the very object: walked once
        if record.tool_arguments is span_input:
            record.tool_arguments = record.input
        else:
            record.tool_arguments = walk.value(record.tool_arguments, PLAIN)
        if record.tool_result is span_output:
            record.tool_result = record.output
        else:
            record.tool_result = walk.value(record.tool_result, PLAIN)
        if record.status_message:
            record.status_message = walk.text(record.status_message, NO_HINTS)
        if record.user_id:
            record.user_id = walk.user(record.user_id)

    def _walk_parts(self, record: SpanRecord, screening: Screening) -> None:
        """Walk only the parts the gate found something in, each with its detectors."""
        attributes = record.attributes
        plan = screening.plan
        dirty = screening.attributes
        user_keys = plan.user_keys if plan is not None else ()
        if user_keys or dirty:
            redacted = dict(attributes)
            classify = self._keys.classify
            for key in user_keys:
                redacted[key] = self._plain_walk.value(attributes[key], classify(key))
            for key, detectors in dirty.items():
                redacted[key] = self._walk(detectors).value(attributes[key], classify(key))
            record.attributes = redacted
        fields = screening.fields
        if fields or dirty:
            if "events" in fields:
                walk = self._walk(fields["events"])
                record.events = [walk.event(event) for event in record.events]
            span_input, span_output = record.input, record.output
            # a span input that is its input.value was read once, as the attribute
            for name, alias in (("input", "input.value"), ("output", "output.value")):
                value = getattr(record, name)
                if name in fields:
                    detectors = fields[name]
                elif alias in dirty and value is attributes.get(alias):
                    detectors = dirty[alias]
                else:
                    continue
                setattr(record, name, self._walk(detectors).value(value, PLAIN))
            # and tool arguments (result) that are the input (output) were read as that
            if record.tool_arguments is span_input:
                record.tool_arguments = record.input
            elif "tool_arguments" in fields:
                walk = self._walk(fields["tool_arguments"])
                record.tool_arguments = walk.value(record.tool_arguments, PLAIN)
            if record.tool_result is span_output:
                record.tool_result = record.output
            elif "tool_result" in fields:
                walk = self._walk(fields["tool_result"])
                record.tool_result = walk.value(record.tool_result, PLAIN)
            if "status_message" in fields and record.status_message:
                walk = self._walk(fields["status_message"])
                record.status_message = walk.text(record.status_message, NO_HINTS)
        if record.user_id:
            record.user_id = self._plain_walk.user(record.user_id)
