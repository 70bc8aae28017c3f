"""Redaction accuracy on the frozen evaluation corpus, per entity.

Every case's value is redacted under its key, as the pipeline would. A
positive's sensitive substring that disappears is a true positive, one that
survives a false negative; a keep substring that is altered or gone is a
false positive for the case's entity (for a negative, the entity it imitates).
The per-entity table is printed (``pytest -s``) so a regression shows where.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from ratchet.capture.redaction import Redactor
from tests.capture.redaction_corpus import ENTITIES, CorpusCase, load_corpus, occurs

MIN_RECALL = 0.97
MIN_PRECISION = 0.95


@dataclass
class Tally:
    """Counts for one entity, and the cases behind the errors (for the failure message)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _score(cases: list[CorpusCase], redactor: Redactor) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        redacted = redactor.redact_value(case.value, key=case.key)
        tally = tallies[case.entity]
        for secret in case.sensitive:
            if occurs(redacted, secret):
                tally.fn += 1
                tally.errors.append(f"{case.id}: {secret!r} survived")
            else:
                tally.tp += 1
        for kept in case.keep:
            if not occurs(redacted, kept):
                tally.fp += 1
                tally.errors.append(f"{case.id}: {kept!r} was altered")
    return tallies


def _table(tallies: dict[str, Tally]) -> str:
    lines = [f"{'entity':<12} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}"]
    for entity in ENTITIES:
        t = tallies[entity]
        lines.append(
            f"{entity:<12} {t.tp:>4} {t.fp:>4} {t.fn:>4} {t.precision:>10.3f} {t.recall:>8.3f}"
        )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def tallies() -> dict[str, Tally]:
    result = _score(load_corpus(), Redactor(b"accuracy-test-secret"))
    print("\n" + _table(result))
    return result


@pytest.mark.parametrize("entity", ENTITIES)
def test_entity_meets_recall_and_precision(tallies: dict[str, Tally], entity: str) -> None:
    tally = tallies[entity]
    assert tally.tp > 0, f"no {entity} positive was redacted at all"
    detail = "\n".join(tally.errors[:10])
    assert tally.recall >= MIN_RECALL, f"{entity} recall {tally.recall:.3f}:\n{detail}"
    assert tally.precision >= MIN_PRECISION, f"{entity} precision {tally.precision:.3f}:\n{detail}"


def test_every_case_is_scored(tallies: dict[str, Tally]) -> None:
    cases = load_corpus()
    scored = sum(t.tp + t.fn for t in tallies.values())
    assert scored == sum(len(case.sensitive) for case in cases)
