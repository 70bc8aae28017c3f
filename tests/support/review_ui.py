"""A live server with the review pages, and signing in to it the way a browser does."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import httpx
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from ratchet.server import pages
from ratchet.server.app import create_app
from ratchet.server.background import serve_in_thread
from ratchet.store.keys import create_key
from ratchet.store.projects import get_project
from ratchet.store.store import Store
from support.live_server import LiveServer


def flat_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute under ``routes``: this FastAPI keeps included routers as nested entries."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from flat_routes(nested.routes)


@contextmanager
def pages_server(store: Store, project: str = "acme") -> Iterator[LiveServer]:
    """The real app on a loopback port, with the review pages' router included."""
    key, _ = create_key(store, project, "tester")
    app = create_app(store)
    if not any(r.path == "/review" for r in flat_routes(app.routes)):
        app.include_router(pages.router)
    with serve_in_thread(app) as url:
        yield LiveServer(url=url, store=store, key=key, project=project)


def project_id(server: LiveServer) -> int:
    return get_project(server.store, server.project).id


def field(page: str, name: str) -> str:
    """The value of a hidden field (or the CSRF meta tag) in a page."""
    found = re.search(rf'name="{name}" (?:value|content)="([^"]+)"', page)
    assert found, f"no {name} in the page"
    return found.group(1)


def sign_in(client: httpx.Client, key: str, name: str = "") -> None:
    token = field(client.get("/login").text, "login_token")
    resp = client.post("/login", data={"key": key, "name": name, "login_token": token})
    assert resp.status_code == 303, resp.text


def csrf(client: httpx.Client) -> str:
    return field(client.get("/review").text, "csrf-token")
