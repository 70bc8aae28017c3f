"""JSON held in strings is walked: key rules and detectors apply inside, structure survives."""

from __future__ import annotations

import json

import pytest

from ratchet.capture.redaction import Redactor, is_pseudonym


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(b"json-secret")


def test_json_in_a_string_is_redacted_and_keeps_its_shape(redactor: Redactor) -> None:
    document = {
        "messages": [
            {"role": "user", "content": "I'm jane@example.com, card 4111 1111 1111 1111"},
            {"role": "assistant", "content": "Thanks, looking it up."},
        ],
        "api_key": "k-123",
        "temperature": 0.2,
        "max_tokens": 512,
        "stream": False,
        "stop": None,
    }
    redacted = json.loads(redactor.redact_value(json.dumps(document), key="input.value"))
    assert set(redacted) == set(document)
    assert redacted["temperature"] == 0.2
    assert redacted["max_tokens"] == 512
    assert redacted["stream"] is False
    assert redacted["stop"] is None
    assert is_pseudonym(redacted["api_key"])
    first = redacted["messages"][0]
    assert first["role"] == "user"
    assert "jane@example.com" not in first["content"]
    assert "<EMAIL:" in first["content"] and "<CARD:" in first["content"]
    assert redacted["messages"][1] == document["messages"][1]


def test_a_document_needing_nothing_comes_back_byte_for_byte(redactor: Redactor) -> None:
    text = '{ "b": [1, 2.50, "x"],\n  "a": "plain words" }'
    assert redactor.redact_value(text, key="input.value") is text
    assert redactor.redact_text(text) is text


def test_a_changed_document_is_reserialised_compactly(redactor: Redactor) -> None:
    text = '{"a": "mail jane@example.com",  "b": 1}'
    redacted = redactor.redact_text(text)
    assert redacted.startswith('{"a":"mail <EMAIL:')
    assert redacted.endswith('>","b":1}')


def test_json_inside_json_is_walked_too(redactor: Redactor) -> None:
    inner = json.dumps({"password": "hunter2", "to": "bob@example.com"})
    outer = json.dumps([{"tool": "send", "arguments": inner}])
    redacted = json.loads(redactor.redact_text(outer))
    arguments = json.loads(redacted[0]["arguments"])
    assert is_pseudonym(arguments["password"])
    assert arguments["to"].startswith("<EMAIL:")


def test_non_ascii_json_survives(redactor: Redactor) -> None:
    text = json.dumps({"note": "Grüße an jane@example.com", "city": "Zürich"}, ensure_ascii=True)
    redacted = json.loads(redactor.redact_text(text))
    assert redacted["city"] == "Zürich"
    assert redacted["note"].startswith("Grüße an <EMAIL:")


def test_text_that_only_looks_like_json_is_scanned_as_text(redactor: Redactor) -> None:
    text = "[INFO] user jane@example.com logged in {retry=2"
    redacted = redactor.redact_text(text)
    assert redacted.startswith("[INFO] user <EMAIL:")
    assert redacted.endswith("logged in {retry=2")


def test_secret_keys_in_broken_json_are_still_caught(redactor: Redactor) -> None:
    text = '{"password": "hunter2", "note": "truncated...'
    redacted = redactor.redact_text(text)
    assert "hunter2" not in redacted
    assert redacted.startswith('{"password": "<SECRET:')


def test_deeply_nested_values_are_redacted_without_exhausting_the_stack(
    redactor: Redactor,
) -> None:
    value: object = {"email": "deep@example.com"}
    for _ in range(3000):
        value = {"next": value}
    redacted = redactor.redact_value(value)
    for _ in range(3000):
        assert isinstance(redacted, dict)
        redacted = redacted["next"]
    assert isinstance(redacted, dict)
    assert redacted["email"].startswith("<EMAIL:")
