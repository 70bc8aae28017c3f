"""Generate ``corpus.jsonl``, the frozen redaction evaluation corpus.

Run from the repository root::

    python tests/data/redaction/make_corpus.py

The output depends only on the templates and ``SEED``, so re-running it
reproduces the committed file byte for byte; a change to the corpus shows up
as a reviewable diff. The corpus was written against the spec in README.md,
not against any engine: do not edit it to make an engine pass.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus_template import T  # noqa: E402
from corpus_values import DEFAULT_MAKER, MAKERS, iban_mod97, luhn_ok  # noqa: E402
from negative_templates import NEGATIVES  # noqa: E402
from positive_templates import POSITIVES  # noqa: E402

SEED = 20260418
POSITIVES_PER_ENTITY = 40
OUTPUT = HERE / "corpus.jsonl"
SLOT = re.compile(r"⟪(\d+)⟫")

IBAN_COUNTRIES = {
    "AD",
    "AT",
    "BE",
    "CH",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GB",
    "GI",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MC",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "SM",
}
DIGIT_RUN = re.compile(r"(?<![A-Za-z0-9])\d(?:[ -]?\d)*(?![A-Za-z0-9])")
IBAN_LIKE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")


def _fill(node: Any, values: list[str]) -> Any:
    if isinstance(node, str):
        return SLOT.sub(lambda m: values[int(m.group(1))], node)
    if isinstance(node, dict):
        return {k: _fill(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, values) for v in node]
    return node


def _slot_count(node: Any) -> int:
    if isinstance(node, str):
        return max((int(m) + 1 for m in SLOT.findall(node)), default=0)
    if isinstance(node, dict):
        return max((_slot_count(v) for v in node.values()), default=0)
    if isinstance(node, list):
        return max((_slot_count(v) for v in node), default=0)
    return 0


def _leaves(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _leaves(v)]
    if isinstance(node, list):
        return [s for v in node for s in _leaves(v)]
    return []


def _draw(rng: random.Random, t: T, entity: str) -> list[str]:
    values: list[str] = []
    for i in range(_slot_count(t.body)):
        maker = MAKERS[t.slots[i] if i < len(t.slots) else DEFAULT_MAKER[entity]]
        value = maker(rng)
        while value in values:
            value = maker(rng)
        values.append(value)
    return values


def _render(t: T, values: list[str]) -> Any:
    filled = _fill(t.body, values)
    if t.placement == "json_string":
        return json.dumps(filled, ensure_ascii=t.ascii)
    return filled


def _case(case_id: str, kind: str, entity: str, t: T, values: list[str]) -> dict[str, Any]:
    sensitive = values if kind == "positive" else []
    keep = list(t.keep) + ([] if kind == "positive" else values)
    if kind == "negative" and not keep and t.placement == "attribute":
        # A short attribute that is one look-alike: the whole value must survive.
        keep = [_render(t, values)]
    return {
        "id": case_id,
        "kind": kind,
        "entity": entity,
        "placement": t.placement,
        "key": t.key,
        "value": _render(t, values),
        "sensitive": sensitive,
        "keep": list(dict.fromkeys(keep)),
    }


def _interleave(templates: list[T]) -> list[T]:
    """Templates taken by placement in turn, so repeats spread over all placements."""
    by_placement: dict[str, list[T]] = {}
    for t in templates:
        by_placement.setdefault(t.placement, []).append(t)
    queues = list(by_placement.values())
    out: list[T] = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def build() -> list[dict[str, Any]]:
    """Every case of the corpus, positives first, in a stable order."""
    rng = random.Random(SEED)
    cases: list[dict[str, Any]] = []
    for entity, written in POSITIVES.items():
        templates = _interleave(written)
        for n in range(POSITIVES_PER_ENTITY):
            t = templates[n % len(templates)]
            cases.append(
                _case(f"pos-{entity}-{n + 1:03d}", "positive", entity, t, _draw(rng, t, entity))
            )
    for entity, templates in NEGATIVES.items():
        n = 0
        for t in templates:
            for _ in range(t.reps):
                n += 1
                cases.append(
                    _case(f"neg-{entity}-{n:03d}", "negative", entity, t, _draw(rng, t, entity))
                )
    return cases


def check(cases: list[dict[str, Any]]) -> None:
    """Refuse to write a corpus that breaks its own spec (see README.md)."""
    for case in cases:
        assert case["kind"] == "positive" or case["keep"], case["id"]
        assert case["kind"] == "negative" or case["sensitive"], case["id"]
        leaves = _leaves(case["value"])
        for needle in case["sensitive"] + case["keep"]:
            assert any(needle in leaf for leaf in leaves), (case["id"], needle)
        for s in case["sensitive"]:
            for k in case["keep"]:
                assert s not in k and k not in s, (case["id"], s, k)
        # Look-alikes must really break the checksum rules, wherever they sit.
        texts = leaves if case["kind"] == "negative" else case["keep"]
        for text in texts:
            for run in DIGIT_RUN.findall(text):
                digits = re.sub(r"\D", "", run)
                # Issuer ranges all start with 2-6; strictly, card negatives fail Luhn
                # whatever their prefix (the corpus test checks that).
                strict = case["kind"] == "negative" and case["entity"] == "card"
                if 13 <= len(digits) <= 19 and (strict or digits[0] in "23456"):
                    assert not luhn_ok(digits), (case["id"], run)
            for token in IBAN_LIKE.findall(text):
                if token[:2] in IBAN_COUNTRIES:
                    assert iban_mod97(token) != 1, (case["id"], token)


def serialise(cases: list[dict[str, Any]]) -> str:
    """The file's text: one case per line, non-ASCII kept readable."""
    return "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases)


def main() -> None:
    cases = build()
    check(cases)
    OUTPUT.write_text(serialise(cases), encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUTPUT.name}")


if __name__ == "__main__":
    main()
