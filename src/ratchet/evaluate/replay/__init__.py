"""Replay: run a candidate agent on a fixture with mocked tools and record its trace.

See DESIGN.md §3 ("Tool mocks", "Agent adapter for replay"). The HTTP
adapter and the OpenTelemetry capture are imported on first use.
"""

from ratchet.evaluate.replay.agents import Agent, is_async, load_agent, source_hash
from ratchet.evaluate.replay.case import ReplayCase
from ratchet.evaluate.replay.errors import ToolError
from ratchet.evaluate.replay.harness import DEFAULT_TIMEOUT_S, ReplayOutcome, replay
from ratchet.evaluate.replay.recording import DEFAULT_MAX_SPANS
from ratchet.evaluate.replay.steps import StepSpan
from ratchet.evaluate.replay.toolbox import SyncTools, Toolbox

__all__ = [
    "DEFAULT_MAX_SPANS",
    "DEFAULT_TIMEOUT_S",
    "Agent",
    "ReplayCase",
    "ReplayOutcome",
    "StepSpan",
    "SyncTools",
    "ToolError",
    "Toolbox",
    "is_async",
    "load_agent",
    "replay",
    "source_hash",
]
