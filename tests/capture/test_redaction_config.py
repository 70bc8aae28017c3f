"""A project's own rules: extra keys and entities, allow-lists, switches, and the version."""

from __future__ import annotations

import pytest

from ratchet.capture.redaction import (
    RULESET_VERSION,
    ExtraPattern,
    RedactionConfig,
    Redactor,
    is_pseudonym,
)

SECRET = b"config-secret"


def test_extra_key_patterns_make_more_keys_secret() -> None:
    redactor = Redactor(SECRET, RedactionConfig(extra_key_patterns=["x-internal-*", "*pin"]))
    assert is_pseudonym(redactor.redact_value("abc", key="http.request.header.X-Internal-Route"))
    assert is_pseudonym(redactor.redact_value("1234", key="card_pin"))
    assert redactor.redact_value("abc", key="x-other") == "abc"
    assert Redactor(SECRET).redact_value("1234", key="card_pin") == "1234"


def test_extra_key_patterns_apply_inside_json_and_free_text() -> None:
    redactor = Redactor(SECRET, RedactionConfig(extra_key_patterns=["*memberno*"]))
    assert "77-1" not in redactor.redact_text('{"memberNo": "77-1", "ok": true}')
    assert "77-1" not in redactor.redact_text("lookup memberno=77-1 done")


def test_extra_patterns_add_entities_with_their_own_type() -> None:
    config = RedactionConfig(extra_patterns=[ExtraPattern(name="employee_id", regex=r"EMP-\d{6}")])
    redactor = Redactor(SECRET, config)
    redacted = redactor.redact_text("assign EMP-004211 and EMP-004211 to jane@example.com")
    tokens = [part for part in redacted.split() if part.startswith("<EMPLOYEE_ID:")]
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert "<EMAIL:" in redacted


def test_extra_patterns_with_look_around_still_run() -> None:
    config = RedactionConfig(extra_patterns=[{"name": "ticket", "regex": r"(?<=#)\d{5}\b"}])
    assert "<TICKET:" in Redactor(SECRET, config).redact_text("see #48213 for details")


def test_allow_values_are_never_redacted() -> None:
    config = RedactionConfig(allow_values=["support@acme.example", "hunter2"])
    redactor = Redactor(SECRET, config)
    text = "write to support@acme.example or jane@example.com"
    redacted = redactor.redact_text(text)
    assert "support@acme.example" in redacted
    assert "jane@example.com" not in redacted
    assert redactor.redact_value("hunter2", key="password") == "hunter2"


def test_allow_patterns_keep_their_full_matches() -> None:
    config = RedactionConfig(allow_patterns=[r"[a-z.]+@acme\.example", r"10\.0\.0\.\d+"])
    redactor = Redactor(SECRET, config)
    redacted = redactor.redact_text("ops@acme.example, 10.0.0.7, 10.9.0.7, bob@other.example")
    assert "ops@acme.example" in redacted and "10.0.0.7" in redacted
    assert "10.9.0.7" not in redacted and "bob@other.example" not in redacted


def test_disabled_detectors_are_switched_off_by_entity_or_name() -> None:
    text = "from 10.20.30.40 or 2600:1f18::42, mail jane@example.com"
    no_ip = Redactor(SECRET, RedactionConfig(disabled_detectors=["IP"])).redact_text(text)
    assert "10.20.30.40" in no_ip and "2600:1f18::42" in no_ip and "<EMAIL:" in no_ip
    no_v6 = Redactor(SECRET, RedactionConfig(disabled_detectors=["ipv6"])).redact_text(text)
    assert "10.20.30.40" not in no_v6 and "2600:1f18::42" in no_v6


def test_key_rules_cannot_be_switched_off() -> None:
    redactor = Redactor(SECRET, RedactionConfig(disabled_detectors=["SECRET"]))
    assert is_pseudonym(redactor.redact_value("hunter2", key="password"))
    assert "sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2" in redactor.redact_text(
        "sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2"
    )


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"extra_patterns": [{"name": "ORDER", "regex": "ORD-(\\d+"}]}, "ORD-(\\d+"),
        ({"allow_patterns": ["[unclosed"]}, "[unclosed"),
        ({"extra_patterns": [{"name": "EMPTY", "regex": "x*"}]}, "x*"),
        ({"extra_patterns": [{"name": "9lives", "regex": "x"}]}, "9lives"),
        ({"disabled_detectors": ["fax"]}, "fax"),
        ({"extra_key_patterns": ["  "]}, "empty glob"),
    ],
)
def test_bad_config_is_refused_with_a_message_naming_the_culprit(
    config: dict[str, object], named: str
) -> None:
    with pytest.raises(ValueError) as caught:
        RedactionConfig.model_validate(config)
    assert named in str(caught.value)


def test_unknown_config_fields_are_refused() -> None:
    with pytest.raises(ValueError, match="allow_value"):
        RedactionConfig.model_validate({"allow_value": ["x"]})


def test_version_is_the_ruleset_by_default_and_changes_with_the_config() -> None:
    default = Redactor(SECRET).version
    assert default == RULESET_VERSION
    assert Redactor(b"other secret").version == default
    first = Redactor(SECRET, RedactionConfig(allow_values=["a"])).version
    second = Redactor(SECRET, RedactionConfig(allow_values=["b"])).version
    again = Redactor(SECRET, RedactionConfig(allow_values=["a"])).version
    assert first.startswith(RULESET_VERSION + "+")
    assert len({default, first, second}) == 3
    assert first == again
