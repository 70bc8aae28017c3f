"""``ratchet ingest``: load OTLP files (protobuf, JSON, JSON Lines; optionally gzipped)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ratchet.cli import common

if TYPE_CHECKING:
    from collections.abc import Iterator

# Capture's decoders, the store and rich's progress bar are loaded by the
# command itself, not at CLI start-up.
JSON = "application/json"
PROTOBUF = "application/x-protobuf"


def _bodies(path: Path) -> Iterator[tuple[str, bytes]]:
    """(content type, body) for each OTLP request held in a file."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        import gzip

        data = gzip.decompress(data)
    head = data.lstrip()[:1]
    if head not in (b"{", b"["):
        yield PROTOBUF, data
        return
    lines = [ln for ln in data.splitlines() if ln.strip()]
    if len(lines) > 1 and all(ln.lstrip().startswith(b"{") for ln in lines):
        for line in lines:
            yield JSON, line
        return
    yield JSON, data


def ingest(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="OTLP files: protobuf, JSON, or JSON Lines of OTLP JSON (.gz too).",
            exists=True,
            dir_okay=False,
        ),
    ],
    project: common.ProjectOption = None,
) -> None:
    """Store the spans in OTLP export files, redacted, exactly as the server would.

    Re-ingesting a file stores nothing twice.
    """
    from rich.progress import Progress

    from ratchet.capture.otlp import UndecodableBody
    from ratchet.capture.pipeline import IngestPipeline
    from ratchet.core.clock import to_unix_nanos
    from ratchet.core.errors import RatchetError
    from ratchet.store.ingest import write_spans

    st = common.store()
    proj = common.project(st, project)
    pipeline = IngestPipeline(st)
    stored = dupes = rejected = 0
    problems: list[str] = []
    with Progress(console=common.err_console, transient=True, disable=len(files) < 3) as bar:
        task = bar.add_task("ingesting", total=len(files))
        for path in files:
            for n, (ctype, body) in enumerate(_bodies(path), start=1):
                where = f"{path}" + (f" line {n}" if ctype == JSON and n > 1 else "")
                try:
                    decoded = pipeline.decode(body, content_type=ctype)
                except UndecodableBody as exc:
                    raise RatchetError(f"{where}: {exc}") from exc
                prepared = pipeline.prepare(proj.id, decoded)
                with st.write() as conn:
                    result = write_spans(
                        conn, proj.id, prepared.records, seen_ns=to_unix_nanos(st.clock.now())
                    )
                stored += result.stored
                dupes += result.duplicates
                rejected += prepared.rejected
                problems.extend(f"{where}: {e}" for e in prepared.errors)
            bar.advance(task)
    st.close()
    common.console.print(
        f"ingested {stored + dupes} spans into project {proj.name}: "
        f"{stored} new, {dupes} already stored" + (f", {rejected} rejected" if rejected else "")
    )
    for line in problems[:20]:
        common.err_console.print(f"[yellow]rejected:[/yellow] {line}")
