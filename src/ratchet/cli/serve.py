"""``ratchet serve``: the server (OTLP in, REST API, web UI)."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from ratchet.cli import common


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on.", envvar="RATCHET_HOST")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", envvar="RATCHET_PORT")] = 4318,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes. More use more cores; each commits its own batches.",
            envvar="RATCHET_WORKERS",
        ),
    ] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    watch_every: Annotated[
        float,
        typer.Option(
            min=0,
            help="Seconds between rounds of signal detection and online checks on new"
            " traces; 0 turns them off.",
            envvar="RATCHET_WATCH_EVERY_S",
        ),
    ] = 10.0,
) -> None:
    """Serve OTLP/HTTP at /v1/traces, the REST API at /api/v1 and the web UI at /.

    Point an OpenTelemetry exporter at it with
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://HOST:PORT/v1/traces and
    OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20KEY.
    """
    import uvicorn

    from ratchet.server.app import create_app
    from ratchet.server.workers import check_port, settle_heap

    check_port(host, port)
    st = common.store()  # creates and migrates once, before any worker starts
    common.console.print(f"store: {st.settings.describe()}")
    common.console.print(
        f"serving on http://{host}:{port}  (OTLP: /v1/traces, API: /api/v1, docs: /docs)"
    )
    if workers > 1:
        st.close()
        # Workers open the store from the environment; the parent becomes a
        # stdlib-only supervisor so it does not keep this process's imports.
        os.environ["RATCHET_DATABASE_URL"] = st.settings.url
        os.environ["RATCHET_HOME"] = str(st.settings.home)
        os.environ["RATCHET_MIGRATE_ON_START"] = "0"
        os.environ["RATCHET_WATCH_EVERY_S"] = str(watch_every)
        sys.stdout.flush()
        sys.stderr.flush()
        argv = ["--host", host, "--port", str(port), "--workers", str(workers)]
        argv += ["--log-level", log_level]
        os.execv(sys.executable, [sys.executable, "-m", "ratchet.server.supervisor", *argv])
    app = create_app(st, migrate=False, watch_every_s=watch_every or None)
    settle_heap()
    try:
        uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
    finally:
        st.close()
