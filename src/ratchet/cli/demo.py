"""``ratchet demo``: the main job on the embedded SQLite store."""

from __future__ import annotations

from typing import Annotated

import typer

from ratchet.cli import common


def demo(
    traces: Annotated[int, typer.Option(min=1, help="How many production runs to simulate.")] = 300,
    seed: Annotated[int, typer.Option(help="Seed of the simulation (same seed, same traces).")] = 7,
    port: Annotated[int, typer.Option(help="Port for the demo's server (0: any free port).")] = 0,
) -> None:
    """Simulate production for two example agents and capture it.

    Starts a server on the store, sends a few hundred realistic traces from a
    scheduling assistant and a refund assistant through the real OpenTelemetry
    exporter, posts feedback, prints what was captured, and exits.
    """
    from ratchet.demo.job import run_demo

    run_demo(common.CTX, traces=traces, seed=seed, port=port, console=common.console)
