"""Small charts drawn on the server as SVG text: no JavaScript, no chart library.

The review pages need two plots, the saturation curve and failure-mode counts
with their intervals. Drawing them here keeps pages readable with scripts
off, lets tests compare output byte for byte (numbers are written with a
fixed format), and adds no front-end dependency. Every chart carries a
``<title>`` and a ``<desc>`` (with ``aria-label`` and ``aria-describedby``)
so screen readers get the figures, and every piece of text is escaped, since
labels such as failure-mode names are typed by users.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_FONT = 'font-family="system-ui, sans-serif" font-size="11" fill="currentColor"'
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_Scale = Callable[[float], float]


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of an interval bar chart: a share and its interval, as fractions of 1.

    ``detail`` is the text shown after the label, e.g. ``31 of 100, 23–41%``.
    """

    label: str
    share: float
    low: float
    high: float
    detail: str = ""


def step_chart(
    points: Sequence[tuple[float, float]],
    *,
    title: str,
    description: str | None = None,
    x_label: str = "traces reviewed",
    y_label: str = "failure modes",
    window: int | None = None,
    chart_id: str = "saturation",
    width: int = 640,
    height: int = 240,
    empty_text: str = "nothing reviewed yet",
) -> str:
    """A step chart of a running count, such as modes discovered against traces reviewed.

    The line jumps at the x where the count changes, which is how a count of
    discoveries grows. ``window`` shades the last ``window`` units of x (the
    stretch the saturation state is judged on).

    Args:
        points: ``(x, y)`` in increasing x; empty or a lone ``(0, 0)`` draws the
            axes and ``empty_text``.
        title: The chart's accessible name.
        description: What the chart shows, for screen readers; by default the
            last point in words.
        x_label: The horizontal axis title.
        y_label: The vertical axis title.
        window: Shade the last ``window`` units of x, if given.
        chart_id: Prefix of the element ids; unique on the page.
        width: Width in pixels.
        height: Height in pixels.
        empty_text: What to say when there is nothing to plot.

    Raises:
        ValueError: When ``chart_id`` cannot be an XML id.
    """
    _check_id(chart_id)
    left, right, top, bottom = 48, 16, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    last_x = points[-1][0] if points else 0
    x_top = _nice_top(last_x)
    y_top = _nice_top(max((y for _, y in points), default=0))

    def sx(x: float) -> float:
        return left + plot_w * x / x_top

    def sy(y: float) -> float:
        return top + plot_h * (1 - y / y_top)

    if description is None:
        description = (
            f"{_num(points[-1][1])} {y_label} after {_num(last_x)} {x_label}"
            if points and last_x
            else empty_text
        )
    parts = [_open(chart_id, title, description, width, height)]
    if window and last_x > 0:
        start = max(0.0, last_x - window)
        parts.append(
            f'<rect class="window" x="{_num(sx(start))}" y="{top}"'
            f' width="{_num(sx(last_x) - sx(start))}" height="{plot_h}"'
            ' fill="currentColor" fill-opacity="0.08"/>'
        )
        parts.append(
            f'<text class="window-label" x="{_num(sx(last_x) - 4)}" y="{top + 12}"'
            f' text-anchor="end" {_FONT}>last {window}</text>'
        )
    parts += _axes(left, top, plot_w, plot_h)
    for value in _ticks(y_top):
        y = _num(sy(value))
        parts.append(
            f'<text x="{left - 6}" y="{y}" dy="0.32em" text-anchor="end" {_FONT}>'
            f"{_num(value)}</text>"
        )
    for value in _ticks(x_top):
        parts.append(
            f'<text x="{_num(sx(value))}" y="{top + plot_h + 16}" text-anchor="middle" {_FONT}>'
            f"{_num(value)}</text>"
        )
    parts.append(
        f'<text class="axis-title" x="{_num(left + plot_w / 2)}" y="{height - 6}"'
        f' text-anchor="middle" {_FONT}>{_text(x_label)}</text>'
    )
    parts.append(
        f'<text class="axis-title" transform="translate(12 {_num(top + plot_h / 2)}) rotate(-90)"'
        f' text-anchor="middle" {_FONT}>{_text(y_label)}</text>'
    )
    if last_x > 0:
        parts.append(
            f'<path class="curve" d="{_step_path(points, sx, sy)}" fill="none"'
            ' stroke="currentColor" stroke-width="2"/>'
        )
    else:
        parts.append(
            f'<text class="empty" x="{_num(left + plot_w / 2)}" y="{_num(top + plot_h / 2)}"'
            f' text-anchor="middle" {_FONT}>{_text(empty_text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def interval_bars(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str | None = None,
    chart_id: str = "counts",
    width: int = 640,
    empty_text: str = "no failure modes yet",
) -> str:
    """A horizontal bar per row (its share) with a whisker for its interval.

    Labels sit above their bars so long names are never cut. The scale runs
    from 0 to the smallest round percentage holding every interval, so rare
    modes stay visible; bar lengths are proportional to the shares.

    Args:
        bars: The rows, top to bottom; shares and bounds are fractions of 1.
        title: The chart's accessible name.
        description: What the chart shows, for screen readers; by default every
            row's label and detail.
        chart_id: Prefix of the element ids; unique on the page.
        width: Width in pixels; the height follows the number of rows.
        empty_text: What to say when there are no rows.

    Raises:
        ValueError: When ``chart_id`` cannot be an XML id.
    """
    _check_id(chart_id)
    left, right, top, row_h, axis_h = 16, 24, 8, 40, 28
    plot_w = width - left - right
    rows = [
        (bar, _unit(bar.share), _unit(min(bar.low, bar.high)), _unit(max(bar.low, bar.high)))
        for bar in bars
    ]
    height = top + max(1, len(rows)) * row_h + axis_h
    if description is None:
        description = (
            "; ".join(f"{b.label}: {b.detail or _percent(share)}" for b, share, _, _ in rows)
            if rows
            else empty_text
        )
    peak = max((max(share, high) for _, share, _, high in rows), default=0.0)
    top_pct, step = _percent_scale(peak)

    def sx(share: float) -> float:
        return left + plot_w * share * 100 / top_pct

    parts = [_open(chart_id, title, description, width, height)]
    axis_y = top + max(1, len(rows)) * row_h
    for pct in range(0, top_pct + 1, step) if rows else ():
        x = _num(sx(pct / 100))
        parts.append(
            f'<line class="grid" x1="{x}" y1="{top}" x2="{x}" y2="{axis_y}"'
            ' stroke="currentColor" stroke-opacity="0.15"/>'
        )
        parts.append(f'<text x="{x}" y="{axis_y + 16}" text-anchor="middle" {_FONT}>{pct}%</text>')
    for index, (bar, share, low, high) in enumerate(rows):
        y = top + index * row_h
        mid = _num(y + 26)
        detail = f'<tspan class="detail" dx="8">{_text(bar.detail)}</tspan>' if bar.detail else ""
        summary = f"{bar.label}: {bar.detail}" if bar.detail else bar.label
        parts += [
            f'<g class="row"><title>{_text(summary)}</title>',
            f'<text x="{left}" y="{y + 13}" {_FONT}><tspan class="label" font-weight="600">'
            f"{_text(bar.label)}</tspan>{detail}</text>",
            f'<rect class="bar" x="{left}" y="{y + 20}" width="{_num(sx(share) - left)}"'
            ' height="12" fill="currentColor" fill-opacity="0.35"/>',
            f'<line class="whisker" x1="{_num(sx(low))}" y1="{mid}" x2="{_num(sx(high))}"'
            f' y2="{mid}" stroke="currentColor"/>',
            f'<line class="whisker" x1="{_num(sx(low))}" y1="{_num(y + 22)}" x2="{_num(sx(low))}"'
            f' y2="{_num(y + 30)}" stroke="currentColor"/>',
            f'<line class="whisker" x1="{_num(sx(high))}" y1="{_num(y + 22)}"'
            f' x2="{_num(sx(high))}" y2="{_num(y + 30)}" stroke="currentColor"/>',
            "</g>",
        ]
    if not rows:
        parts.append(
            f'<text class="empty" x="{_num(left + plot_w / 2)}" y="{top + row_h / 2:.0f}"'
            f' text-anchor="middle" {_FONT}>{_text(empty_text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _open(chart_id: str, title: str, description: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" aria-label="{_text(title)}"'
        f' aria-describedby="{chart_id}-desc" class="chart">\n'
        f'<title id="{chart_id}-title">{_text(title)}</title>\n'
        f'<desc id="{chart_id}-desc">{_text(description)}</desc>'
    )


