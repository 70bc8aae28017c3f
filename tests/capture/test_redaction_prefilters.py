"""The detectors' prefilters: never miss what a detector finds, and skip ids and counts.

The gate decides from the prefilters alone that a span needs no closer look,
so a prefilter that fails to match where its detector would find something
leaks that value. They must hold on raw text and on text as the gate reads
it: serialised to JSON (maybe ASCII-only, with \\u escapes), or JSON held
in a string and serialised again. The number prefilters also refuse digit
runs that continue a word or an id, so that request numbers, order ids and
timestamps do not send text to the phone, SSN and card checks.
"""

from __future__ import annotations

import copy
import json

import orjson
import pytest
import re2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratchet.capture.redaction import Redactor, pii_detectors
from ratchet.capture.redaction.detector import Detector, Finding, ScanContext
from ratchet.capture.redaction.keys import KeyRules, key_gate_pattern
from ratchet.capture.redaction.secret_detectors import secret_detectors
from ratchet.store.records import SpanRecord

DETECTORS: list[Detector] = [*pii_detectors.pii_detectors(), *secret_detectors(key_gate_pattern())]
KEYS = KeyRules()

FRAGMENTS = [
    "+1 415 555 2671",
    "+14155552671",
    "0044 20 7946 0958",
    "020 7946 0958",
    "(415) 555-2671",
    "415.555.2671",
    "06 12 34 56 78",
    "+33 6 12 34 56 78",
    "(11) 2345-6789",
    "030 12345678",
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "4111111111111111",
    "5500 0000 0000 0004 123",
    "123-45-6789",
    "078-05-1120",
    "ssn 123456789",
    "10.20.30.40",
    "2600:1f18::42",
    "jane.doe@example.com",
    "josé@école.fr",
    "o.okafor@liberoé.it",
    "DE89 3704 0044 0532 0130 00",
    "sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2",
    "password=hunter2",
    "Bearer abc123def456ghi789",
    "Bearer\tabc123def456ghi789",
    "my password is\nHunter2!x",
    "api_key\n= hunter2xyz",
    "REF-00412",
    "500",
    "2026-04-18",
    "1760000000000",
]
SEPARATORS = [" ", "", "\n", "\t", "\x01", "é", "-", "+", ".", "=", "/", "(", ")", ",", ":"]
SEPARATORS += ['"', "\\", "<>", "a", "0", "==", " or ", "\u2028"]

texts = st.lists(
    st.tuples(st.sampled_from(SEPARATORS), st.sampled_from(FRAGMENTS)), min_size=1, max_size=4
).map(lambda pairs: "".join(sep + fragment for sep, fragment in pairs))

QUICK = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _as_the_gate_reads(text: str) -> list[str]:
    """The text raw, as a JSON string, as JSON held in a JSON string, and ASCII-escaped."""
    inner = orjson.dumps({"content": text}).decode()
    return [
        text,
        orjson.dumps(text).decode(),
        orjson.dumps(inner).decode(),
        json.dumps({"content": text}),  # a client's json.dumps escapes non-ASCII as \\uXXXX
    ]


@QUICK
@given(text=texts)
def test_a_prefilter_matches_wherever_its_detector_finds_something(text: str) -> None:
    context = ScanContext(text, frozenset(), KEYS)
    for detector in DETECTORS:
        if not detector.finder(context):
            continue
        assert detector.prefilter is not None
        for form in _as_the_gate_reads(text):
            assert re2.search(detector.prefilter, form), (detector.name, form)


@pytest.mark.parametrize(
    "text",
    [
        "order REF-00412 500 shipped",
        "request 0000002a1 took 1200 ms",
        "ids a1-0012 and x00123 and 7-0099 55",
        "token count 912 3 4",
        "trace 4bf92f3577b34da6 span 00f067aa0ba902b7",
        "build 20260418.1 of 2026.04.18",
    ],
)
def test_ids_and_counts_do_not_reach_the_number_checks(text: str) -> None:
    context = ScanContext(text, frozenset(), KEYS)
    for name in ("phone", "ssn", "card", "ipv4"):
        detector = next(d for d in DETECTORS if d.name == name)
        assert detector.prefilter is not None
        assert not re2.search(detector.prefilter, text), (name, text)
        assert not detector.finder(context)


def _span(text: str) -> SpanRecord:
    return SpanRecord(
        trace_id="0" * 32,
        span_id="1" * 16,
        name="plan_step",
        start_ns=0,
        attributes={"openinference.span.kind": "CHAIN", "input.value": text},
        input=text,
        output={"messages": [{"role": "assistant", "content": text}]},
    )


def test_a_span_with_only_request_numbers_is_not_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = pii_detectors.find_phones

    def counting(context: ScanContext) -> list[Finding]:
        calls.append(context.text)
        return real(context)

    monkeypatch.setattr(pii_detectors, "find_phones", counting)
    redactor = Redactor(b"prefilter-secret")
    record = _span("thanks REF-00412 500 items, request 00000c1f 2 of 3")
    before = copy.deepcopy(record)
    redactor.redact_record(record)
    assert calls == []
    assert record.input == before.input and record.output == before.output


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("call me on\n+1 415 555 2671", "555 2671"),
        ("é020 7946 0958é", "7946 0958"),
        ("ssn:123-45-6789.", "123-45-6789"),
        ('card "4111 1111 1111 1111"', "1111 1111 1111"),
        ("\x01 10.20.30.40", "10.20.30.40"),
    ],
)
def test_values_next_to_escaped_characters_are_still_found(text: str, gone: str) -> None:
    redactor = Redactor(b"prefilter-secret")
    record = _span(text)
    redactor.redact_record(record)
    stored = json.dumps([record.attributes, record.input, record.output])
    assert gone not in stored


@pytest.mark.parametrize(
    "value",
    [
        {"order_id": "password\n= hunter2xyz"},
        {"config": "api_key\t: hunter2xyz"},
        json.dumps({"config": "db_password \n = hunter2xyz"}),
    ],
)
def test_a_secret_name_before_escaped_whitespace_still_reaches_the_check(value: object) -> None:
    # serialised, the line break between name and "=" is the two characters \n
    redacted = Redactor(b"prefilter-secret").redact_value(value)
    assert "hunter2xyz" not in json.dumps(redacted)


@pytest.mark.parametrize(
    ("value", "gone"),
    [
        (json.dumps({"to": "write to josé@école.fr"}), "cole.fr"),  # written as \u00e9cole.fr
        ({"m": json.dumps({"x": "mail o.okafor@liberoé.it"})}, "o.okafor"),
        ("mail ops@x.y.io now", "ops@"),
        ("reply to ops@build_box.example.com", "ops@"),
    ],
)
def test_emails_the_check_accepts_reach_it_however_they_are_written(
    value: object, gone: str
) -> None:
    redacted = Redactor(b"prefilter-secret").redact_value(value)
    assert gone not in json.dumps(redacted)
