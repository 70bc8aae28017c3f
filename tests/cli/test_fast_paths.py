"""What a person waits for: ``--version`` loads nothing heavy, ``traces show`` skips SQLAlchemy."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from rich.console import Console
from rich.text import Text

from ratchet.cli import tree_view
from ratchet.core.spans import Span, SpanStatus, SpanType
from ratchet.core.traces import Trace
from ratchet.store import traces_read
from ratchet.store.ingest import write_spans
from ratchet.store.migrate import current_revision, head_revision
from ratchet.store.projects import ensure_project
from ratchet.store.records import SpanRecord
from ratchet.store.store import Store, open_store
from ratchet.store.traces_read import get_trace
from support.cli import Result, run

T = "c3" * 16
HEAVY = ("sqlalchemy", "alembic", "ratchet.store", "psycopg", "uvicorn", "ratchet.capture")

# Runs the CLI in a fresh interpreter, then reports which heavy modules it loaded.
PROBE = """
import json, sys
heavy = json.loads(sys.argv[2])
sys.argv = ["ratchet", *json.loads(sys.argv[1])]
from ratchet.cli.main import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
loaded = sorted({h for h in heavy for m in sys.modules if m == h or m.startswith(h + ".")})
sys.stderr.write("\\nLOADED " + json.dumps({"code": code, "loaded": loaded}) + "\\n")
"""


def probe(args: list[str], env: dict[str, str] | None = None) -> tuple[str, int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=60,
    )
    report = json.loads(done.stderr.rsplit("LOADED ", 1)[1])
    return done.stdout, report["code"], report["loaded"]


def test_version_and_help_load_neither_the_store_nor_its_drivers() -> None:
    out, code, loaded = probe(["--version"])
    assert code == 0 and out.startswith("ratchet ") and loaded == []
    out, code, loaded = probe(["--help"])
    assert code == 0 and "traces" in out and loaded == []
    out, code, loaded = probe(["traces", "--help"])
    assert code == 0 and "show" in out and loaded == []


def _fill(store: Store) -> None:
    project = ensure_project(store, "shop")
    records = [
        SpanRecord(
            trace_id=T,
            span_id=f"{i:016x}",
            parent_span_id=None if i == 1 else f"{(i - 1) // 2 or 1:016x}",
            name="run" if i == 1 else f"step-{i}",
            type="agent" if i == 1 else ("tool" if i % 2 else "model"),
            status="error" if i == 7 else "ok",
            status_message="refused" if i == 7 else None,
            start_ns=1_000_000 * i,
            end_ns=1_000_000 * i + 250_000 * i,
            input={"ask": f"question {i}"},
            output=f"answer {i}",
            model=None if i % 2 else "m-1",
            total_tokens=None if i % 2 else 10 * i,
            tool_arguments={"n": i} if i % 2 else None,
            service="shop-agent",
            final_status="resolved" if i == 1 else None,
        )
        for i in range(1, 41)
    ]
    with store.write() as conn:
        write_spans(conn, project.id, records)


@pytest.fixture
def filled(store: Store) -> dict[str, str]:
    """A store holding one 40-span trace; the environment that points the CLI at it."""
    _fill(store)
    return {"RATCHET_DATABASE_URL": store.settings.url, "RATCHET_HOME": str(store.settings.home)}


def test_traces_show_reads_over_the_driver_with_the_same_output(
    store: Store, filled: dict[str, str]
) -> None:
    trace = get_trace(store, ensure_project(store, "shop").id, T)
    out, code, loaded = probe(["traces", "show", T], filled)
    assert code == 0 and out == tree_view.plain(trace)
    assert "sqlalchemy" not in loaded and "alembic" not in loaded
    out, code, loaded = probe(["traces", "show", T, "--json", "-p", "shop"], filled)
    assert code == 0 and orjson.loads(out) == trace.model_dump(mode="json")
    assert "sqlalchemy" not in loaded


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


def test_show_on_a_ready_store_never_opens_it_the_usual_way(
    cli, store: Store, filled: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def usual_way(*_: object) -> None:
        raise AssertionError("traces show opened the store through SQLAlchemy")

    monkeypatch.setattr(traces_read, "get_trace", usual_way)
    shown = cli("traces", "show", T.upper())
    assert shown.code == 0 and shown.out.splitlines()[0].startswith("run  " + T)
    assert "step-7  error" in shown.out and "refused" in shown.out
    assert gc.isenabled() and gc.get_freeze_count() == 0  # the process is left as found
    assert cli("traces", "show", "d4" * 16).err.startswith("error: no trace")
    assert "invalid project name" in cli("traces", "show", T, "-p", "Bad Name").err
    ensure_project(store, "other")
    several = cli("traces", "show", T)
    assert several.code == 2 and "several projects exist (other, shop)" in several.err


def test_show_creates_what_is_missing_the_usual_way(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    fresh = cli("traces", "show", T)  # no store yet: created, migrated, then 'default'
    assert fresh.code == 2 and fresh.err.startswith("error: no trace")
    named = cli("traces", "show", T, "--project", "later")  # created too, like other commands
    assert named.code == 2 and "no trace" in named.err
    listed = cli("traces", "list", "--project", "later")
    assert listed.code == 0 and "no traces yet" in listed.out
    st = open_store(url=os.environ["RATCHET_DATABASE_URL"], home=str(home), upgrade=False)
    try:
        assert current_revision(st.engine) == head_revision()
    finally:
        st.close()


def _giant_text(trace: Trace) -> Text:
    """How the tree used to be drawn for a terminal: one rich Text of every line."""
    out = Text()
    for n, line in enumerate(tree_view.tree_lines(trace)):
        if n:
            out.append("\n")
        for text, style in line:
            out.append(text, style or None)
    return out


@pytest.mark.parametrize("color_system", ["truecolor", "standard"])
def test_the_terminal_tree_prints_what_one_rich_text_of_it_prints(color_system: str) -> None:
    start = datetime(2026, 4, 18, 9, 0, tzinfo=UTC)
    odd = ["tab\there", "bell\x07 and \x1b[31mescape", "ünïcödé ✓", "x" * 300, ""]
    spans = [
        Span(
            trace_id=T,
            span_id=f"{i:016x}",
            parent_span_id=None if i == 1 else f"{(i - 1) // 3 or 1:016x}",
            type=SpanType.TOOL if i % 2 else SpanType.MODEL,
            name=odd[i % len(odd)] or "empty",
            status=SpanStatus.ERROR if i % 4 == 0 else SpanStatus.OK,
            status_message=odd[(i + 1) % len(odd)] or None,
            start=start + timedelta(milliseconds=i),
            end=start + timedelta(milliseconds=3 * i),
            input={"q": odd[(i + 2) % len(odd)]},
            output=odd[(i + 3) % len(odd)] or None,
            model="m-1" if i % 2 == 0 else None,
        )
        for i in range(1, 30)
    ]
    trace = Trace(trace_id=T, name="run\twith tab", span_count=len(spans), spans=spans)

    def draw(renderable: object) -> str:
        sink = io.StringIO()
        console = Console(
            file=sink, force_terminal=True, color_system=color_system, width=80, soft_wrap=True
        )
        console.print(renderable, soft_wrap=True)
        return sink.getvalue()

    drawn = draw(tree_view.styled(trace))
    assert drawn == draw(_giant_text(trace))
    assert "\x07" not in drawn and "\x1b[31m" in drawn  # as rich Text: BEL stripped, ESC kept