def _axes(left: int, top: int, plot_w: int, plot_h: int) -> list[str]:
    bottom = top + plot_h
    return [
        f'<line class="axis" x1="{left}" y1="{bottom}" x2="{left + plot_w}" y2="{bottom}"'
        ' stroke="currentColor"/>',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{bottom}"'
        ' stroke="currentColor"/>',
    ]


def _step_path(points: Sequence[tuple[float, float]], sx: _Scale, sy: _Scale) -> str:
    """``M … H … V …``: flat while the count holds, a jump where it changes."""
    current = points[0][1]
    path = [f"M{_num(sx(points[0][0]))} {_num(sy(current))}"]
    for x, y in points[1:]:
        if y != current:
            path.append(f"H{_num(sx(x))} V{_num(sy(y))}")
            current = y
    path.append(f"H{_num(sx(points[-1][0]))}")
    return " ".join(path)


def _nice_top(value: float) -> float:
    """The axis end: ``value`` rounded up to a multiple of a 1-2-5 step (at least 1)."""
    if value <= 1:
        return 1
    step = _nice_step(value)
    return math.ceil(value / step) * step


def _nice_step(value: float) -> float:
    """A 1-2-5 step giving at most five intervals up to ``value``, never below 1."""
    raw = value / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    # ``magnitude`` is the power of ten at or below ``raw``, so factor 10 always fits.
    return max(1, next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= raw))


def _ticks(top: float) -> list[float]:
    step = _nice_step(top)
    count = round(top / step)
    return [step * i for i in range(count + 1)]


def _percent_scale(peak: float) -> tuple[int, int]:
    """(axis end, tick step) in whole percent: 10% steps up to 50%, then 20% steps."""
    peak_pct = math.ceil(peak * 100 - 1e-9)
    step = 10 if peak_pct <= 50 else 20
    top = max(step, math.ceil(peak_pct / step) * step)
    return (min(top, 100), step)


def _unit(value: float) -> float:
    """Clamp to [0, 1]; NaN draws as 0."""
    return min(1.0, max(0.0, value)) if value == value else 0.0


def _percent(share: float) -> str:
    return f"{math.floor(share * 100 + 0.5)}%"


def _num(value: float) -> str:
    """One decimal at most, no trailing zeros, no ``-0``: the same text on every run."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(value: str) -> str:
    return html.escape(_NOT_XML.sub("\ufffd", value), quote=True)


def _check_id(chart_id: str) -> None:
    if not _ID.match(chart_id):
        raise ValueError(
            f"chart_id {chart_id!r} cannot name an element; pass letters, digits, '-' or '_',"
            " starting with a letter"
        )
