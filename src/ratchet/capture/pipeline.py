"""Capture, end to end: body → decoded spans → Ratchet vocabulary → redacted records.

Redaction happens here, before anything reaches the store: a value the
redactor replaced never exists in the database, its WAL or any log.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import orjson
from sqlalchemy import select

from ratchet.capture.conventions import map_span
from ratchet.capture.otlp import (
    DEFAULT_LIMITS,
    Limits,
    decode_json,
    decode_protobuf,
    decompress,
)
from ratchet.capture.rawspan import DecodeResult
from ratchet.capture.redaction import RedactionConfig, Redactor
from ratchet.core.clock import Clock, SystemClock
from ratchet.core.errors import RatchetError
from ratchet.store.records import SpanRecord
from ratchet.store.schema import projects
from ratchet.store.store import Store

#: Largest request body accepted, after decompression (OTLP/HTTP guidance).
MAX_BODY_BYTES = 20 * 1024 * 1024

PROTOBUF = "application/x-protobuf"
JSON = "application/json"


class UnsupportedMediaType(RatchetError):
    code = "unsupported_media_type"
    status = 415


def media_type(content_type: str | None) -> str:
    """``application/json`` or ``application/x-protobuf`` from a Content-Type header.

    Raises:
        UnsupportedMediaType: anything else, with the two that work.
    """
    base = (content_type or "").split(";", 1)[0].strip().lower()
    if base in (PROTOBUF, "application/protobuf"):
        return PROTOBUF
    if base == JSON:
        return JSON
    raise UnsupportedMediaType(
        f"unsupported Content-Type {content_type or '(none)'!r}: send OTLP as {PROTOBUF} or {JSON}"
    )


@dataclass
class Prepared:
    """A request's spans, ready to store, and what was refused."""

    records: list[SpanRecord] = field(default_factory=list)
    rejected: int = 0
    errors: list[str] = field(default_factory=list)


class IngestPipeline:
    """Turns OTLP bodies into redacted SpanRecords for one project at a time.

    Redactors are built once per project (its secret and rules come from the
    store) and refreshed after ``ttl`` seconds so rule changes reach every
    replica.
    """

    def __init__(
        self,
        store: Store,
        *,
        limits: Limits = DEFAULT_LIMITS,
        clock: Clock | None = None,
        ttl: float = 30.0,
    ) -> None:
        self._store = store
        self._limits = limits
        self._clock = clock or SystemClock()
        self._ttl = ttl
        self._redactors: dict[int, tuple[float, Redactor]] = {}
        self._lock = threading.Lock()

    def redactor(self, project_id: int) -> Redactor:
        now = self._clock.monotonic()
        with self._lock:
            cached = self._redactors.get(project_id)
            if cached and now - cached[0] < self._ttl:
                return cached[1]
        with self._store.read() as conn:
            row = conn.execute(
                select(projects.c.redaction_secret, projects.c.redaction_config).where(
                    projects.c.id == project_id
                )
            ).one()
        config = (
            RedactionConfig.model_validate(orjson.loads(row.redaction_config))
            if row.redaction_config
            else None
        )
        redactor = Redactor(bytes.fromhex(row.redaction_secret), config)
        with self._lock:
            self._redactors[project_id] = (now, redactor)
        return redactor

    def decode(
        self, body: bytes, *, content_type: str | None, content_encoding: str | None = None
    ) -> DecodeResult:
        """Decompress and decode a body; raises the decoders' errors for a bad body."""
        kind = media_type(content_type)
        raw = decompress(body, content_encoding, MAX_BODY_BYTES)
        if kind == PROTOBUF:
            return decode_protobuf(raw, self._limits)
        return decode_json(raw, self._limits)

    def prepare(
        self, project_id: int, decoded: DecodeResult, *, source: str = "production"
    ) -> Prepared:
        """Map and redact decoded spans."""
        redactor = self.redactor(project_id)
        out = Prepared(rejected=decoded.rejected, errors=list(decoded.errors))
        for raw in decoded.spans:
            record = map_span(raw)
            record.source = source
            redactor.redact_record(record)
            out.records.append(record)
        return out
