"""What every request handler shares: the store, the capture pipeline, the group writer."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    _browser_secret: bytes | None = field(default=None, repr=False)

    def browser_secret(self) -> bytes:
        """The key that signs browser sessions, shared by replicas through the database.

        Read once, after start-up has migrated the store (the settings table
        may not exist before).
        """
        if self._browser_secret is None:
            from ratchet.server.browser import SECRET_SETTING, new_secret
            from ratchet.store.jobs import setting

            self._browser_secret = setting(self.store, SECRET_SETTING, new_secret).encode()
        return self._browser_secret
