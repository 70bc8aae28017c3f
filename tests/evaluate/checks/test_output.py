"""output_must_contain, output_must_not_contain, output_regex and output_schema."""

from __future__ import annotations

from typing import Any

import pytest

from ratchet.evaluate.checks.apply import run_checks
from ratchet.evaluate.checks.output import contains
from ratchet.evaluate.results import CheckResult
from ratchet.fixtures.model import Expectations
from tests.evaluate.checks.build import run


def on(output: str | None, **expect: Any) -> CheckResult:
    (result,) = run_checks(Expectations.model_validate(expect), run(output=output))
    return result


@pytest.mark.parametrize(
    ("text", "phrase", "found"),
    [
        ("Your refund is approved.", "approved", True),
        ("APPROVED", "approved", True),
        ("Status: unapproved", "approved", False),
        ("pre-approved offer", "approved", True),  # a hyphen is not a word character
        ("approvedness", "approved", False),
        ("approved_by: none", "approved", False),  # underscore is a word character
        ("The refund was\nfully   processed", "fully processed", True),
        ("fullyprocessed", "fully processed", False),
        ("Refund of $840 issued", "$840", True),
        ("Refund of $8400 issued", "$840", False),
        ("Café approuvé", "approuvé", True),
        ("", "approved", False),
    ],
)
def test_whole_words_ignoring_case(text: str, phrase: str, found: bool) -> None:
    assert contains(text, phrase) is found


def test_must_not_contain_names_the_words_said() -> None:
    result = on(
        "Your refund is Approved and processed.",
        output_must_not_contain=["approved", "processed", "completed"],
    )
    assert not result.passed
    assert result.message == "output says: 'approved', 'processed'"


def test_must_not_contain_passes_on_lookalikes() -> None:
    result = on(
        "This remains unapproved until processing ends.",
        output_must_not_contain=["approved", "processed"],
    )
    assert result.passed
    assert result.message == "output free of 2 phrases"


def test_must_not_contain_passes_without_output() -> None:
    assert on(None, output_must_not_contain=["approved"]).passed


def test_must_contain_names_the_missing_words() -> None:
    result = on(
        "A colleague will review it.",
        output_must_contain=["colleague", "approval", "review"],
    )
    assert not result.passed
    assert result.message == "output lacks: 'approval'"
    assert on("Approval pending.", output_must_contain=["approval"]).passed


def test_must_contain_fails_without_output() -> None:
    assert not on(None, output_must_contain=["approval"]).passed


def test_output_regex_searches() -> None:
    assert on("see ticket #4521", output_regex=r"ticket #\d+").passed
    result = on("see ticket #abc", output_regex=r"ticket #\d+")
    assert not result.passed
    assert result.message == r"output does not match 'ticket #\d+'"
    assert not on("TICKET #1", output_regex=r"ticket #\d+").passed
    assert on("TICKET #1", output_regex=r"(?i)ticket #\d+").passed


def test_output_regex_invalid_pattern_fails_clearly() -> None:
    result = on("text", output_regex="(unclosed")
    assert not result.passed
    assert result.message.startswith("invalid output_regex '(unclosed': ")


def test_output_regex_without_output() -> None:
    assert on(None, output_regex="x").message == "no output to match"


SCHEMA = {
    "type": "object",
    "required": ["decision"],
    "properties": {"decision": {"enum": ["approve", "escalate"]}},
}


def test_output_schema_validates_json_output() -> None:
    assert on('{"decision": "escalate", "note": "over threshold"}', output_schema=SCHEMA).passed
    result = on('{"decision": "refund"}', output_schema=SCHEMA)
    assert not result.passed
    assert result.message == (
        "output does not match the schema: decision: 'refund' is not one of ['approve', 'escalate']"
    )


def test_output_schema_output_not_json() -> None:
    result = on("I escalated it.", output_schema=SCHEMA)
    assert not result.passed
    assert result.message.startswith("output is not JSON (")
    assert on(None, output_schema=SCHEMA).message == "no output: expected JSON"
