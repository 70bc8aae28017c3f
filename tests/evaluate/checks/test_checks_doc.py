"""docs/checks.md matches the code: current check reference, a plugin example that works."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from ratchet.evaluate.checks.apply import run_checks
from ratchet.evaluate.checks.registry import REGISTRY
from ratchet.fixtures.model import Expectations
from tests.evaluate.checks.build import refund_run

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "docs" / "checks.md"


def test_builtin_reference_is_generated_from_current_docstrings() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_checks_reference", ROOT / "docs" / "gen_checks_reference.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = PAGE.read_text()
    assert page == module.render(page), "docs/checks.md is stale: run docs/gen_checks_reference.py"


def test_every_yaml_example_is_a_valid_expect_block() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", PAGE.read_text(), re.DOTALL)
    assert len(blocks) > 15
    for block in blocks:
        Expectations.model_validate(yaml.safe_load(block)["expect"])


def test_the_plugin_example_registers_a_working_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(REGISTRY, "_checks", dict(REGISTRY._checks))
    code = re.search(r"```python\n(.*?)```", PAGE.read_text(), re.DOTALL)
    assert code
    exec(compile(code.group(1), "checks.md", "exec"), {"__name__": "acme_checks.checks"})

    expect = Expectations(checks={"no_email_in_reply": {"allow_domains": ["@acme.example"]}})
    (quiet,) = run_checks(expect, refund_run("Write to help@acme.example."))
    assert quiet.passed
    (loud,) = run_checks(expect, refund_run("Write to bob@gmail.com."))
    assert not loud.passed
    assert loud.message == "output quotes 1 e-mail address(es)"
