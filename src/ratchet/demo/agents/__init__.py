"""The demo's example agents: a scheduling assistant and a refund assistant.

Each has a buggy version (what production runs when the demo starts) and a
fixed one, as module-level adapters for replay (DESIGN.md §3):
``ratchet.demo.agents.scheduling:run_buggy`` / ``run_fixed`` and
``ratchet.demo.agents.refunds:run_buggy`` / ``run_fixed``. No real model is
involved: :mod:`ratchet.demo.agents.fake_model` scripts the model turns.
"""

from ratchet.demo.agents.contract import Case, ToolFailure, Tools

__all__ = ["Case", "ToolFailure", "Tools"]
