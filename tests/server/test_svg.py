"""Server-drawn SVG charts: valid XML, accessible, escaped, proportional and repeatable."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ratchet.server.svg import Bar, interval_bars, step_chart

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{{{NS['svg']}}}text")]


def bar_widths(root: ET.Element) -> list[float]:
    return [float(r.get("width", "")) for r in root.iterfind(".//svg:rect[@class='bar']", NS)]


COUNTS = [
    Bar("date-handling", 0.31, 0.228, 0.406, "31 of 100, 23–41%"),
    Bar("tool-loop", 0.1, 0.055, 0.174, "10 of 100, 6–17%"),
    Bar("tone", 0.05, 0.022, 0.112, "5 of 100, 2–11%"),
]


def test_a_counts_chart_is_an_accessible_image_with_its_figures_in_words() -> None:
    root = parse(interval_bars(COUNTS, title="Failure modes by share of reviewed traces"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Failure modes by share of reviewed traces"
    assert root.find("svg:title", NS).text == "Failure modes by share of reviewed traces"  # type: ignore[union-attr]
    desc = root.find("svg:desc", NS)
    assert desc is not None and root.get("aria-describedby") == desc.get("id")
    assert desc.text == (
        "date-handling: 31 of 100, 23–41%; tool-loop: 10 of 100, 6–17%; tone: 5 of 100, 2–11%"
    )
    shown = texts(root)
    assert "date-handling31 of 100, 23–41%" in shown
    assert [t for t in shown if t.endswith("%") and len(t) <= 4] == [
        "0%",
        "10%",
        "20%",
        "30%",
        "40%",
        "50%",
    ]


def test_bar_lengths_are_proportional_to_the_shares() -> None:
    widths = bar_widths(parse(interval_bars(COUNTS, title="t")))
    assert widths[0] / widths[2] == pytest.approx(0.31 / 0.05, rel=0.01)
    assert widths[1] / widths[2] == pytest.approx(0.1 / 0.05, rel=0.01)


def test_whiskers_span_each_interval_on_the_same_scale_as_the_bars() -> None:
    root = parse(interval_bars([Bar("a", 0.5, 0.25, 0.75)], title="t", width=440))
    bar = root.find(".//svg:rect[@class='bar']", NS)
    assert bar is not None
    x0, full = float(bar.get("x", "")), float(bar.get("width", "")) * 2  # the scale ends at 100%
    whisker = root.find(".//svg:line[@class='whisker']", NS)
    assert whisker is not None
    assert float(whisker.get("x1", "")) == pytest.approx(x0 + full * 0.25, abs=0.1)
    assert float(whisker.get("x2", "")) == pytest.approx(x0 + full * 0.75, abs=0.1)


def test_a_mode_named_like_markup_is_shown_as_text_never_as_markup() -> None:
    svg = interval_bars(
        [Bar("<script>alert(1)</script>", 0.2, 0.1, 0.3, 'said "&" <b>')],
        title="<title>",
        description="a & b",
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    root = parse(svg)
    assert root.get("aria-label") == "<title>"
    assert any(t.startswith("<script>alert(1)</script>") for t in texts(root))
    assert root.find("svg:desc", NS).text == "a & b"  # type: ignore[union-attr]
    assert not root.findall(".//script")


def test_the_saturation_curve_steps_where_a_new_mode_was_found() -> None:
    points = [(0, 0), (1, 1), (2, 1), (3, 2), (4, 2)]
    svg = step_chart(points, title="Saturation", width=148, height=120)
    root = parse(svg)
    path = root.find(".//svg:path[@class='curve']", NS)
    assert path is not None
    # x: 48 + 84 × traces / 4; y: 16 + 64 × (1 − modes / 2).
    assert path.get("d") == "M48 80 H69 V48 H111 V16 H132"
    shown = texts(root)
    assert {"traces reviewed", "failure modes", "0", "1", "2", "3", "4"} <= set(shown)
    assert root.find("svg:desc", NS).text == "2 failure modes after 4 traces reviewed"  # type: ignore[union-attr]


def test_the_window_the_state_is_judged_on_is_shaded() -> None:
    points = [(i, min(i, 5)) for i in range(41)]
    root = parse(step_chart(points, title="Saturation", window=20))
    shade = root.find(".//svg:rect[@class='window']", NS)
    assert shade is not None
    assert float(shade.get("x", "")) == pytest.approx(
        48 + 576 * 20 / 40, abs=0.1
    )  # axis ends at 40
    assert "last 20" in texts(root)


def test_empty_charts_say_so() -> None:
    curve = parse(step_chart([(0, 0)], title="Saturation", description="not saturated: nothing"))
    assert "nothing reviewed yet" in texts(curve)
    assert curve.find(".//svg:path", NS) is None
    bars = parse(interval_bars([], title="Counts"))
    assert "no failure modes yet" in texts(bars)
    assert bars.find("svg:desc", NS).text == "no failure modes yet"  # type: ignore[union-attr]


def test_the_same_data_draws_the_same_bytes() -> None:
    points = [(i, i // 7) for i in range(100)]
    assert step_chart(points, title="s", window=20) == step_chart(points, title="s", window=20)
    assert interval_bars(COUNTS, title="c") == interval_bars(list(COUNTS), title="c")
    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|width)="([^"]*)"', interval_bars(COUNTS, title="c"))
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers)


def test_two_charts_on_one_page_get_distinct_ids() -> None:
    first = parse(step_chart([(0, 0)], title="a", chart_id="curve"))
    second = parse(interval_bars([], title="b", chart_id="bars"))
    assert first.find("svg:desc", NS).get("id") == "curve-desc"  # type: ignore[union-attr]
    assert second.find("svg:desc", NS).get("id") == "bars-desc"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="cannot name an element"):
        step_chart([], title="x", chart_id='a" onload="x')


def test_out_of_range_figures_are_clamped_not_drawn_off_the_chart() -> None:
    root = parse(interval_bars([Bar("a", 1.7, -0.2, float("nan"))], title="t", width=440))
    assert bar_widths(root) == [400.0]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(st.text(max_size=30), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)),
        max_size=6,
    ),
    st.text(max_size=40),
)
def test_any_labels_make_valid_svg_that_shows_them(
    rows: list[tuple[str, float, float, float]], title: str
) -> None:
    bars = [Bar(label, share, low, high) for label, share, low, high in rows]
    root = parse(interval_bars(bars, title=title))
    shown = texts(root)
    for bar in bars:
        clean = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "\ufffd", bar.label)
        # XML parsers normalise line ends; the label is otherwise intact.
        assert clean.replace("\r\n", "\n").replace("\r", "\n") in shown
    assert len(bar_widths(root)) == len(bars)
