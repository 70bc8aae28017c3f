"""Resolving a candidate by name, with errors that say what to fix, and hashing its source."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from ratchet.core.errors import RatchetError
from ratchet.demo.agents import refunds
from ratchet.evaluate.replay import is_async, load_agent, source_hash
from ratchet.evaluate.replay.http_adapter import HttpAgent


def _module(tmp_path: Path, source: str) -> str:
    name = f"candidate_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{name}.py").write_text(source)
    return name


@pytest.fixture
def sys_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", list(sys.path))


def test_a_function_loads_by_module_and_name() -> None:
    assert load_agent("ratchet.demo.agents.refunds:run_fixed") is refunds.run_fixed
    assert load_agent(" ratchet.demo.agents.refunds:run_buggy ") is refunds.run_buggy


def test_a_dotted_attribute_loads(tmp_path: Path, sys_path: None) -> None:
    name = _module(
        tmp_path, "class Agent:\n    @staticmethod\n    def run(case, tools):\n        return 'x'\n"
    )
    agent = load_agent(f"{name}:Agent.run", path=tmp_path)
    assert agent(None, None) == "x"


def test_a_url_gives_the_http_adapter() -> None:
    agent = load_agent("http://127.0.0.1:9/agent")
    assert isinstance(agent, HttpAgent)
    assert agent.url == "http://127.0.0.1:9/agent"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("refunds", "name the agent as module:function"),
        (":run", "name the agent as module:function"),
        ("no_such_module_xyz:run", "no module named 'no_such_module_xyz'; install the application"),
        ("no_such_pkg_xyz.agent:run", "no module named 'no_such_pkg_xyz.agent'"),
        (
            "ratchet.demo.agents.refunds:nope",
            "module 'ratchet.demo.agents.refunds' has no attribute 'nope'",
        ),
        ("ratchet.demo.agents.refunds:MODEL_NAME", "'MODEL_NAME' is a str, not a function"),
    ],
)
def test_mistakes_are_clear_errors(spec: str, message: str) -> None:
    with pytest.raises(RatchetError) as caught:
        load_agent(spec)
    assert message in str(caught.value)
    assert spec.strip() in str(caught.value)


def test_a_module_whose_own_import_fails_says_so(tmp_path: Path, sys_path: None) -> None:
    missing = _module(tmp_path, "import not_installed_dep_xyz\n")
    broken = _module(tmp_path, "raise RuntimeError('config file missing')\n")

    with pytest.raises(RatchetError) as caught:
        load_agent(f"{missing}:run", path=tmp_path)
    assert f"importing {missing!r} failed: no module named 'not_installed_dep_xyz'" in str(
        caught.value
    )
    with pytest.raises(RatchetError) as caught:
        load_agent(f"{broken}:run", path=tmp_path)
    assert f"importing {broken!r} raised RuntimeError: config file missing" in str(caught.value)


def test_source_hash_covers_the_agents_package(tmp_path: Path, sys_path: None) -> None:
    assert source_hash(refunds.run_buggy) == source_hash(refunds.run_fixed) is not None
    package = tmp_path / "shop_agent"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "agent.py").write_text(
        "from shop_agent.helpers import answer\n\nasync def run(case, tools):\n"
        "    return answer()\n"
    )
    (package / "helpers.py").write_text("def answer():\n    return 'v1'\n")
    agent = load_agent("shop_agent.agent:run", path=tmp_path)
    before = source_hash(agent)
    # An edit to a module the agent imports invalidates cached results too.
    (package / "helpers.py").write_text("def answer():\n    return 'v2'\n")
    assert before is not None and source_hash(agent) not in (None, before)

    name = _module(tmp_path, "async def run(case, tools):\n    return 'v1'\n")
    agent = load_agent(f"{name}:run", path=tmp_path)
    first = source_hash(agent)
    (tmp_path / f"{name}.py").write_text("async def run(case, tools):\n    return 'v2'\n")
    assert first is not None and source_hash(agent) not in (None, first)


class _Agent:
    async def __call__(self, case: Any, tools: Any) -> str:
        return "x"


def test_source_hash_follows_objects_and_is_none_without_source() -> None:
    assert source_hash(_Agent()) is not None
    assert source_hash(_Agent()) == source_hash(_Agent.__call__)
    assert source_hash(len) is None
    assert source_hash(HttpAgent("http://127.0.0.1:9/")) is None
    namespace: dict[str, Any] = {}
    exec("def made_up(case, tools):\n    return 'x'\n", namespace)
    assert source_hash(namespace["made_up"]) is None


def test_is_async_tells_coroutine_functions_apart() -> None:
    assert is_async(refunds.run_fixed)
    assert is_async(_Agent())
    assert is_async(HttpAgent("http://127.0.0.1:9/"))
    assert not is_async(lambda case, tools: "x")
