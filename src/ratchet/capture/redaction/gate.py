"""The fast path: prove that a span needs nothing but its key rules, without walking it.

Walking a span in Python costs far more than letting C serialise it: so the
redactable parts of a span are serialised with orjson and the scanner's gate
(every detector's prefilter plus every secret-looking key name, all in one
RE2 set) reads the result once. JSON held in strings stays escaped text, and
the gate's patterns allow for that, so a miss proves no detector would fire
and no nested key rule applies. The attribute keys themselves are judged
once per distinct key set: spans from one instrumentation share it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import orjson

from ratchet.capture.redaction.detector import Detector
from ratchet.capture.redaction.keys import KeyClass, KeyRules
from ratchet.capture.redaction.scanner import TextScanner
from ratchet.store.records import SpanRecord

_PLAN_LIMIT = 4_096
_DUMP_OPTIONS = orjson.OPT_NON_STR_KEYS

#: A span's redactable fields, in the order ``redact_record`` assigns them.
RecordFields = tuple[dict[str, Any], list[dict[str, Any]], Any, Any, Any, Any, Any, Any]


@dataclass(frozen=True, slots=True)
class _AttributePlan:
    """What the key rules say about one set of attribute keys."""

    has_secret: bool  # a key whose whole value is replaced: take the full walk
    scanned_values: Callable[[dict[str, Any]], Any] | None  # values the gate must read
    scanned_keys: tuple[str, ...]  # keys that may hold a value themselves
    user_keys: tuple[str, ...]  # keys whose value is a user id


def _unserialisable(value: Any) -> str:
    # bytes and other oddities: the gate need not read them (key rules still apply)
    return ""


class Gate:
    """Decides, per span or value, whether the full walk is needed."""

    __slots__ = ("_keys", "_plans", "_scanner")

    def __init__(self, keys: KeyRules, scanner: TextScanner) -> None:
        self._keys = keys
        self._scanner = scanner
        self._plans: dict[tuple[str, ...], _AttributePlan] = {}

    def screen_record(self, record: SpanRecord) -> tuple[Detector, ...] | None:
        """None when only top-level user-id keys can change; else the detectors to run."""
        attributes = record.attributes
        plan = self._plan(attributes)
        if plan is None:
            return self._scanner.all_detectors()
        parts: list[Any] = [plan.scanned_keys, record.events, record.tool_arguments]
        if plan.scanned_values is not None:
            parts.append(plan.scanned_values(attributes))
        # input.value is usually the span's input too: read it once
        if record.input is not attributes.get("input.value"):
            parts.append(record.input)
        if record.output is not attributes.get("output.value"):
            parts.append(record.output)
        parts.append(record.tool_result)
        parts.append(record.status_message)
        detectors = self.screen(parts)
        if detectors is None and plan.has_secret:
            return ()  # a top-level secret key: key rules only
        return detectors

    def quick_fields(self, record: SpanRecord, user: Callable[[str], str]) -> RecordFields | None:
        """The span's fields after top-level user-id keys, or None if those need the walk."""
        attributes = record.attributes
        plan = self._plan(attributes)
        if plan is not None and plan.user_keys:
            attributes = dict(attributes)
            for key in plan.user_keys:
                value = attributes[key]
                if type(value) is not str:
                    return None  # a list or map of user ids: let the walk handle it
                attributes[key] = user(value)
        return (
            attributes,
            record.events,
            record.input,
            record.output,
            record.tool_arguments,
            record.tool_result,
            record.status_message,
            user(record.user_id) if record.user_id else record.user_id,
        )

    def screen(self, value: Any) -> tuple[Detector, ...] | None:
        """None when neither detectors nor nested key rules can change ``value``."""
        if isinstance(value, str):
            return self._scanner.gate(value)
        try:
            blob = orjson.dumps(value, default=_unserialisable, option=_DUMP_OPTIONS)
        except (TypeError, orjson.JSONEncodeError):
            return self._scanner.all_detectors()  # too deep, or an integer past 64 bits
        return self._scanner.gate(blob)

    def _plan(self, attributes: dict[str, Any]) -> _AttributePlan | None:
        signature = tuple(attributes)
        plan = self._plans.get(signature)
        if plan is None:
            if not all(type(key) is str for key in signature):
                return None
            plan = self._make_plan(signature)
            if len(self._plans) >= _PLAN_LIMIT:
                self._plans.clear()
            self._plans[signature] = plan
        return plan

    def _make_plan(self, keys: tuple[str, ...]) -> _AttributePlan:
        scanned: list[str] = []
        scanned_keys: list[str] = []
        users: list[str] = []
        has_secret = False
        for key in keys:
            verdict = self._keys.classify(key)
            if verdict.scan_key:
                scanned_keys.append(key)
            if verdict.kind is KeyClass.PLAIN:
                scanned.append(key)
            elif verdict.kind is KeyClass.SECRET:
                has_secret = True
            elif verdict.kind is KeyClass.USER:
                users.append(key)
        getter: Callable[[dict[str, Any]], Any] | None = None
        if len(scanned) == 1:
            getter = itemgetter(scanned[0])
        elif scanned:
            getter = itemgetter(*scanned)
        return _AttributePlan(has_secret, getter, tuple(scanned_keys), tuple(users))
