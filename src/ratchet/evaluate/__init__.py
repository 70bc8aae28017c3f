"""Evaluate: deterministic checks, replay with mocked tools, and the suite runner.

``ToolError`` (what an agent sees when a replayed tool fails) is importable
from here; it is loaded on first use so that importing a submodule such as
``ratchet.evaluate.results`` does not pull in the replay harness.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ratchet.evaluate.replay.errors import ToolError

__all__ = ["ToolError"]


def __getattr__(name: str) -> Any:
    if name == "ToolError":
        from ratchet.evaluate.replay.errors import ToolError

        return ToolError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
