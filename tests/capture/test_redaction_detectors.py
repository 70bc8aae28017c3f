"""Value detectors: each entity is found in free text, and its look-alikes are kept."""

from __future__ import annotations

import base64
import json

import pytest

from ratchet.capture.redaction import Redactor

SECRET = b"detector-secret"


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(SECRET)


def _jwt(header: dict[str, str]) -> str:
    def part(data: dict[str, object]) -> str:
        raw = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        return raw.rstrip("=")

    return f"{part(header)}.{part({'sub': '1234567890', 'iat': 1716239022})}.c2lnbmF0dXJl"


FOUND = [
    ("EMAIL", "write to Jane.Doe+billing@Example.co.uk today", "Jane.Doe+billing@Example.co.uk"),
    ("EMAIL", "(mailto:ops@corp.io).", "ops@corp.io"),
    ("PHONE", "call (415) 555-0132 after five", "(415) 555-0132"),
    ("PHONE", "or +44 20 7946 0958 in London", "+44 20 7946 0958"),
    ("PHONE", "Berlin office: 030/12345678.", "030/12345678"),
    ("PHONE", "mobile 06 12 34 56 78 please", "06 12 34 56 78"),
    ("PHONE", "lookup/+16175550170?fields=carrier", "+16175550170"),
    ("CARD", "card 4111 1111 1111 1111 exp 12/28", "4111 1111 1111 1111"),
    ("CARD", "amex 3782-822463-10005 on file", "3782-822463-10005"),
    ("CARD", "pan=5555555555554444;", "5555555555554444"),
    ("IBAN", "IBAN DE89 3704 0044 0532 0130 00 (Commerzbank)", "DE89 3704 0044 0532 0130 00"),
    ("IBAN", "iban:GB82WEST12345698765432", "GB82WEST12345698765432"),
    ("IP", "client 10.20.30.40 retried", "10.20.30.40"),
    ("IP", "from [2600:1f18:abcd::42]:443", "2600:1f18:abcd::42"),
    ("SSN", "SSN 123-45-6789 on the form", "123-45-6789"),
    ("SSN", "social security number 123456789", "123456789"),
    ("JWT", "session=" + _jwt({"alg": "HS256", "typ": "JWT"}) + ";", None),
    ("SECRET", "key sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2 works", "sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2"),
    ("SECRET", "AKIAIOSFODNN7EXAMPLE in the logs", "AKIAIOSFODNN7EXAMPLE"),
    ("SECRET", "token ghp_" + "a1B2c3D4e5" * 3 + "a1B2c3 leaked", "ghp_" + "a1B2c3D4e5" * 3),
    ("SECRET", "dsn postgres://app:hunter2@db.internal:5432/app", "hunter2"),
    ("SECRET", "my password is Tr0ub4dor&3", "Tr0ub4dor&3"),
]


@pytest.mark.parametrize(("entity", "text", "value"), FOUND)
def test_entity_is_replaced_by_a_typed_pseudonym(
    redactor: Redactor, entity: str, text: str, value: str | None
) -> None:
    redacted = redactor.redact_text(text)
    assert f"<{entity}:" in redacted
    if value is not None:
        assert value not in redacted
    # the words around it survive
    assert redacted.split("<", 1)[0] == text.split(value or "eyJ", 1)[0]


KEPT = [
    "react@18.3.1 and @types/node@20.11.5",
    "ping @maria.k about @dataclass",
    "root@db-primary:~$ ls",
    "order 4111111111111112 (fails Luhn)",
    "ids 1714000000 and 9876543210 are not phones",
    "on 2026-04-18 at 10:30:00, invoice 2026-004512",
    "documentation 192.0.2.15, 198.51.100.7, 203.0.113.9 and 2001:db8::1",
    "loopback 127.0.0.1, ::1 and 0.0.0.0",
    "version 1.2.3.4, Chrome/124.0.6367.91, OID 1.3.6.1.4.1.311",
    "std::vector and 12:30:45",
    "SSN 000-12-3456 and 666-12-3456 are never issued",
    "EIN 12-3456789",
    "RF18 5390 0754 7034 is a creditor reference",
    "DE00 0000 0000 0000 0000 00 placeholder",
    "header eyJhbGciOiJIUzI1NiJ9 alone",
    "a.b.c and config.settings.yaml",
    "sk-your-key-here and pk_live_51HxYzAbCdEfGhIjKl",
    "AROAJ2UCCR6DPCEXAMPLE is a role id",
    "masked 411111******1111 and **** **** **** 1881",
]


@pytest.mark.parametrize("text", KEPT)
def test_look_alikes_are_kept(redactor: Redactor, text: str) -> None:
    assert redactor.redact_text(text) == text


def test_a_card_inside_a_longer_digit_run_is_not_a_card(redactor: Redactor) -> None:
    text = "ref 94111111111111111, 41111111111111110 and 1234 4111 1111 1111 1111"
    assert redactor.redact_text(text) == text


def test_a_card_among_other_numbers_is_still_a_card(redactor: Redactor) -> None:
    redacted = redactor.redact_text(
        "paid 500 4111 1111 1111 1111 10 times, cvv 4111 1111 1111 1111 123"
    )
    assert "4111 1111" not in redacted
    assert redacted.count("<CARD:") == 2
    assert redacted.startswith("paid 500 <CARD:")


def test_several_entities_in_one_text_are_all_replaced(redactor: Redactor) -> None:
    text = "Jane (jane@example.com, +1 415 555 0132) paid with 4111-1111-1111-1111 from 10.1.2.3."
    redacted = redactor.redact_text(text)
    for entity in ("EMAIL", "PHONE", "CARD", "IP"):
        assert f"<{entity}:" in redacted
    assert redacted.startswith("Jane (")
    assert redacted.endswith(".")


def test_existing_pseudonyms_are_left_alone(redactor: Redactor) -> None:
    text = "reach <EMAIL:0123456789ab> or <PHONE:123456789012>"
    assert redactor.redact_text(text) == text


def test_non_ascii_text_around_values_is_preserved(redactor: Redactor) -> None:
    text = "Größe: bitte an jürgen@example.de schreiben — 東京 +81 90-1234-5678"
    redacted = redactor.redact_text(text)
    assert redacted.startswith("Größe: bitte an <EMAIL:")
    assert "東京 <PHONE:" in redacted
