"""Key rules: what a key says about its value, and what is never redacted."""

from __future__ import annotations

import pytest

from ratchet.capture.redaction import Redactor, is_pseudonym

SECRET = b"key-rules-secret"


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(SECRET)


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "db.password",
        "USER_PASSWORD",
        "client_secret",
        "aws.secret_access_key",
        "api_key",
        "apiKey",
        "apikey",
        "x-api-key",
        "http.request.header.x-api-key",
        "access_token",
        "accessToken",
        "refresh_token",
        "github_token",
        "auth_token",
        "private_key",
        "credentials",
        "token",
    ],
)
def test_secret_keys_replace_the_whole_value(redactor: Redactor, key: str) -> None:
    redacted = redactor.redact_value("hunter2 and more words", key=key)
    assert redacted.startswith("<SECRET:")
    assert is_pseudonym(redacted)


def test_authorization_keeps_its_scheme_and_hides_the_credential(redactor: Redactor) -> None:
    redacted = redactor.redact_value("Bearer abc.def.ghi", key="http.request.header.authorization")
    assert redacted.startswith("Bearer <SECRET:")
    assert "abc.def.ghi" not in redacted
    opaque = redactor.redact_value("opaque-credential", key="Authorization")
    assert is_pseudonym(opaque)


def test_a_list_under_a_secret_key_is_replaced_item_by_item(redactor: Redactor) -> None:
    redacted = redactor.redact_value(["Bearer one-token", "Bearer two-token"], key="authorization")
    assert all(item.startswith("Bearer <SECRET:") for item in redacted)
    assert "one-token" not in str(redacted)


def test_a_map_under_a_secret_key_is_judged_by_its_own_keys(redactor: Redactor) -> None:
    value = {"auth": {"access_token": "tok-1234567890", "token_type": "Bearer", "expires_in": 3600}}
    redacted = redactor.redact_value(value)
    assert redacted["auth"]["token_type"] == "Bearer"
    assert redacted["auth"]["expires_in"] == 3600
    assert is_pseudonym(redacted["auth"]["access_token"])


@pytest.mark.parametrize("placeholder", ["${OPENAI_API_KEY}", "$AWS_KEY", "<your key>", "****"])
def test_placeholders_under_secret_keys_stay(redactor: Redactor, placeholder: str) -> None:
    assert redactor.redact_value(placeholder, key="api_key") == placeholder


def test_cookie_headers_lose_credentials_but_keep_preferences(redactor: Redactor) -> None:
    cookie = "theme=dark; sessionid=a81f0c3e9d2b47c1; lang=en"
    redacted = redactor.redact_value(cookie, key="http.request.header.cookie")
    assert "theme=dark" in redacted
    assert "lang=en" in redacted
    assert "a81f0c3e9d2b47c1" not in redacted
    assert "sessionid=<SECRET:" in redacted


@pytest.mark.parametrize(
    "key",
    [
        "llm.token_count.prompt",
        "llm.token_count.total",
        "gen_ai.usage.input_tokens",
        "gen_ai.usage.output_tokens",
        "max_tokens",
        "next_page_token",
    ],
)
def test_token_counts_and_cursors_are_not_secrets(redactor: Redactor, key: str) -> None:
    assert redactor.redact_value("1234", key=key) == "1234"
    assert redactor.redact_value(1234, key=key) == 1234


@pytest.mark.parametrize("key", ["session.id", "session_id", "trace_id", "span_id", "tool.name"])
def test_ids_and_names_are_kept_exactly_even_when_they_look_sensitive(
    redactor: Redactor, key: str
) -> None:
    value = "jane.doe@example.com"
    assert redactor.redact_value(value, key=key) == value


def test_numbers_and_booleans_are_never_touched(redactor: Redactor) -> None:
    value = {"password": 1234, "phone": 4155550132, "ratio": 0.5, "secret": True, "card": None}
    assert redactor.redact_value(value) == value


def test_user_ids_are_pseudonymised_whole_and_consistently(redactor: Redactor) -> None:
    first = redactor.redact_value({"user.id": "u-1842"})
    second = redactor.redact_value("u-1842", key="enduser.id")
    assert first["user.id"].startswith("<USER:")
    assert first["user.id"] == second


def test_key_rules_apply_inside_nested_arguments(redactor: Redactor) -> None:
    value = {"request": {"headers": {"X-Api-Key": "k-8f2a9c", "Accept": "application/json"}}}
    redacted = redactor.redact_value(value)
    assert is_pseudonym(redacted["request"]["headers"]["X-Api-Key"])
    assert redacted["request"]["headers"]["Accept"] == "application/json"


def test_secret_assignments_in_free_text_follow_the_key_rules(redactor: Redactor) -> None:
    text = "retrying with password=s3cr3t! and max_tokens=512, api_key: 'k-77aa'"
    redacted = redactor.redact_text(text)
    assert "s3cr3t!" not in redacted
    assert "k-77aa" not in redacted
    assert "max_tokens=512" in redacted


def test_a_phone_key_lets_a_bare_number_count_as_a_phone(redactor: Redactor) -> None:
    assert redactor.redact_value("4155550132", key="customer.phone").startswith("<PHONE:")
    assert redactor.redact_value("4155550132", key="order.id") == "4155550132"


def test_a_version_key_keeps_a_dotted_quad(redactor: Redactor) -> None:
    assert redactor.redact_value("4.18.2.10", key="service.version") == "4.18.2.10"
    assert redactor.redact_value("4.18.2.10", key="client.address").startswith("<IP:")


def test_plural_credential_keys_are_not_mistaken_for_token_counts(redactor: Redactor) -> None:
    value = {"refresh_tokens": ["r-1a2b3c"], "tokens": ["ghp_" + "a1B2c3D4e5" * 4]}
    redacted = redactor.redact_value(value)
    assert is_pseudonym(redacted["refresh_tokens"][0])
    assert redacted["tokens"][0].startswith("<SECRET:")
