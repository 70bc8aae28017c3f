"""What every request handler shares: the store, the capture pipeline, the group writer."""

from __future__ import annotations

from dataclasses import dataclass

from ratchet.capture.pipeline import IngestPipeline
from ratchet.core.clock import Clock
from ratchet.store.store import Store
from ratchet.store.writer import BatchWriter


@dataclass
class ServerState:
    store: Store
    pipeline: IngestPipeline
    writer: BatchWriter
    clock: Clock
