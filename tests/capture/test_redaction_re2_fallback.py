"""Locators keep working, with the same results, if the re2 module loses its private parts.

The fast path reads two undocumented attributes of the ``re2`` module; a
release without them must only make matching slower, never different.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import re2

from ratchet.capture.redaction import (
    Redactor,
    number_detectors,
    pii_detectors,
    re2_fast,
    secret_detectors,
)
from ratchet.capture.redaction.re2_fast import Locator
from ratchet.store.records import SpanRecord
from tests.capture.redaction_corpus import load_corpus

PATTERNS = [
    number_detectors.PHONE_LOCATOR.pattern,
    number_detectors.CARD_LOCATOR.pattern,
    r"([a-z]+)@([a-z.]+)|(?:)",  # groups, and a pattern that matches the empty string
]
TEXTS = [
    "call +1 415 555 2671 or (415) 555-2671, card 4111 1111 1111 1111",
    "jürgen@müller.de schreibt an +49 30 123456 — 4111-1111-1111-1111",
    "",
    "no digits at all",
    "a@b.co x@y.org",
]


@pytest.fixture
def public_only(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Locators built while the private attributes are gone, as a future re2 might be."""

    def build(pattern: str) -> Locator:
        with monkeypatch.context() as patched:
            patched.delattr(re2, "_Anchor")
            return Locator(pattern)

    return build


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_locator_without_the_private_api_finds_the_same_spans(
    public_only: Any, pattern: str
) -> None:
    fallback, direct = public_only(pattern), Locator(pattern)
    assert not fallback.direct and direct.direct
    for text in TEXTS:
        data = text.encode() if text.isascii() else None
        for pos in (0, 3, len(text), len(text) + 1):
            assert fallback.spans(text, data, pos) == direct.spans(text, data, pos)
            assert fallback.first(text, data, pos) == direct.first(text, data, pos)


def _redact_all(redactor: Redactor) -> list[Any]:
    out: list[Any] = []
    for case in load_corpus():
        out.append(redactor.redact_value(case.value, key=case.key))
        record = SpanRecord(
            trace_id="0" * 32,
            span_id="1" * 16,
            name="step",
            start_ns=0,
            attributes={case.key: case.value},
            input=json.dumps(case.value) if isinstance(case.value, dict) else case.value,
        )
        redactor.redact_record(record)
        out.append([record.attributes, record.input])
    return out


def test_redaction_through_the_public_api_matches_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = _redact_all(Redactor(b"fallback-secret"))
    monkeypatch.setattr(re2_fast, "_raw_match", lambda compiled: None)
    for module in (number_detectors, pii_detectors, secret_detectors):
        for name, value in list(vars(module).items()):
            if isinstance(value, Locator):
                monkeypatch.setattr(module, name, Locator(value.pattern))
    assert not number_detectors.PHONE_LOCATOR.direct
    assert _redact_all(Redactor(b"fallback-secret")) == expected
