"""The counts page: how often each failure mode shows up, how sure that is, and saturation.

Shares come with their 95% Wilson interval, in words and as bars with
whiskers; the saturation curve shows whether reading more traces still
finds new kinds of failure. Both charts are SVG drawn on the server
(``ratchet.server.svg``), which escapes every label it is given, so they are
put in the page as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from ratchet.core.errors import RatchetError
from ratchet.review.counts import ModeCount, Share, format_share
from ratchet.review.saturation import DEFAULT_WINDOW
from ratchet.review.status import ReviewStatus, review_status
from ratchet.server.auth import public
from ratchet.server.pages.common import html_errors, render, state_of, to_login, viewer
from ratchet.server.svg import Bar, interval_bars, step_chart

router = APIRouter(include_in_schema=False)

BREAKDOWNS = (("surface", "by_surface"), ("version", "by_version"), ("week", "by_week"))
MAX_WINDOW = 10_000


@dataclass(frozen=True, slots=True)
class Breakdown:
    """One mode's shares across the groups of one breakdown (surface, version or week)."""

    title: str
    groups: list[str]
    rows: list[tuple[str, list[Share]]]


def detail(share: Share) -> str:
    """``31 of 100, 23–41%`` (the line without its label)."""
    return format_share("", share).removeprefix(": ")


def _breakdown(title: str, attribute: str, modes: tuple[ModeCount, ...]) -> Breakdown:
    groups: list[str] = sorted({g for m in modes for g in getattr(m, attribute)})
    rows = []
    for mode in modes:
        shares: Mapping[str, Share] = getattr(mode, attribute)
        rows.append((mode.name, [shares.get(g, Share.of(0, 0)) for g in groups]))
    return Breakdown(title=title, groups=groups, rows=rows)


def _charts(status: ReviewStatus) -> tuple[Markup, Markup]:
    modes = status.counts.modes
    rows = [
        Bar(m.name, m.overall.share, m.overall.low, m.overall.high, detail(m.overall))
        for m in modes
    ]
    bars = interval_bars(
        rows,
        title=f"Failure modes among {status.counts.reviewed} reviewed traces",
    )
    sat = status.saturation
    curve = step_chart(
        [(float(x), float(y)) for x, y in sat.points],
        title="Saturation: failure modes found against traces reviewed",
        window=sat.window,
    )
    # svg.py escapes every label and number it writes; the SVG is markup we made.
    return Markup(bars), Markup(curve)


def _window(text: str | None) -> int:
    """The saturation window asked for in the address; a clear 400 for one that is no number.

    ``str.isdigit`` is not the test: ``'²'`` is a digit to it, and ``int`` refuses it.
    """
    if text is None or not text.strip():
        return DEFAULT_WINDOW
    try:
        size = int(text.strip())
    except ValueError:
        raise RatchetError(
            f"window={text[:20]!r} is not a whole number: give how many of the last reviewed"
            f" traces must add no new failure mode (1 to {MAX_WINDOW:,}; {DEFAULT_WINDOW} if"
            " left out)"
        ) from None
    return min(max(size, 1), MAX_WINDOW)


@router.get("/counts")
@html_errors
async def counts_page(
    request: Request,
    _: Annotated[None, Depends(public)],
    window: Annotated[str | None, Query()] = None,
) -> Response:
    reader = await viewer(request)
    if reader is None:
        return to_login()
    size = _window(window)
    status = await run_in_threadpool(
        lambda: review_status(state_of(request).store, reader.project_id, window=size)
    )
    bars, curve = _charts(status)
    modes = status.counts.modes
    return render(
        request,
        "counts.html",
        reader,
        {
            "status": status,
            "sat": status.saturation,
            "modes": modes,
            "bars": bars,
            "curve": curve,
            "breakdowns": [_breakdown(t, a, modes) for t, a in BREAKDOWNS],
            "detail": detail,
            "window": size,
        },
    )
