"""The pages' own script and style sheet, served from inside the package.

Two small files do not need a static-files mount: they are read once, and
each page links them with a hash of their content in the URL, so a browser
keeps them for good and never asks again while reading a hundred traces; a
new release changes the hash. Only the files named here are served.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ratchet.core.errors import NotFound
from ratchet.server.auth import public

STATIC = Path(__file__).resolve().parent.parent / "static"
TYPES = {"ui.js": "text/javascript; charset=utf-8", "ui.css": "text/css; charset=utf-8"}

router = APIRouter(include_in_schema=False)


@cache
def _asset(name: str) -> tuple[bytes, str]:
    body = (STATIC / name).read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:12]


def static_url(name: str) -> str:
    """The URL of a static file, versioned by its content."""
    return f"/static/{name}?v={_asset(name)[1]}"


@router.get("/static/{name}")
async def static_file(
    name: str, _: Annotated[None, Depends(public)], v: str | None = None
) -> Response:
    if name not in TYPES:
        raise NotFound(f"no static file {name!r}")
    body, digest = _asset(name)
    fresh = v == digest
    return Response(
        body,
        media_type=TYPES[name],
        headers={
            "Cache-Control": "public, max-age=31536000, immutable" if fresh else "no-cache",
            "ETag": f'"{digest}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
