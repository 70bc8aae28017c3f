"""Sharding a gate across CI jobs, and merging the shards into one decision.

A fixture's shard depends on its id alone, so adding fixtures never moves
the others between jobs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from ratchet.core.errors import RatchetError
from ratchet.gate.decision import decide
from ratchet.gate.report import GateReport


def parse_shard(value: str) -> tuple[int, int]:
    """``"2/4"`` → (2, 4); shards count from 1."""
    try:
        index_text, count_text = value.split("/", 1)
        index, count = int(index_text), int(count_text)
    except ValueError:
        raise RatchetError(f"--shard {value}: write it as i/n, e.g. 1/4") from None
    if count < 1 or not 1 <= index <= count:
        raise RatchetError(f"--shard {value}: i must be between 1 and n (n ≥ 1), e.g. 1/4")
    return index, count


def in_shard(fixture_id: str, index: int, count: int) -> bool:
    digest = hashlib.sha256(fixture_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def load_report(path: Path) -> GateReport:
    try:
        return GateReport.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise RatchetError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    except ValidationError as exc:
        raise RatchetError(
            f"{path}: not a gate report written by `ratchet gate --json-report`"
            f" ({exc.error_count()} problems)"
        ) from exc


def merge_reports(reports: list[GateReport], names: list[str]) -> GateReport:
    """One decision from shard reports of the same change."""
    if not reports:
        raise RatchetError("gate merge: name the shard reports to merge (--json-report files)")
    first = reports[0]
    for report, name in zip(reports[1:], names[1:], strict=True):
        if report.change.key != first.change.key:
            raise RatchetError(
                f"{name}: gated a different change than {names[0]} "
                f"({report.change.source} vs {first.change.source}); merge shards of one run"
            )
    seen: dict[str, str] = {}
    verdicts = []
    for report, name in zip(reports, names, strict=True):
        for verdict in report.verdicts:
            if verdict.id in seen:
                raise RatchetError(f"fixture {verdict.id} is in both {seen[verdict.id]} and {name}")
            seen[verdict.id] = name
            verdicts.append(verdict)
    decision, code = decide(verdicts)
    warnings = list(dict.fromkeys(w for r in reports for w in r.warnings))
    shards = sorted({r.shard for r in reports if r.shard})
    expected = {int(s.split("/")[1]) for s in shards}
    if len(expected) > 1:
        raise RatchetError(f"the reports come from different shard counts: {', '.join(shards)}")
    if expected and len(shards) != (count := expected.pop()):
        raise RatchetError(
            f"only shards {', '.join(shards)} of {count} were given; merge every shard's report"
        )
    return first.model_copy(
        update={
            "decision": decision,
            "exit_code": code,
            "shard": None,
            "verdicts": sorted(verdicts, key=lambda v: v.id),
            "warnings": warnings,
            "skipped_expired": sorted({x for r in reports for x in r.skipped_expired}),
            "suite_size": max(r.suite_size for r in reports),
            "duration_s": max(r.duration_s for r in reports),
        }
    )
