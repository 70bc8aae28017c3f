"""Golden pairs for convention mapping: a RawSpan as JSON, and the SpanRecord expected.

Each case under ``tests/data/conventions/`` is ``<case>.input.json`` (the
RawSpan's fields) next to ``<case>.expected.json`` (the SpanRecord's fields).
Expected files are written by hand-run tooling and reviewed by a person;
the tests never rewrite them. JSON cannot hold bytes, so an input value
``{"$bytes": "<base64>"}`` stands for the bytes an OTLP decoder would give.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path
from typing import Any

from ratchet.capture.rawspan import RawSpan
from ratchet.store.records import SpanRecord

DATA = Path(__file__).resolve().parent.parent / "data" / "conventions"


def _with_bytes(value: Any) -> Any:
    if isinstance(value, dict):
        if value.keys() == {"$bytes"}:
            return base64.b64decode(value["$bytes"])
        return {k: _with_bytes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_bytes(v) for v in value]
    return value


def case_names() -> list[str]:
    """Every golden case, by name, in a stable order."""
    return sorted(p.name.removesuffix(".input.json") for p in DATA.glob("*.input.json"))


def load_input(case: str) -> RawSpan:
    data = json.loads((DATA / f"{case}.input.json").read_text(encoding="utf-8"))
    return RawSpan(**_with_bytes(data))


def load_expected(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{case}.expected.json").read_text(encoding="utf-8"))
    return data


def as_json(record: SpanRecord) -> dict[str, Any]:
    """The record as the store would serialise it (fails if any value is not JSON-safe)."""
    data: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(record), allow_nan=False))
    return data
