"""The command line as a user meets it: keys, ingest, traces, db, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from support.cli import Result, run
from support.otlp import request_bytes


@pytest.fixture
def cli(
    db_url: str, home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RATCHET_DATABASE_URL", db_url)
    monkeypatch.setenv("RATCHET_HOME", str(home))
    monkeypatch.delenv("RATCHET_PROJECT", raising=False)

    def invoke(*args: str) -> Result:
        return run(capsys, monkeypatch, *args)

    return invoke


def otlp_json_file(path: Path, trace_byte: int, email: str) -> Path:
    req = ExportTraceServiceRequest.FromString(request_bytes(3, trace_byte=trace_byte))
    span = req.resource_spans[0].scope_spans[0].spans[1]
    kv = span.attributes.add()
    kv.key, kv.value.string_value = "input.value", f"please write to {email}"
    from google.protobuf.json_format import MessageToJson

    # MessageToJson writes ids as base64 (proto3 JSON); OTLP/JSON wants hex.
    doc = orjson.loads(MessageToJson(req))
    for rs in doc["resourceSpans"]:
        for ss in rs["scopeSpans"]:
            for sp in ss["spans"]:
                for key in ("traceId", "spanId", "parentSpanId"):
                    if key in sp:
                        import base64

                        sp[key] = base64.b64decode(sp[key]).hex()
    path.write_bytes(orjson.dumps(doc))
    return path


def test_keys_create_prints_the_key_alone_as_last_line(cli) -> None:  # type: ignore[no-untyped-def]
    created = cli("keys", "create", "--project", "shop", "--user", "ana")
    assert created.code == 0
    key = created.last_line
    assert key.startswith("rk_") and " " not in key and "\x1b" not in key
    assert len(key.split("_", 2)[2]) >= 32  # 256 bits of url-safe entropy
    listed = cli("keys", "list")
    assert listed.code == 0 and key not in listed.out
    assert key.split("_")[0] + "_" + key.split("_")[1] in listed.out and "ana" in listed.out
    revoked = cli("keys", "revoke", key)
    assert revoked.code == 0 and "revoked" in revoked.out
    assert "revoked" in cli("keys", "list", "--json").out


def test_ingest_then_list_and_show(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pb = tmp_path / "batch.pb"
    pb.write_bytes(request_bytes(4, trace_byte=0x0A))
    js = otlp_json_file(tmp_path / "batch.json", 0x0B, "ana@example.com")
    first = cli("ingest", str(pb), str(js))
    assert first.code == 0, first.err
    assert "7 new" in first.out
    again = cli("ingest", str(pb))
    assert "0 new, 4 already stored" in again.out

    listed = cli("traces", "list")
    assert listed.code == 0
    lines = listed.out.strip().splitlines()
    assert lines[0].split("\t")[0] == "trace_id"  # not a terminal: whole values, tab-separated
    assert {ln.split("\t")[0] for ln in lines[1:]} == {"0a" * 16, "0b" * 16}

    as_json = orjson.loads(cli("traces", "list", "--json").out)
    assert len(as_json["traces"]) == 2 and as_json["next_cursor"] is None

    shown = cli("traces", "show", "0b" * 16)
    assert shown.code == 0 and "step-0" in shown.out and "step-1" in shown.out
    assert "ana@example.com" not in shown.out and "<EMAIL:" in shown.out
    body = orjson.loads(cli("traces", "show", "0b" * 16, "--json").out)
    assert body["trace_id"] == "0b" * 16 and len(body["spans"]) == 3


def test_errors_are_one_line_and_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text('{"resourceSpans": [')
    cases = {
        ("traces", "show", "xyz"): "not a trace id",
        ("traces", "show", "c" * 32): "no trace",
        ("traces", "list", "--since", "yesterday"): "--since",
        ("traces", "list", "--status", "broken"): "'error' or 'ok'",
        ("keys", "create", "--project", "Bad Name"): "invalid project name",
        ("keys", "revoke", "rk_nothing"): "no key matches",
        ("ingest", str(bad)): "bad.json",
    }
    for args, words in cases.items():
        result = cli(*args)
        assert result.code == 2, args
        assert "Traceback" not in result.err
        lines = [ln for ln in result.err.strip().splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:") and words in lines[0], (
            args,
            result.err,
        )
    usage = cli("nosuch")
    assert usage.code == 2 and "No such command" in usage.err


def test_several_projects_need_a_choice(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("traces", "list").code == 0  # creates 'default'
    cli("keys", "create", "--project", "other")
    result = cli("traces", "list")
    assert result.code == 2 and "default, other" in result.err and "--project" in result.err
    assert cli("traces", "list", "--project", "other").code == 0


def test_db_upgrade_creates_and_reports(cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("db", "upgrade")
    from ratchet.store.migrate import head_revision

    assert first.code == 0 and f"revision {head_revision()}" in first.out
    assert "already at revision" in cli("db", "upgrade").out
