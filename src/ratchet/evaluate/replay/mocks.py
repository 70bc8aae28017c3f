"""Choosing a mock's answer for one call, and handing it over without sharing it."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ratchet.fixtures.model import MockRule, ToolMock

_IMMUTABLE = (str, int, float, bool, type(None))


def choose(mock: ToolMock, arguments: Mapping[str, Any]) -> MockRule | None:
    """The first rule whose ``when`` the call's arguments contain; a rule without one matches."""
    for rule in mock.rules:
        when = rule.when
        if when is None or _contains(arguments, when):
            return rule
    return None


def _contains(arguments: Mapping[str, Any], subset: Mapping[str, Any]) -> bool:
    for key, expected in subset.items():
        if key not in arguments or arguments[key] != expected:
            return False
    return True


def returns_given(rule: MockRule) -> bool:
    """Whether the file wrote ``returns`` (``returns: null`` is an answer, too)."""
    return "returns" in rule.model_fields_set


def private_copy(value: Any) -> Any:
    """A copy the agent may mutate without changing the fixture (or the next attempt).

    Fixture values are JSON-shaped almost always, and walking them by hand is
    several times faster than ``copy.deepcopy``; anything else goes to it.
    """
    kind = type(value)
    if kind is dict:
        return {key: private_copy(item) for key, item in value.items()}
    if kind is list:
        return [private_copy(item) for item in value]
    if isinstance(value, _IMMUTABLE):
        return value
    return copy.deepcopy(value)
