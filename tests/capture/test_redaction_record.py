"""redact_record: every redactable field of a span, and nothing else."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from ratchet.capture.redaction import RULESET_VERSION, RedactionConfig, Redactor
from ratchet.store.records import SpanRecord

SECRET = b"record-secret"
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
SPAN = "00f067aa0ba902b7"


def _record(**fields: Any) -> SpanRecord:
    base: dict[str, Any] = {
        "trace_id": TRACE,
        "span_id": SPAN,
        "parent_span_id": "a3ce929d0e0e4736",
        "name": "read_order",
        "start_ns": 1_760_000_000_000_000_000,
        "end_ns": 1_760_000_000_400_000_000,
        "type": "tool",
        "status": "error",
        "model": "gpt-4o-mini",
        "input_tokens": 312,
        "output_tokens": 40,
        "total_tokens": 352,
        "cost": 0.0031,
        "session_id": "jane@example.com",
        "service": "support-agent",
    }
    base.update(fields)
    return SpanRecord(**base)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(SECRET)


def test_every_redactable_field_is_redacted(redactor: Redactor) -> None:
    record = _record(
        attributes={
            "input.value": json.dumps({"messages": [{"content": "I'm bob@example.com"}]}),
            "http.request.header.authorization": "Bearer tok-a1b2c3d4e5",
            "llm.token_count.prompt": 312,
            "session.id": "jane@example.com",
            "user.id": "u-42",
        },
        events=[
            {"name": "exception", "time_ns": 5, "attributes": {"exception.message": "no 10.1.2.3"}}
        ],
        input={"query": "card 4111 1111 1111 1111"},
        output="Sent to +44 20 7946 0958",
        tool_arguments={"to": "bob@example.com", "api_key": "k-1"},
        tool_result=["ok", {"ssn": "123-45-6789"}],
        status_message="refused for jane@example.com",
        user_id="u-42",
    )
    redactor.redact_record(record)
    blob = json.dumps(
        [
            record.attributes,
            record.events,
            record.input,
            record.output,
            record.tool_arguments,
            record.tool_result,
            record.status_message,
        ]
    )
    for leaked in ("bob@example.com", "tok-a1b2c3d4e5", "10.1.2.3", "4111 1111", "7946", "k-1"):
        assert leaked not in blob
    assert "123-45-6789" not in blob
    assert record.attributes["http.request.header.authorization"].startswith("Bearer <SECRET:")
    assert record.status_message == "refused for <EMAIL:" + record.status_message.split(":", 1)[1]
    assert record.user_id is not None and record.user_id.startswith("<USER:")
    assert record.attributes["user.id"] == record.user_id
    assert record.events[0]["name"] == "exception" and record.events[0]["time_ns"] == 5


def test_identity_numbers_and_session_are_never_touched(redactor: Redactor) -> None:
    record = _record(attributes={"session.id": "jane@example.com", "retries": 3})
    before = copy.deepcopy(record)
    redactor.redact_record(record)
    for name in (
        "trace_id",
        "span_id",
        "parent_span_id",
        "name",
        "type",
        "status",
        "model",
        "input_tokens",
        "output_tokens",
        "total_tokens",
        "cost",
        "start_ns",
        "end_ns",
        "session_id",
        "service",
    ):
        assert getattr(record, name) == getattr(before, name), name
    assert record.attributes == {"session.id": "jane@example.com", "retries": 3}


def test_the_ruleset_version_is_stamped(redactor: Redactor) -> None:
    record = _record()
    redactor.redact_record(record)
    assert record.redaction_version == RULESET_VERSION
    custom = Redactor(SECRET, RedactionConfig(allow_values=["x"]))
    other = _record()
    custom.redact_record(other)
    assert other.redaction_version == custom.version != RULESET_VERSION


def test_a_clean_span_keeps_its_values_as_they_were(redactor: Redactor) -> None:
    document = '{"messages": [{"role": "user", "content": "Where is my parcel?"}]}'
    record = _record(
        attributes={"input.value": document, "llm.model_name": "gpt-4o", "retry": 1},
        input=document,
        output="It ships on 2026-04-18.",
    )
    redactor.redact_record(record)
    assert record.attributes["input.value"] is document
    assert record.input is document
    assert record.output == "It ships on 2026-04-18."


def test_the_span_input_shared_with_input_value_is_redacted_once_and_alike(
    redactor: Redactor,
) -> None:
    document = json.dumps({"messages": [{"content": "mail me at jane@example.com"}]})
    record = _record(attributes={"input.value": document}, input=document)
    redactor.redact_record(record)
    assert "jane@example.com" not in record.input
    assert record.input == record.attributes["input.value"]


def test_the_record_matches_redacting_each_field_on_its_own(redactor: Redactor) -> None:
    # the span-level shortcut must never disagree with the per-value path
    fields: dict[str, Any] = {
        "attributes": {
            "a": "plain text",
            "b": "call (415) 555-0132",
            "c": json.dumps({"password": "x", "n": 1}),
            "d": ["10.20.30.40", "ok"],
            "llm.input_messages.0.message.content": "My IBAN is GB82WEST12345698765432",
        },
        "input": {"nested": {"deeper": "ssn 123-45-6789"}},
        "output": "nothing to see",
        "tool_arguments": {"cookie": "theme=dark; sid=abcdef0123456789abcd"},
        "tool_result": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZw",
        "status_message": "timeout",
    }
    record = _record(**copy.deepcopy(fields))
    redactor.redact_record(record)
    for name, value in fields.items():
        assert getattr(record, name) == redactor.redact_value(value), name
