"""``ratchet demo``: the main job on the embedded SQLite store."""

from __future__ import annotations

from typing import Annotated

import typer

from ratchet.cli import common


def demo(
    traces: Annotated[int, typer.Option(min=1, help="How many production runs to simulate.")] = 300,
    seed: Annotated[int, typer.Option(help="Seed of the simulation (same seed, same traces).")] = 7,
    port: Annotated[int, typer.Option(help="Port for the demo's server (0: any free port).")] = 0,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve", help="Keep serving the demo's store afterwards (port 4318 unless --port)."
        ),
    ] = False,
) -> None:
    """Simulate production for two example agents and capture it.

    Starts a server on the store, sends a few hundred realistic traces from a
    scheduling assistant and a refund assistant through the real OpenTelemetry
    exporter, posts feedback, detects implicit signals, reviews a session with
    a SIMULATED (scripted) reviewer and prints the failure-mode counts and
    saturation, gates the example app's changes on its fixtures, and exits,
    printing how to serve the web UI and a key to sign in with.
    """
    from ratchet.demo.job import run_demo

    run_demo(common.CTX, traces=traces, seed=seed, port=port, console=common.console, serve=serve)
