"""The fast path: find which parts of a span could change, without walking it.

Walking a span in Python costs far more than letting C serialise it: so the
redactable parts of a span are serialised with orjson and the scanner's gate
(every detector's prefilter plus every secret-looking key name, all in one
RE2 set) reads the result once. JSON held in strings stays escaped text, and
the gate's patterns allow for that, so a miss proves no detector would fire
and no nested key rule applies: only top-level key rules remain. On a hit,
each part is read again on its own (short strings and numbers cannot
change, so they are skipped), and only the parts that hold a match are
walked, each with only the detectors that matched there. A field that is
the very object another field holds (a tool span's input is its tool
arguments) is read once. Attribute keys are judged once per distinct key
set: spans from one instrumentation share it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import orjson

from ratchet.capture.redaction.detector import Detector
from ratchet.capture.redaction.keys import KeyClass, KeyRules
from ratchet.capture.redaction.scanner import MIN_SCAN_LENGTH, TextScanner
from ratchet.store.records import SpanRecord

_PLAN_LIMIT = 4_096
_DUMP_OPTIONS = orjson.OPT_NON_STR_KEYS

#: The part holding attribute keys that may themselves hold values.
KEYS_PART = "attribute keys"
#: The parts of a span besides its attribute values, by field name.
_OTHER_PARTS = (
    "events",
    "input",
    "output",
    "tool_arguments",
    "tool_result",
    "status_message",
    KEYS_PART,
)


@dataclass(frozen=True, slots=True)
class AttributePlan:
    """What the key rules say about one set of attribute keys."""

    needs_walk: bool  # a secret key, or one whose hints the gate cannot honour
    scanned: tuple[str, ...]  # keys whose values the gate must read
    values: Callable[[dict[str, Any]], Any] | None  # those values, fetched in C
    scanned_keys: tuple[str, ...]  # keys that may hold a value themselves
    user_keys: tuple[str, ...]  # keys whose value is a user id


@dataclass(frozen=True, slots=True)
class Screening:
    """What must be walked, and with which detectors.

    ``dirty`` maps each part that must be walked to the detectors its text
    needs; None means walk everything with ``detectors``. Parts are span field
    names (``input``, ``events``…), :data:`KEYS_PART`, or an attribute key; no
    dirty part means only top-level user ids change.
    """

    plan: AttributePlan | None
    detectors: tuple[Detector, ...]
    dirty: dict[str, tuple[Detector, ...]] | None


_NOTHING: dict[str, tuple[Detector, ...]] = {}


def _unserialisable(value: Any) -> str:
    # bytes and other oddities: the gate need not read them (key rules still apply)
    return ""


def _dump(value: Any) -> bytes:
    return orjson.dumps(value, default=_unserialisable, option=_DUMP_OPTIONS)


class Gate:
    """Decides, per span or value, what needs walking."""

    __slots__ = ("_keys", "_plans", "_scanner")

    def __init__(self, keys: KeyRules, scanner: TextScanner) -> None:
        self._keys = keys
        self._scanner = scanner
        self._plans: dict[tuple[str, ...], AttributePlan] = {}

    def plan(self, attributes: dict[str, Any]) -> AttributePlan | None:
        """The key rules' verdicts on this set of attribute keys (None: keys not all str)."""
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

    def screen_record(self, record: SpanRecord) -> Screening:
        """What of this span must be walked, and with which detectors."""
        attributes = record.attributes
        plan = self.plan(attributes)
        if plan is None:
            return Screening(None, self._scanner.all_detectors(), None)
        values = plan.values(attributes) if plan.values is not None else ()
        # input.value is usually the span's input too: read it once
        span_input = record.input
        if span_input is not None and span_input is attributes.get("input.value"):
            span_input = None
        span_output = record.output
        if span_output is not None and span_output is attributes.get("output.value"):
            span_output = None
        tool_arguments = record.tool_arguments
        if tool_arguments is record.input:
            tool_arguments = None  # the redactor gives it the input's result
        tool_result = record.tool_result
        if tool_result is record.output:
            tool_result = None
        others = (
            record.events or None,
            span_input,
            span_output,
            tool_arguments,
            tool_result,
            record.status_message,
            plan.scanned_keys,
        )
        try:
            # one serialisation for the common verdict; parts are told apart only on a hit
            hit = self._scanner.gate(_dump((values, others)))
        except (TypeError, orjson.JSONEncodeError):
            # too deep, or an integer past 64 bits: walk it all
            return Screening(plan, self._scanner.all_detectors(), None)
        if hit is None:
            return Screening(plan, (), None if plan.needs_walk else _NOTHING)
        if plan.needs_walk or not hit.patterns:
            return Screening(plan, hit.detectors, None)
        if len(plan.scanned) == 1:
            values = (values,)
        dirty: dict[str, tuple[Detector, ...]] = {}
        part_hit = self._scanner.part_hit
        for names, parts in ((plan.scanned, values), (_OTHER_PARTS, others)):
            for name, value in zip(names, parts, strict=True):
                kind = type(value)
                if kind is str:
                    if len(value) < MIN_SCAN_LENGTH:
                        continue  # too short to hold anything, and a walk would not look
                    found = part_hit(value, hit)
                elif value is None or kind is int or kind is float or kind is bool:
                    continue
                else:
                    found = part_hit(_dump(value), hit)
                if found is not None:
                    dirty[name] = found
        return Screening(plan, hit.detectors, dirty)

    def screen(self, value: Any) -> tuple[Detector, ...] | None:
        """None when neither detectors nor nested key rules can change ``value``."""
        if isinstance(value, str):
            hit = self._scanner.gate(value)
        else:
            try:
                hit = self._scanner.gate(_dump(value))
            except (TypeError, orjson.JSONEncodeError):
                return self._scanner.all_detectors()
        return None if hit is None else hit.detectors

    def _make_plan(self, keys: tuple[str, ...]) -> AttributePlan:
        scanned: list[str] = []
        scanned_keys: list[str] = []
        users: list[str] = []
        needs_walk = False
        for key in keys:
            verdict = self._keys.classify(key)
            if verdict.scan_key:
                scanned_keys.append(key)
            if verdict.kind is KeyClass.PLAIN:
                scanned.append(key)
                # phone, SSN and cookie hints widen what counts; a version hint only narrows
                needs_walk = needs_walk or bool(verdict.hints - {"VERSION"})
            elif verdict.kind is KeyClass.SECRET:
                needs_walk = True
            elif verdict.kind is KeyClass.USER:
                users.append(key)
        getter: Callable[[dict[str, Any]], Any] | None = None
        if scanned:
            getter = itemgetter(*scanned)
        return AttributePlan(needs_walk, tuple(scanned), getter, tuple(scanned_keys), tuple(users))
