"""redact_record's shortcuts: only the parts with a match are walked, and nothing is missed.

A span with a sensitive value in one part has its other parts left as they
are (the very same objects); a part shared by two fields is read once; an
attribute named like a span field is judged on its own; and however a
string is reached, it is redacted to the same fixed point.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from ratchet.capture.redaction import Redactor, pii_detectors
from ratchet.capture.redaction.detector import Finding, ScanContext
from ratchet.store.records import SpanRecord

SECRET = b"screening-secret"


def _span(**fields: Any) -> SpanRecord:
    base: dict[str, Any] = {
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "span_id": "00f067aa0ba902b7",
        "name": "step",
        "start_ns": 1_760_000_000_000_000_000,
    }
    base.update(fields)
    return SpanRecord(**base)


def _stored(record: SpanRecord) -> str:
    fields = ("attributes", "input", "output", "tool_arguments", "tool_result", "events")
    return json.dumps([getattr(record, name) for name in (*fields, "status_message")])


def test_parts_without_a_match_come_back_untouched() -> None:
    question = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]
    answer = [{"role": "assistant", "content": "Write to jane.doe@example.com for a refund."}]
    record = _span(
        attributes={"openinference.span.kind": "LLM", "otel.scope": "openinference.openai"},
        input=question,
        output=answer,
    )
    redactor = Redactor(SECRET)
    redactor.redact_record(record)
    assert record.input is question
    assert "jane.doe@example.com" not in _stored(record)
    assert record.output[0]["content"].startswith("Write to <EMAIL:")


def test_an_attribute_named_like_a_span_field_is_redacted_on_its_own() -> None:
    record = _span(
        attributes={"input": "from jane.doe@example.com", "output": "x", "events": "10.20.30.40"},
        input="call +1 415 555 2671",
        output="nothing here",
    )
    Redactor(SECRET).redact_record(record)
    stored = _stored(record)
    for leaked in ("jane.doe@example.com", "555 2671", "10.20.30.40"):
        assert leaked not in stored


def test_tool_arguments_that_are_the_input_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[str] = []
    real = pii_detectors.find_emails

    def counting(context: ScanContext) -> list[Finding]:
        scanned.append(context.text)
        return real(context)

    monkeypatch.setattr(pii_detectors, "find_emails", counting)
    arguments = {"to": "jane.doe@example.com", "note": "refund approved"}
    result = {"status": "sent to jane.doe@example.com"}
    record = _span(input=arguments, tool_arguments=arguments, output=result, tool_result=result)
    Redactor(SECRET).redact_record(record)
    assert "jane.doe@example.com" not in _stored(record)
    # one walk each, shared: the fields stay one object, as they came
    assert record.tool_arguments is record.input
    assert record.tool_result is record.output
    assert scanned.count("jane.doe@example.com") == 1


@pytest.mark.parametrize(
    "text",
    [
        # the phone only becomes acceptable once the token before it is replaced
        "Authorization: Bearer abcdefghijkl1234==+14155552671",
        "token=abc123def456ghi789+14155552671 and jane.doe@example.com",
    ],
)
def test_every_path_reaches_the_same_fixed_point(text: str) -> None:
    redactor = Redactor(SECRET)
    by_text = redactor.redact_text(text)
    record = _span(attributes={"note": text}, input={"q": text}, status_message=text)
    redactor.redact_record(record)
    assert record.attributes["note"] == by_text
    assert record.input == {"q": by_text}
    assert record.status_message == by_text
    assert redactor.redact_text(by_text) == by_text
    assert "4155552671" not in by_text


def test_a_string_seen_clean_stays_clean_after_a_hit_elsewhere() -> None:
    redactor = Redactor(SECRET)
    scope = "openinference.instrumentation.openai"
    for n in range(3):
        record = _span(
            attributes={"otel.scope": scope, "note": f"mail jane{n}@example.com"},
            input="plain words",
        )
        redactor.redact_record(record)
        assert record.attributes["otel.scope"] == scope
        assert record.attributes["note"].startswith("mail <EMAIL:")
        assert record.input == "plain words"


def test_a_span_and_its_copy_redact_alike() -> None:
    record = _span(
        attributes={
            "metadata": json.dumps({"password": "hunter2", "channel": "chat"}),
            "retrieval.documents.0.document.content": "SSN 123-45-6789 on file",
            "llm.token_count.prompt": 120,
        },
        input={"messages": [{"role": "user", "content": "my card is 4111 1111 1111 1111"}]},
        events=[{"name": "log", "attributes": {"message": "retry from 10.20.30.40"}}],
        user_id="u-42",
    )
    twin = copy.deepcopy(record)
    redactor = Redactor(SECRET)
    redactor.redact_record(record)
    assert record.attributes == redactor.redact_value(twin.attributes)
    assert record.input == redactor.redact_value(twin.input)
    assert record.events[0]["attributes"] == redactor.redact_value(twin.events[0]["attributes"])
    stored = _stored(record)
    for leaked in ("hunter2", "123-45-6789", "4111 1111", "10.20.30.40"):
        assert leaked not in stored
