"""The error an agent sees when a replayed tool call fails."""

from __future__ import annotations


class ToolError(Exception):
    """A tool call failed in replay: its mock says so, or nothing mocks it.

    Agents catch it like any tool failure (it is a plain ``Exception``), so a
    fixture with an ``error`` mock tests how the agent recovers.

    Attributes:
        tool: the name of the tool that failed.
    """

    def __init__(self, message: str, *, tool: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.tool = tool
