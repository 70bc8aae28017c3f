"""Properties of redact_value over generated JSON-like values.

Redacting twice equals redacting once (stored spans can be re-redacted
safely), the shape and every non-string leaf survive, and the span-level
shortcut agrees with redacting each field on its own.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratchet.capture.redaction import Redactor
from ratchet.store.records import SpanRecord

REDACTOR = Redactor(b"property-secret")

FRAGMENTS = [
    "jane.doe@example.com",
    "+44 20 7946 0958",
    "(415) 555-0132",
    "4111 1111 1111 1111",
    "4111111111111112",
    "DE89 3704 0044 0532 0130 00",
    "10.20.30.40",
    "192.0.2.7",
    "2600:1f18::42",
    "123-45-6789",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
    "sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2",
    "password=hunter2",
    "Bearer abc123def456ghi789",
    "version 1.2.3.4",
    "2026-04-18 10:30",
    "order 12345678",
    "<EMAIL:0123456789ab>",
    "postgres://app:pw1@db:5432/x",
]
KEYS = [
    "content",
    "note",
    "password",
    "api_key",
    "authorization",
    "cookie",
    "user.id",
    "session.id",
    "llm.token_count.prompt",
    "phone",
    "service.version",
    "items",
]

words = st.text(alphabet="abcxyz019 .,:;=@+-()[]{}\"'\n", max_size=12)
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), words), max_size=5).map(" ".join)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)


def _with_json_strings(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    containers = st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=4),
    )
    return st.one_of(containers, containers.map(json.dumps))


values = st.recursive(leaves, _with_json_strings, max_leaves=12)
keys = st.one_of(st.none(), st.sampled_from(KEYS))


def _same_shape(before: Any, after: Any) -> None:
    """Same containers and keys; every non-string leaf equal; strings stay strings."""
    if isinstance(before, dict):
        assert isinstance(after, dict) and list(after) == list(before)
        for key in before:
            _same_shape(before[key], after[key])
    elif isinstance(before, list):
        assert isinstance(after, list) and len(after) == len(before)
        for old, new in zip(before, after, strict=True):
            _same_shape(old, new)
    elif isinstance(before, str):
        assert isinstance(after, str)
    else:
        assert after == before and type(after) is type(before)


QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(value=values, key=keys)
def test_redacting_twice_equals_redacting_once(value: Any, key: str | None) -> None:
    once = REDACTOR.redact_value(value, key=key)
    assert REDACTOR.redact_value(once, key=key) == once


@QUICK
@given(value=values, key=keys)
def test_shape_and_non_string_leaves_survive(value: Any, key: str | None) -> None:
    original = copy.deepcopy(value)
    redacted = REDACTOR.redact_value(value, key=key)
    assert value == original  # the input is not mutated
    _same_shape(value, redacted)


@QUICK
@given(
    attributes=st.dictionaries(st.sampled_from(KEYS), values, max_size=5),
    span_input=values,
    output=values,
    status=texts,
)
def test_a_span_is_redacted_like_its_fields(
    attributes: dict[str, Any], span_input: Any, output: Any, status: str
) -> None:
    record = SpanRecord(
        trace_id="0" * 32,
        span_id="1" * 16,
        name="step",
        start_ns=0,
        attributes=copy.deepcopy(attributes),
        input=copy.deepcopy(span_input),
        output=copy.deepcopy(output),
        status_message=status,
    )
    REDACTOR.redact_record(record)
    assert record.attributes == REDACTOR.redact_value(attributes)
    assert record.input == REDACTOR.redact_value(span_input)
    assert record.output == REDACTOR.redact_value(output)
    assert record.status_message == (REDACTOR.redact_text(status) if status else status)
