"""``ratchet serve``: the server (OTLP in, REST API, web UI)."""

from __future__ import annotations

from typing import Annotated

import typer

from ratchet.cli import common


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on.", envvar="RATCHET_HOST")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", envvar="RATCHET_PORT")] = 4318,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve OTLP/HTTP at /v1/traces, the REST API at /api/v1 and the web UI at /.

    Point an OpenTelemetry exporter at it with
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://HOST:PORT/v1/traces and
    OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20KEY.
    """
    import uvicorn

    from ratchet.server.app import create_app

    st = common.store()
    common.console.print(f"store: {st.settings.describe()}")
    common.console.print(
        f"serving on http://{host}:{port}  (OTLP: /v1/traces, API: /api/v1, docs: /docs)"
    )
    app = create_app(st, migrate=False)
    try:
        uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
    finally:
        st.close()
