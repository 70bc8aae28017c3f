"""Pseudonyms: typed, stable per project secret, the same for every spelling of a value."""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest

from ratchet.capture.redaction import PSEUDONYM_RE, Redactor, is_pseudonym

SECRET = b"project-one-secret"


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(SECRET)


def _token(text: str, entity: str) -> str:
    found = re.findall(rf"<{entity}:[0-9a-f]{{12}}>", text)
    assert len(found) == 1, text
    return str(found[0])


def test_pseudonym_is_the_documented_hmac(redactor: Redactor) -> None:
    digest = hmac.new(SECRET, b"EMAIL:jane@example.com", hashlib.sha256).hexdigest()[:12]
    assert redactor.redact_text("mail jane@example.com") == f"mail <EMAIL:{digest}>"


def test_same_value_same_secret_gives_the_same_pseudonym() -> None:
    first = Redactor(SECRET).redact_text("card 4111 1111 1111 1111")
    second = Redactor(SECRET).redact_text("other card 4111 1111 1111 1111 here")
    assert _token(first, "CARD") == _token(second, "CARD")


def test_another_secret_gives_another_pseudonym() -> None:
    text = "mail jane@example.com"
    assert Redactor(SECRET).redact_text(text) != Redactor(b"project-two").redact_text(text)


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="secret"):
        Redactor(b"")


@pytest.mark.parametrize(
    ("entity", "spellings"),
    [
        ("EMAIL", ["Jane.Doe@Example.com", "jane.doe@example.com", "JANE.DOE@EXAMPLE.COM"]),
        ("CARD", ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111"]),
        ("PHONE", ["(415) 555-0132", "+1 415 555 0132", "415.555.0132", "+14155550132"]),
        ("IBAN", ["DE89 3704 0044 0532 0130 00", "DE89370400440532013000"]),
        ("IP", ["2600:1f18:abcd:0::42", "2600:1F18:ABCD::42"]),
        ("SSN", ["123-45-6789", "123 45 6789"]),
    ],
)
def test_spellings_of_one_value_join(redactor: Redactor, entity: str, spellings: list[str]) -> None:
    tokens = {_token(redactor.redact_text(f"value: {s} ok"), entity) for s in spellings}
    assert len(tokens) == 1


def test_a_pseudonym_does_not_hold_the_value(redactor: Redactor) -> None:
    redacted = redactor.redact_text("SSN 123-45-6789")
    assert "6789" not in redacted
    assert PSEUDONYM_RE.search(redacted) is not None


def test_is_pseudonym_recognises_only_whole_pseudonyms() -> None:
    assert is_pseudonym("<SECRET:0123456789ab>")
    assert not is_pseudonym("<SECRET:0123456789ab> and more")
    assert not is_pseudonym("<secret:0123456789ab>")
    assert not is_pseudonym("<SECRET:0123456789>")
