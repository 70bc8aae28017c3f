"""The queue page narrowed by signal, surface and reading state."""

from __future__ import annotations

import re

import httpx

from ratchet.core.signals import Signal, SignalKind
from ratchet.store.projects import get_project
from ratchet.store.signals_write import add_signal
from support.live_server import LiveServer
from support.review_data import BASE, seed_traces
from support.review_ui import sign_in


def _rows(page: str) -> list[str]:
    return re.findall(r'<a href="/traces/([0-9a-f]{32})\?session=', page)


def test_the_queue_filters_by_signal_surface_and_state(server: LiveServer) -> None:
    project_id = get_project(server.store, server.project).id
    ids = seed_traces(server.store, project_id, n=6)
    add_signal(
        server.store,
        project_id,
        Signal(id="s1", kind=SignalKind.TOOL_ERROR, trace_id=ids[3], strength=0.6, created_at=BASE),
    )
    with server.client() as api:
        sid = api.post("/api/v1/review-sessions", json={"size": 6, "seed": 1}).json()["session"][
            "id"
        ]
        api.put(f"/api/v1/review-sessions/{sid}/items/{ids[0]}", json={"verdict": "pass"})
    with httpx.Client(base_url=server.url) as browser:
        sign_in(browser, server.key)
        url = f"/review/sessions/{sid}"
        assert sorted(_rows(browser.get(url).text)) == sorted(ids)
        assert _rows(browser.get(url, params={"signal": "tool_error"}).text) == [ids[3]]
        refunds = _rows(browser.get(url, params={"surface": "refunds"}).text)
        assert sorted(refunds) == sorted(ids[1::2])
        assert _rows(browser.get(url, params={"state": "pass"}).text) == [ids[0]]
        unread = browser.get(url, params={"state": "unread"}).text
        assert ids[0] not in _rows(unread) and "showing 5 of 6" in unread
        bad = browser.get(url, params={"state": "sideways"})
        assert bad.status_code == 400 and "not a queue state" in bad.text
