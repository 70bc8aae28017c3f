"""run_checks: which checks run and in what order, plugins, and checks that misbehave."""

from __future__ import annotations

import importlib.metadata
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ratchet.evaluate.checks import plugins
from ratchet.evaluate.checks.apply import BUILTIN_CHECKS, run_checks
from ratchet.evaluate.checks.registry import REGISTRY, Run, check
from ratchet.evaluate.results import CheckResult
from ratchet.fixtures.model import Expectations
from tests.evaluate.checks.build import refund_run

PLUGIN_MODULE = "ratchet_test_plugin_checks"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Checks registered by a test vanish after it; plugins are read afresh."""
    monkeypatch.setattr(REGISTRY, "_checks", dict(REGISTRY._checks))
    plugins.reset_plugins()
    yield
    plugins.reset_plugins()
    sys.modules.pop(PLUGIN_MODULE, None)


def fake_entry_points(
    monkeypatch: pytest.MonkeyPatch, *entries: tuple[str, str]
) -> list[importlib.metadata.EntryPoint]:
    """Make ``importlib.metadata`` list these (name, value) pairs as ``ratchet.checks``."""
    found = [importlib.metadata.EntryPoint(name, value, plugins.GROUP) for name, value in entries]
    calls: list[importlib.metadata.EntryPoint] = []

    def entry_points(**selection: Any) -> list[importlib.metadata.EntryPoint]:
        assert selection == {"group": plugins.GROUP}
        calls.extend(found)
        return found

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    return calls


def write_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    (tmp_path / f"{PLUGIN_MODULE}.py").write_text(textwrap.dedent(body))
    monkeypatch.syspath_prepend(str(tmp_path))


def test_every_expectation_field_but_judges_has_a_check() -> None:
    assert BUILTIN_CHECKS == (
        "required_spans",
        "forbidden_spans",
        "order",
        "tools_called",
        "tools_not_called",
        "tool_args",
        "stop_reason",
        "final_status",
        "output_must_contain",
        "output_must_not_contain",
        "output_regex",
        "output_schema",
        "budgets",
        "no_error_spans",
        "no_tool_after_denial",
    )
    for name in BUILTIN_CHECKS:
        registered = REGISTRY.get(name)
        assert registered is not None and registered.doc, name


def test_only_set_fields_run_in_field_order() -> None:
    expect = Expectations.model_validate(
        {
            "no_error_spans": True,
            "output_must_not_contain": ["approved"],
            "required_spans": ["tool:read_order"],
            "stop_reason": "needs_human_approval",
            "reference_output": "A colleague will review your refund.",
            "judges": ["tone"],
            "forbidden_spans": [],
        }
    )
    results = run_checks(expect, refund_run())
    assert [r.check for r in results] == [
        "required_spans",
        "stop_reason",
        "output_must_not_contain",
        "no_error_spans",
    ]
    assert all(r.passed for r in results)


def test_empty_expectations_run_nothing() -> None:
    assert run_checks(Expectations(), refund_run()) == []


def test_the_run_index_is_built_once_for_all_checks() -> None:
    run = refund_run()
    expect = Expectations(required_spans=["tool:read_order"], tools_called=["read_order"])
    run_checks(expect, run)
    index = run.index
    run_checks(expect, run)
    assert run.index is index


def test_a_check_that_raises_fails_instead_of_crashing(registry: None) -> None:
    @check("explodes")
    def explodes(run: Run, params: Any, /) -> CheckResult:
        raise KeyError("missing_field")

    expect = Expectations(required_spans=["tool:read_order"], checks={"explodes": {}})
    results = run_checks(expect, refund_run())
    assert [(r.check, r.passed) for r in results] == [
        ("required_spans", True),
        ("explodes", False),
    ]
    assert results[1].message == "check explodes raised: KeyError: 'missing_field'"


def test_a_check_that_returns_garbage_fails(registry: None) -> None:
    @check("garbage")
    def garbage(run: Run, params: Any, /) -> Any:
        return True

    (result,) = run_checks(Expectations(checks={"garbage": None}), refund_run())
    assert not result.passed
    assert result.message == "check garbage returned bool, not a CheckResult"


def test_unknown_check_says_did_you_mean(registry: None, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch)

    @check("no_pii_leak")
    def no_pii_leak(run: Run, params: Any, /) -> CheckResult:
        return CheckResult(check="no_pii_leak", passed=True, message="clean")

    (result,) = run_checks(Expectations(checks={"no_pii_leek": True}), refund_run())
    assert not result.passed
    assert result.check == "no_pii_leek"
    assert result.message == "unknown check 'no_pii_leek': did you mean 'no_pii_leak'?"

    (result,) = run_checks(Expectations(checks={"zzz": True}), refund_run())
    assert result.message == (
        "unknown check 'zzz': no installed plugin registers it (entry point group ratchet.checks)"
    )


def test_plugin_checks_load_from_entry_points_once(
    registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plugin(
        tmp_path,
        monkeypatch,
        """
        from ratchet.evaluate.checks.registry import check
        from ratchet.evaluate.results import CheckResult

        @check("max_replies")
        def max_replies(run, limit, /):
            '''At most ``limit`` customer replies.'''
            replies = [s for s in run.index.spans if s.type == "message"]
            return CheckResult(
                check="ignored",
                passed=len(replies) <= limit,
                message=f"{len(replies)} replies",
                evidence=[s.span_id for s in replies],
            )
        """,
    )
    loaded = fake_entry_points(monkeypatch, ("max_replies", f"{PLUGIN_MODULE}:max_replies"))
    expect = Expectations(no_error_spans=True, checks={"max_replies": 0})

    results = run_checks(expect, refund_run())
    assert [r.check for r in results] == ["no_error_spans", "max_replies"]
    plugin_result = results[1]
    assert not plugin_result.passed
    assert plugin_result.message == "1 replies"
    assert plugin_result.evidence == ["message:customer_reply@110"]
    registered = REGISTRY.get("max_replies")
    assert registered is not None
    assert registered.doc == "At most ``limit`` customer replies."

    assert run_checks(Expectations(checks={"max_replies": 1}), refund_run())[0].passed
    assert len(loaded) == 1  # entry points were read once


def test_plugins_are_not_loaded_when_no_fixture_asks(
    registry: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = fake_entry_points(monkeypatch, ("broken", "does_not_exist_anywhere"))
    run_checks(Expectations(required_spans=["tool:read_order"]), refund_run())
    assert loaded == []


def test_a_broken_plugin_gives_one_failed_result_naming_it(
    registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plugin(tmp_path, monkeypatch, "raise RuntimeError('needs an API key')\n")
    fake_entry_points(monkeypatch, ("pii_checks", PLUGIN_MODULE))

    results = run_checks(Expectations(checks={"pii_checks": {}}), refund_run())
    assert len(results) == 1
    (result,) = results
    assert not result.passed
    assert result.check == "pii_checks"
    assert result.message == (
        f"check plugin 'pii_checks' ({PLUGIN_MODULE}) failed to load: "
        "RuntimeError: needs an API key"
    )


def test_a_broken_plugin_is_named_beside_the_checks_it_may_have_held(
    registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_entry_points(monkeypatch, ("acme", "acme_checks_not_installed:register"))

    @check("healthy")
    def healthy(run: Run, params: Any, /) -> CheckResult:
        return CheckResult(check="healthy", passed=True, message="ok")

    expect = Expectations(checks={"no_pii": True, "healthy": None, "tone": None})
    results = run_checks(expect, refund_run())
    assert [(r.check, r.passed) for r in results] == [
        ("acme", False),
        ("no_pii", False),
        ("healthy", True),
        ("tone", False),
    ]
    assert results[0].message == (
        "check plugin 'acme' (acme_checks_not_installed:register) failed to load: "
        "ModuleNotFoundError: No module named 'acme_checks_not_installed'"
    )
    assert results[1].message.startswith("unknown check 'no_pii': ")


def test_a_plugin_taking_a_builtin_name_is_broken_not_fatal(
    registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plugin(
        tmp_path,
        monkeypatch,
        """
        from ratchet.evaluate.checks.registry import check

        @check("order")
        def my_order(run, params, /):
            raise AssertionError("never registered")
        """,
    )
    fake_entry_points(monkeypatch, ("shadow", PLUGIN_MODULE))
    results = run_checks(Expectations(checks={"shadow_check": 1}), refund_run())
    assert results[0].message.endswith("ValueError: a check named 'order' is already registered")
    assert run_checks(Expectations(order=[("a:x", "b:y")]), refund_run())[0].passed
