"""Checks on the agent's final output text."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import orjson

from ratchet.evaluate.checks.common import failed, listing, one_line, passed
from ratchet.evaluate.checks.registry import Run, check
from ratchet.evaluate.checks.schemas import SchemaProblem, validator
from ratchet.evaluate.results import CheckResult


@lru_cache(maxsize=2048)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A case-insensitive, whole-word pattern for ``phrase``.

    The phrase must be bounded by non-word characters or the ends of the
    text, so ``approved`` does not match ``unapproved``; any run of spaces
    in the phrase matches any run of whitespace in the text.
    """
    body = r"\s+".join(re.escape(word) for word in phrase.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def contains(text: str, phrase: str) -> bool:
    """Whether ``text`` holds ``phrase`` as whole words, ignoring case."""
    if not phrase.strip():
        return True
    return phrase_pattern(phrase).search(text) is not None


@check("output_must_contain")
def output_must_contain(run: Run, phrases: list[str], /) -> CheckResult:
    """The output contains every listed phrase, as whole words, ignoring case.

    ``approved`` matches "Approved." and "was approved" but not
    "unapproved". The message names the phrases missing.

    ```yaml
    expect:
      output_must_contain: [approval, "a colleague will"]
    ```
    """
    text = run.output or ""
    missing = [phrase for phrase in phrases if not contains(text, phrase)]
    if missing:
        return failed("output_must_contain", f"output lacks: {listing(map(repr, missing))}")
    return passed("output_must_contain", f"output contains all {len(phrases)} phrases")


@check("output_must_not_contain")
def output_must_not_contain(run: Run, phrases: list[str], /) -> CheckResult:
    """The output contains none of the listed phrases, as whole words, ignoring case.

    The message names the phrases found.

    ```yaml
    expect:
      output_must_not_contain: [approved, processed, completed]
    ```
    """
    text = run.output or ""
    found = [phrase for phrase in phrases if phrase.strip() and contains(text, phrase)]
    if found:
        return failed("output_must_not_contain", f"output says: {listing(map(repr, found))}")
    return passed("output_must_not_contain", f"output free of {len(phrases)} phrases")


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@check("output_regex")
def output_regex(run: Run, pattern: str, /) -> CheckResult:
    """The regular expression matches somewhere in the output (Python ``re.search``).

    Case matters unless the pattern says otherwise (``(?i)…``).

    ```yaml
    expect:
      output_regex: "(?i)ticket #\\\\d+"
    ```
    """
    try:
        compiled = _regex(pattern)
    except re.error as exc:
        return failed("output_regex", f"invalid output_regex '{pattern}': {exc}")
    if run.output is None:
        return failed("output_regex", "no output to match")
    if compiled.search(run.output):
        return passed("output_regex", f"output matches '{pattern}'")
    return failed("output_regex", f"output does not match '{pattern}'")


@check("output_schema")
def output_schema(run: Run, schema: dict[str, Any], /) -> CheckResult:
    """The output is JSON that validates against the JSON Schema.

    Output that is not JSON fails, saying so. The message of a failure
    names where in the document validation failed.

    ```yaml
    expect:
      output_schema:
        type: object
        required: [decision]
        properties: {decision: {enum: [approve, escalate]}}
    ```
    """
    if run.output is None:
        return failed("output_schema", "no output: expected JSON")
    try:
        document = orjson.loads(run.output)
    except orjson.JSONDecodeError as exc:
        return failed("output_schema", f"output is not JSON ({one_line(str(exc), 80)})")
    try:
        validate = validator(schema)
    except SchemaProblem as exc:
        return failed("output_schema", f"output_schema: {exc}")
    why = validate(document)
    if why is not None:
        return failed("output_schema", f"output does not match the schema: {why}")
    return passed("output_schema", "output matches the schema")
