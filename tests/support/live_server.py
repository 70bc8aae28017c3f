"""A real uvicorn server on a free loopback port, in a thread, for tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from ratchet.server.app import create_app
from ratchet.server.background import serve_in_thread
from ratchet.store.keys import create_key
from ratchet.store.store import Store


@dataclass
class LiveServer:
    url: str
    store: Store
    key: str
    project: str

    @property
    def otlp_endpoint(self) -> str:
        return f"{self.url}/v1/traces"

    def client(self, key: str | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {key or self.key}"}, timeout=30
        )

    @classmethod
    @contextmanager
    def start(
        cls, store: Store, *, project: str = "acme", **app_options: Any
    ) -> Iterator[LiveServer]:
        key, _ = create_key(store, project, "tester")
        with serve_in_thread(create_app(store, **app_options)) as url:
            yield cls(url=url, store=store, key=key, project=project)
