"""The fast path: find which parts of a span could change, without walking it.

Walking a span in Python costs far more than letting C serialise it: so the
redactable parts of a span are serialised with orjson and the scanner's gate
(every detector's prefilter plus every secret-looking key name, all in one
RE2 set) reads the result once. JSON held in strings stays escaped text, and
the gate's patterns allow for that, so a miss proves no detector would fire
and no nested key rule applies: only top-level key rules remain. On a hit,
the prefilters that matched are located in the serialised parts, and only
the parts they touch are walked. Attribute keys are judged once per distinct
key set: spans from one instrumentation share it.
"""

from __future__ import annotations

from bisect import bisect_right
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

#: The parts of a span besides its attribute values, by field name.
RECORD_PARTS = ("events", "input", "output", "tool_arguments", "tool_result", "status_message")
#: The part holding attribute keys that may themselves hold values.
KEYS_PART = "attribute keys"


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
    """What must be walked: the detectors to run, and the dirty parts (None: all of it).

    Parts are field names from :data:`RECORD_PARTS`, :data:`KEYS_PART`, or an
    attribute key.
    """

    detectors: tuple[Detector, ...]
    dirty: frozenset[str] | None


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

    def screen_record(self, record: SpanRecord) -> Screening | None:
        """None when only top-level user-id keys can change; else what to walk."""
        attributes = record.attributes
        plan = self.plan(attributes)
        if plan is None:
            return Screening(self._scanner.all_detectors(), None)
        values: tuple[Any, ...] = ()
        if plan.values is not None:
            fetched = plan.values(attributes)
            values = fetched if len(plan.scanned) > 1 else (fetched,)
        parts = self._record_parts(record, plan, values)
        try:
            hit = self._scanner.gate(_dump([value for _, value in parts]))
        except (TypeError, orjson.JSONEncodeError):
            return Screening(self._scanner.all_detectors(), None)  # too deep, or a huge int
        if hit is None:
            return Screening((), None) if plan.needs_walk else None
        if plan.needs_walk or not hit.locators:
            return Screening(hit.detectors, None)
        return Screening(hit.detectors, self._locate(parts, hit.locators))

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

    @staticmethod
    def _record_parts(
        record: SpanRecord, plan: AttributePlan, values: tuple[Any, ...]
    ) -> list[tuple[str, Any]]:
        parts: list[tuple[str, Any]] = list(zip(plan.scanned, values, strict=True))
        if plan.scanned_keys:
            parts.append((KEYS_PART, plan.scanned_keys))
        attributes = record.attributes
        for name in RECORD_PARTS:
            value = getattr(record, name)
            if value is None or value == "" or value == []:
                continue
            # input.value is usually the span's input too: read it once
            if name == "input" and value is attributes.get("input.value"):
                continue
            if name == "output" and value is attributes.get("output.value"):
                continue
            parts.append((name, value))
        return parts

    @staticmethod
    def _locate(parts: list[tuple[str, Any]], locators: tuple[Any, ...]) -> frozenset[str]:
        """The parts a prefilter match touches, found in one serialisation of all parts."""
        pieces = [_dump(value) for _, value in parts]
        starts: list[int] = []
        offset = 0
        for piece in pieces:
            starts.append(offset)
            offset += len(piece) + 1
        blob = b"\n".join(pieces)
        dirty: set[str] = set()
        for locator in locators:
            for start, stop in locator.byte_spans(blob):
                first = bisect_right(starts, start) - 1
                last = bisect_right(starts, max(start, stop - 1)) - 1
                dirty.update(parts[i][0] for i in range(first, last + 1))
        return frozenset(dirty)

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
