"""The review web UI's pages: the queue, the trace view, the taxonomy, counts and promotion.

Pages are rendered on the server with Jinja2 (autoescaped; nothing a user
or an application wrote is ever marked safe) and enhanced by one small
script of our own (``static/ui.js``) for keys and partial updates. Include
``router`` in the app; it serves the script and style sheet itself.
"""

from __future__ import annotations

from fastapi import APIRouter

from ratchet.server.pages import counts, promote, review, static, taxonomy, trace_view

router = APIRouter(include_in_schema=False)
for _module in (static, review, trace_view, taxonomy, counts, promote):
    router.include_router(_module.router)

__all__ = ["router"]
