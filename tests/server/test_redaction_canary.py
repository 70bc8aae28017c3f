"""Planted secrets never reach the database file, its WAL, any other file under
RATCHET_HOME, the server's logs, or an error response."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from ratchet.store.keys import create_key
from ratchet.store.store import open_store

PLANTED = {
    "email": "zelda.canary@example.org",
    "card": "4539 1488 0343 6467",
    "ssn": "219-09-9999",
    "phone": "+1 415-555-0132",
    "iban": "DE89370400440532013000",
    "secret": "hunter2-canary-password",
    "aws": "AKIAJ5Q7R2XW4CANARYZ",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ",
}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_planted_values_never_land_anywhere(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = open_store(home=str(home))
    key, _ = create_key(store, "canary", None)
    store.close()
    port = _free_port()
    log_path = tmp_path / "server.log"
    env = {**os.environ, "RATCHET_HOME": str(home)}
    env.pop("RATCHET_DATABASE_URL", None)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ratchet.cli.main",
                "serve",
                "--port",
                str(port),
                "--log-level",
                "debug",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    if httpx.get(base + "/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)
            responses = _send_everything(base, key)
        finally:
            proc.terminate()
            proc.wait(10)

    texts = {"server log": log_path.read_bytes()}
    for path in home.rglob("*"):
        if path.is_file():
            texts[str(path.relative_to(home))] = path.read_bytes()
    texts.update({f"response {i}": body for i, body in enumerate(responses)})
    assert any(name.endswith("ratchet.db") for name in texts)
    leaks = [
        (name, what)
        for name, blob in texts.items()
        for what, value in PLANTED.items()
        if value.encode() in blob or value.replace(" ", "").encode() in blob
    ]
    assert leaks == []
    # …and the data itself did arrive, pseudonymised.
    db = next(blob for name, blob in texts.items() if name.endswith("ratchet.db"))
    wal = b"".join(blob for name, blob in texts.items() if name.endswith("-wal"))
    assert b"<EMAIL:" in db + wal and b"<SECRET:" in db + wal


def _send_everything(base: str, key: str) -> list[bytes]:
    """Spans through the real exporter, feedback, and bad requests carrying the values."""
    provider = TracerProvider(resource=Resource.create({"service.name": "canary"}))
    exporter = OTLPSpanExporter(
        endpoint=base + "/v1/traces", headers={"Authorization": f"Bearer {key}"}
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("canary")
    message = (
        f"I'm {PLANTED['email']}, card {PLANTED['card']}, SSN {PLANTED['ssn']},"
        f" call {PLANTED['phone']}, IBAN {PLANTED['iban']}, key {PLANTED['aws']}"
    )
    with tracer.start_as_current_span(
        "agent",
        attributes={
            "openinference.span.kind": "AGENT",
            "input.value": message,
            "session.id": "canary-session",
            "http.request.header.authorization": f"Bearer {PLANTED['jwt']}",
        },
    ) as root:
        trace_id = format(root.get_span_context().trace_id, "032x")
        with tracer.start_as_current_span(
            "login",
            attributes={
                "openinference.span.kind": "TOOL",
                "tool.name": "login",
                "input.value": orjson.dumps(
                    {"user": PLANTED["email"], "password": PLANTED["secret"]}
                ).decode(),
            },
        ):
            pass
    provider.shutdown()
    headers = {"Authorization": f"Bearer {key}"}
    out: list[bytes] = []
    with httpx.Client(base_url=base, headers=headers) as c:
        assert c.get(f"/api/v1/traces/{trace_id}").json()["span_count"] == 2
        out.append(
            c.post(
                "/api/v1/feedback",
                json={"trace_id": trace_id, "kind": "report", "comment": message},
            ).content
        )
        out.append(
            c.post(
                "/api/v1/feedback",
                json={
                    "trace_id": trace_id,
                    "kind": "correction",
                    "corrected_output": {"email": PLANTED["email"]},
                },
            ).content
        )
        out.append(c.get(f"/api/v1/traces/{trace_id}").content)
        out.append(c.get(f"/api/v1/traces/{trace_id}/signals").content)
        # Bad requests that carry the values must not echo them back.
        broken = (
            b'{"resourceSpans": [{"scopeSpans": [{"spans": [{"name": "' + message.encode() + b'"'
        )
        out.append(
            c.post(
                "/v1/traces", content=broken, headers={"Content-Type": "application/json"}
            ).content
        )
        out.append(
            c.post(
                "/v1/traces",
                content=gzip.compress(broken)[:-4],
                headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
            ).content
        )
        out.append(
            c.post(
                "/api/v1/feedback", json={"trace_id": PLANTED["email"], "kind": "report"}
            ).content
        )
        out.append(
            c.post(
                "/api/v1/feedback", json={"trace_id": trace_id, "kind": PLANTED["secret"]}
            ).content
        )
        out.append(c.get(f"/api/v1/traces/{PLANTED['ssn']}").content)
        out.append(
            c.post("/api/v1/incidents", json={"severity": PLANTED["card"], "title": "x"}).content
        )
    out.append(
        httpx.get(
            base + "/api/v1/traces", headers={"Authorization": f"Bearer {PLANTED['jwt']}"}
        ).content
    )
    return out
