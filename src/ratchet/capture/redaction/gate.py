"""The fast path: find which parts of a span could change, without walking it.

Walking a span in Python costs far more than letting C serialise it: so the
redactable parts of a span are serialised with orjson and the scanner's gate
(every detector's prefilter plus every secret-looking key name, all in one
RE2 set) reads the result once. JSON held in strings stays escaped text, and
the gate's patterns allow for that, so a miss proves no detector would fire
and no nested key rule applies: only top-level key rules remain.

On a hit, each part is read again on its own, and only the parts that hold
a match are walked, each with only the detectors that matched there. Short
strings and numbers cannot change, so they are skipped; a string the text
cache already knows needs no reading, and one found clean is remembered
there, so the constant attributes of an instrumentation (its scope, its
span kinds) are read once, not once per span with a hit. A field holding
the very object another field holds (a tool span's input is its tool
arguments) is read once. Attribute keys are judged once per distinct key
set: spans from one instrumentation share it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

import orjson

from ratchet.capture.redaction.detector import Detector
from ratchet.capture.redaction.keys import KeyClass, KeyRules
from ratchet.capture.redaction.scanner import MIN_SCAN_LENGTH, GateHit, TextScanner
from ratchet.capture.redaction.text_cache import TextCache
from ratchet.store.records import SpanRecord

_PLAN_LIMIT = 4_096
_CLEAN_LIMIT = 1_024
_CLEAN_SIZE = 1_024
_DUMP_OPTIONS = orjson.OPT_NON_STR_KEYS
_NO_HINTS: frozenset[str] = frozenset()

#: The span fields besides attributes that redaction reads, in the gate's order.
_FIELDS = ("events", "input", "output", "tool_arguments", "tool_result", "status_message")

Parts = dict[str, tuple[Detector, ...]]


@dataclass(slots=True)
class AttributePlan:
    """What the key rules say about one set of attribute keys (built once, then only read)."""

    needs_walk: bool  # a secret key, or one whose hints the gate cannot honour
    scanned: tuple[str, ...]  # keys whose values the gate must read
    values: Callable[[dict[str, Any]], Any] | None  # those values, fetched in C
    scanned_keys: tuple[str, ...]  # keys that may hold a value themselves
    user_keys: tuple[str, ...]  # keys whose value is a user id
    hinted: frozenset[str]  # scanned keys whose hints make the plain text cache wrong for them
    clean: Screening | None = None  # the verdict on a span of these keys the gate finds clean


class Screening(NamedTuple):
    """What must be walked, and with which detectors.

    With ``whole`` every part is walked with ``detectors``. Otherwise only
    the attribute values named in ``attributes`` and the span fields named
    in ``fields`` (``input``, ``events``…) are, each with the detectors its
    text needs; user ids are pseudonymised either way.
    """

    plan: AttributePlan | None
    detectors: tuple[Detector, ...]
    whole: bool
    attributes: Parts
    fields: Parts


_NOTHING: Parts = {}


def _unserialisable(value: Any) -> str:
    # bytes and other oddities: the gate need not read them (key rules still apply)
    return ""


def _dump(value: Any) -> bytes:
    try:
        return orjson.dumps(value, default=_unserialisable)
    except orjson.JSONEncodeError:
        # non-str dict keys, allowed only by an option that slows every call down
        return orjson.dumps(value, default=_unserialisable, option=_DUMP_OPTIONS)


class Gate:
    """Decides, per span or value, what needs walking."""

    __slots__ = ("_cache", "_clean", "_keys", "_plans", "_scanner")

    def __init__(self, keys: KeyRules, scanner: TextScanner, cache: TextCache) -> None:
        self._keys = keys
        self._scanner = scanner
        self._cache = cache
        self._plans: dict[tuple[str, ...], AttributePlan] = {}
        # serialised attribute values in which no gate pattern matches
        self._clean: dict[bytes, None] = {}

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
            return Screening(None, self._scanner.all_detectors(), True, _NOTHING, _NOTHING)
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
        fields = (
            record.events or None,
            span_input,
            span_output,
            tool_arguments,
            tool_result,
            record.status_message,
        )
        try:
            # one serialisation for the common verdict; parts are told apart only on a hit
            hit = self._scanner.gate(_dump((values, fields, plan.scanned_keys)))
        except (TypeError, orjson.JSONEncodeError):
            # too deep, or an integer past 64 bits: walk it all
            return Screening(plan, self._scanner.all_detectors(), True, _NOTHING, _NOTHING)
        if hit is None:
            if plan.clean is None:
                plan.clean = Screening(plan, (), plan.needs_walk, _NOTHING, _NOTHING)
            return plan.clean
        if plan.needs_walk or not hit.patterns:
            return Screening(plan, hit.detectors, True, _NOTHING, _NOTHING)
        # a key that may hold a value matched: the walk judges keys, so walk it all
        scanner = self._scanner
        if plan.scanned_keys:
            found = scanner.part_patterns(_dump(plan.scanned_keys))
            if found is not None and scanner.narrow(hit, found) is not None:
                return Screening(plan, hit.detectors, True, _NOTHING, _NOTHING)
        if len(plan.scanned) == 1:
            values = (values,)
        dirty_attributes, dirty_fields = self._parts(plan, values, fields, hit)
        return Screening(plan, hit.detectors, False, dirty_attributes, dirty_fields)

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

    def _parts(
        self, plan: AttributePlan, values: tuple[Any, ...], fields: tuple[Any, ...], hit: GateHit
    ) -> tuple[Parts, Parts]:
        """The attribute values and span fields that hold a match of ``hit``, with its detectors."""
        dirty_attributes: Parts = _NOTHING
        if plan.scanned and not any(field is not None for field in fields):
            # no field to hold the match: an attribute does
            dirty_attributes = self._dirty(plan.scanned, values, plan.hinted, hit)
        elif plan.scanned:
            # the attribute values are read together first: the match is seldom there, and
            # an instrumentation's attributes are often the same from span to span
            dumped = _dump(values)
            if dumped not in self._clean:
                found = self._scanner.part_patterns(dumped)
                if found is None:
                    if len(dumped) <= _CLEAN_SIZE:
                        if len(self._clean) >= _CLEAN_LIMIT:
                            self._clean.clear()
                        self._clean[dumped] = None
                elif self._scanner.narrow(hit, found) is not None:
                    dirty_attributes = self._dirty(plan.scanned, values, plan.hinted, hit)
        # when no attribute holds the match, a field must: the last one left needs no reading
        dirty_fields = self._dirty(_FIELDS, fields, _NO_HINTS, hit, sole=not dirty_attributes)
        return dirty_attributes, dirty_fields

    def _dirty(
        self,
        names: tuple[str, ...],
        parts: tuple[Any, ...],
        hinted: frozenset[str],
        hit: GateHit,
        *,
        sole: bool = True,
    ) -> Parts:
        """Those of ``parts`` that hold a match of ``hit``, each with the detectors that matched.

        With ``sole``, one of them is known to hold it, so when all but the last
        candidate are clean, the last is taken as it is, unread. Walking a part
        that holds nothing is only wasted work; skipping one is never guessed.
        """
        dirty: Parts = {}
        remembered = self._cache.plain.get
        candidates: list[tuple[str, Any, bool]] = []
        for name, value in zip(names, parts, strict=True):
            kind = type(value)
            if kind is str:
                if len(value) < MIN_SCAN_LENGTH:
                    continue  # too short to hold anything: a walk would not look either
                plain = name not in hinted
                if plain:
                    known = remembered(value)
                    if known is not None:
                        if known != value:
                            # the walk finds the result in the cache (or, if the cache
                            # was cleared meanwhile, redoes it with every detector)
                            dirty[name] = hit.detectors
                        continue
                candidates.append((name, value, plain))
            elif not (value is None or kind is int or kind is float or kind is bool):
                candidates.append((name, value, False))
        scanner = self._scanner
        last = len(candidates) - 1
        for index, (name, value, plain) in enumerate(candidates):
            if sole and index == last and not dirty:
                dirty[name] = hit.detectors
                break
            found = scanner.part_patterns(value if type(value) is str else _dump(value))
            if found is None:
                if plain:
                    # no pattern at all: a walk would return it unchanged
                    self._cache.put(value, _NO_HINTS, value)
                continue
            detectors = scanner.narrow(hit, found)
            if detectors is not None:
                dirty[name] = detectors
        return dirty

    def _make_plan(self, keys: tuple[str, ...]) -> AttributePlan:
        scanned: list[str] = []
        scanned_keys: list[str] = []
        users: list[str] = []
        hinted: set[str] = set()
        needs_walk = False
        for key in keys:
            verdict = self._keys.classify(key)
            if verdict.scan_key:
                scanned_keys.append(key)
            if verdict.kind is KeyClass.PLAIN:
                scanned.append(key)
                # phone, SSN and cookie hints widen what counts; a version hint only narrows
                needs_walk = needs_walk or bool(verdict.hints - {"VERSION"})
                if verdict.hints:
                    hinted.add(key)
            elif verdict.kind is KeyClass.SECRET:
                needs_walk = True
            elif verdict.kind is KeyClass.USER:
                users.append(key)
        getter: Callable[[dict[str, Any]], Any] | None = None
        if scanned:
            getter = itemgetter(*scanned)
        return AttributePlan(
            needs_walk,
            tuple(scanned),
            getter,
            tuple(scanned_keys),
            tuple(users),
            frozenset(hinted),
        )
