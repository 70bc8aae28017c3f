"""A result's checks and findings as stored, and a stored result brought back for the cache.

Both directions run once per fixture (a cached re-run of a 10k suite reads
100k check results back), so they skip pydantic where the values are known
to be plain: checks this version wrote (the cache key holds the version) are
rebuilt without validation, and anything else goes through the models.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from ratchet.evaluate.replay.construct import builder
from ratchet.evaluate.results import CheckResult, Finding, FixtureResult, Outcome

_CHECK_KEYS = frozenset(CheckResult.model_fields)
_build_check = builder(
    CheckResult, {"check": "c", "passed": True, "message": "m", "evidence": [], "refs": []}
)
_build_result = builder(FixtureResult, dict(FixtureResult(fixture_id="f", outcome=Outcome.PASSED)))


def checks_json(checks: Sequence[CheckResult]) -> str:
    """The ``checks`` column: each result as ``model_dump(mode="json")`` gives it."""
    # A CheckResult's __dict__ is its fields (no extras allowed), all of JSON types
    # when it was validated or built by the checks' helpers.
    if all(type(c) is CheckResult for c in checks):
        try:
            return orjson.dumps([c.__dict__ for c in checks]).decode()
        except TypeError:  # built by hand (model_construct) with odd values
            pass
    return orjson.dumps([c.model_dump(mode="json") for c in checks]).decode()


def findings_json(findings: Sequence[Finding]) -> str:
    if not findings:
        return "[]"
    return orjson.dumps([f.model_dump(mode="json") for f in findings]).decode()


def _check(data: Any) -> CheckResult:
    if type(data) is dict and data.keys() == _CHECK_KEYS:
        return _build_check(data)
    return CheckResult.model_validate(data)


def result_from_row(row: dict[str, Any], *, checks: bool = True) -> FixtureResult:
    """The stored result; without ``checks``, its check results are left out.

    A run keeps no check results of a fixture that passed (see
    ``FixtureSummary``), so a cached pass need not rebuild its ten.
    """
    findings = row["findings"]
    return _build_result(
        {
            "fixture_id": row["fixture_id"],
            "outcome": Outcome(row["outcome"]),
            "reason": row["reason"],
            "checks": [_check(c) for c in orjson.loads(row["checks"])] if checks else [],
            "findings": []
            if findings == "[]"
            else [Finding.model_validate(f) for f in orjson.loads(findings)],
            "output": row["output"],
            "duration_ms": float(row["duration_ms"]),
            "attempt": row["attempt"],
            "trace": None,
        }
    )
