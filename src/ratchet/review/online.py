"""Online checks: the fixtures' deterministic checks, applied to live production traffic.

A rule names which traces it watches (surface, service, trace name glob,
final status), what share of them to check, and the expectations to check,
written exactly as under a fixture's ``expect:``. A failed check becomes an
``online_check_failure`` signal on the trace, so the review queue surfaces
it. Sampling is decided by the trace id, not by chance: every replica, and
a re-run of the job, picks the same traces.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from ratchet.core.errors import RatchetError
from ratchet.core.signals import Signal, SignalKind
from ratchet.core.traces import Trace
from ratchet.evaluate.checks.apply import run_checks
from ratchet.evaluate.checks.stored import stored_run
from ratchet.fixtures.explain import explain
from ratchet.fixtures.model import Expectations

FILTER_KEYS = ("surface", "service", "name", "final_status")
_ID_OK = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")


@dataclass(frozen=True)
class Rule:
    id: str
    filter: Mapping[str, str]
    expect: Expectations
    sample_rate: float = 1.0
    enabled: bool = True

    def matches(self, trace: Trace) -> bool:
        for key, wanted in self.filter.items():
            value = getattr(trace, key)
            if value is None:
                return False
            if key == "name" and not fnmatch.fnmatchcase(value, wanted):
                return False
            if key != "name" and value != wanted:
                return False
        return True

    def sampled(self, trace_id: str) -> bool:
        """The same answer for a trace on every replica: a hash of rule and trace, not chance."""
        if self.sample_rate >= 1:
            return True
        digest = hashlib.sha256(f"{self.id}:{trace_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < self.sample_rate


def parse_rule(
    rule_id: str,
    filter: Mapping[str, Any] | None,
    expect: Mapping[str, Any] | None,
    sample_rate: float = 1.0,
    enabled: bool = True,
) -> Rule:
    """A rule from its parts as written in ratchet.toml or sent to the API.

    Raises:
        RatchetError: naming the field that is wrong and what to write instead.
    """
    where = f"online check {rule_id!r}"
    if not rule_id or set(rule_id.lower()) - _ID_OK or len(rule_id) > 80:
        raise RatchetError(
            f"{where}: give it an id of letters, digits, '-', '_' or '.' (up to 80 characters)"
        )
    unknown = sorted(set(filter or {}) - set(FILTER_KEYS))
    if unknown:
        raise RatchetError(
            f"{where}: filter.{unknown[0]} is not a filter; use {', '.join(FILTER_KEYS)}"
        )
    if not 0 < sample_rate <= 1:
        raise RatchetError(
            f"{where}: sample_rate {sample_rate} must be above 0 and at most 1 (0.1 checks 10%)"
        )
    if not expect:
        raise RatchetError(
            f"{where}: `expect` is empty; write the checks as under a fixture's expect:"
        )
    try:
        expectations = Expectations.model_validate(dict(expect))
    except ValidationError as exc:
        problems = "; ".join(
            p.render().removeprefix(f"{where}: ") for p in explain(exc, dict(expect), where)
        )
        raise RatchetError(f"{where}: expect is not valid: {problems}") from None
    if expectations.judges or expectations.reference_output is not None:
        raise RatchetError(f"{where}: online checks run deterministic checks only; drop judges")
    return Rule(
        id=rule_id,
        filter={k: str(v) for k, v in (filter or {}).items()},
        expect=expectations,
        sample_rate=float(sample_rate),
        enabled=enabled,
    )


def check_trace(rule: Rule, trace: Trace, *, now: datetime) -> list[Signal]:
    """The failure signals ``rule`` raises on ``trace`` (none when it does not apply)."""
    if not rule.enabled or not rule.matches(trace) or not rule.sampled(trace.trace_id):
        return []
    out: list[Signal] = []
    for result in run_checks(rule.expect, stored_run(trace)):
        if result.passed:
            continue
        key = f"{rule.id}:{trace.trace_id}:{result.check}"
        out.append(
            Signal(
                # The same failure found twice (a re-run, another replica) is one signal.
                id="oc" + hashlib.sha256(key.encode()).hexdigest()[:22],
                kind=SignalKind.ONLINE_CHECK_FAILURE,
                trace_id=trace.trace_id,
                session_id=trace.session_id,
                strength=0.8,
                comment=f"{rule.id}: {result.message}",
                evidence={
                    "rule": rule.id,
                    "check": result.check,
                    "message": result.message,
                    "span_ids": list(result.evidence),
                    "refs": list(result.refs),
                },
                created_at=now,
                created_by="online-check",
            )
        )
    return out
