"""``ratchet fixtures pull``: promoted fixtures from the server into the repository's suite."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ratchet.cli import common

if TYPE_CHECKING:
    from ratchet.fixtures.pull import Pulled


def pull(
    suite: Annotated[
        Path | None, typer.Option(help="Suite folder to write into. Default: from ratchet.toml.")
    ] = None,
    server: Annotated[
        str | None,
        typer.Option(
            help="Ratchet server to pull from (key from RATCHET_API_KEY). Default: ratchet.toml's"
            " `server`, else the local store."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files edited here since the last pull.")
    ] = False,
    project: common.ProjectOption = None,
) -> None:
    """Write promoted fixtures into the suite folder as files, one per fixture.

    A file edited in the repository since it was last pulled is kept as it is
    (and named) unless --force; `.ratchet-pull.json` in the suite folder
    records what was pulled and is meant to be committed.
    """
    from ratchet.fixtures.pull import pull_into
    from ratchet.gate.config import load_config

    config = load_config()
    folder = suite or (
        config.root / config.suite if config.path is not None else Path(config.suite)
    )
    source = server or config.server
    items = _from_server(source) if source else _from_store(project or config.project)
    result = pull_into(folder, items, force=force)
    err = common.err_console
    for path in result.created:
        err.print(f"new      {path}", markup=False, highlight=False)
    for path in result.updated:
        err.print(f"updated  {path}", markup=False, highlight=False)
    for path in result.kept:
        err.print(
            f"kept     {path} (edited here since the last pull; --force overwrites it)",
            markup=False,
            highlight=False,
        )
    err.print(
        f"{len(items)} promoted fixture{'s' if len(items) != 1 else ''}"
        f" from {source or 'the local store'}: {len(result.created)} new,"
        f" {len(result.updated)} updated, {len(result.unchanged)} unchanged,"
        f" {len(result.kept)} kept",
        markup=False,
    )


def _from_store(project: str | None) -> list[Pulled]:
    from ratchet.fixtures.pull import Pulled
    from ratchet.store.promotions import list_promotions

    st = common.store()
    try:
        rows = list_promotions(st, common.project(st, project).id)
    finally:
        st.close()
    return [Pulled(p.fixture_id, p.body) for p in rows]


def _from_server(server: str) -> list[Pulled]:
    import httpx

    from ratchet.core.errors import RatchetError
    from ratchet.fixtures.pull import Pulled

    key = os.environ.get("RATCHET_API_KEY")
    if not key:
        raise RatchetError(
            f"pulling from {server} needs a key: set RATCHET_API_KEY (ratchet keys create)"
        )
    url = server.rstrip("/") + "/api/v1/promotions"
    try:
        answer = httpx.get(url, headers={"Authorization": f"Bearer {key}"}, timeout=30)
    except httpx.HTTPError as exc:
        raise RatchetError(f"could not reach {url}: {exc}") from exc
    if answer.status_code >= 400:
        raise RatchetError(f"{url} answered {answer.status_code}: {answer.text[:300]}")
    try:
        return [Pulled(str(p["fixture_id"]), str(p["body"])) for p in answer.json()]
    except (ValueError, KeyError, TypeError) as exc:
        raise RatchetError(f"{url} did not answer with promoted fixtures: {exc}") from exc
